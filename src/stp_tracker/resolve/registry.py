"""The bundled registry: the 44 STPs of 2017, the 42 ICBs of July 2022 and the April 2026
successors, with every alias and the lineage between them, derived from the package's data files.

Only what the reference facts state is derived; a date or name they do not give stays unknown.
ICBs are keyed by their ODS code, which (unlike their ONS code) did not change in 2023 and is the
only code the April 2026 successors are known by; their ONS codes are kept in `ons_code`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

STP_END = ICB_START = "2022-07-01"
MERGER_DATE = "2026-04-01"
_SMALL_WORDS = {"and", "of", "on", "the"}
_SUCCESSOR = re.compile(r"^\s*([A-Z0-9]{3,5})(?:\s*\(([^)]+)\))?\s*$")


@dataclass(frozen=True)
class Registry:
    """Rows for the `organisations`, `aliases` and `lineage` tables."""

    organisations: list[dict[str, str | None]]
    aliases: list[dict[str, str]]
    lineage: list[dict[str, str]]


def data_text(name: str) -> str:
    """A bundled data file's text."""
    return (resources.files("stp_tracker") / "data" / name).read_text(encoding="utf-8")


def icb_title(upper_name: str) -> str:
    """'NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD' in title case."""

    def word(token: str, first: bool) -> str:
        if token == "NHS":
            return token
        parts = token.lower().split("-")
        return "-".join(
            p if (p in _SMALL_WORDS and not (first and i == 0)) else p.capitalize()
            for i, p in enumerate(parts)
        )

    return " ".join(word(token, i == 0) for i, token in enumerate(upper_name.split()))


def parse_successors(text: str) -> list[tuple[str, str | None]]:
    """The April 2026 successors of an ICB as (ODS code, name or None); [] if it continues."""
    text = text.strip()
    if text == "no change listed" or " continues" in text:
        return []
    text = re.sub(r"\[[^\]]*\]\s*$", "", text)
    successors = []
    for part in text.split("+"):
        match = _SUCCESSOR.match(part)
        if not match:
            raise ValueError(f"cannot read successor {part!r} in {text!r}")
        successors.append((match.group(1), match.group(2)))
    return successors


def short_names(name: str) -> list[str]:
    """Common shortenings of an ICB name: 'NHS X Integrated Care Board' -> 'X ICB', 'X', ..."""
    core = re.sub(r"^NHS\s+", "", name)
    core = re.sub(r"\s+Integrated Care Board$", "", core)
    return [name, core, f"NHS {core}", f"{core} ICB", f"NHS {core} ICB"]


def _lineage_kind(predecessors: int, successors: int, one_to_one: str) -> str:
    if successors > 1:
        return "split"
    if predecessors > 1:
        return "merge"
    return one_to_one


def build_registry() -> Registry:
    """Organisations, aliases and lineage from the bundled 2017 registry file."""
    rows = list(csv.DictReader(io.StringIO(data_text("stp-2017-registry.csv"))))
    organisations: dict[str, dict[str, str | None]] = {}
    aliases: list[dict[str, str]] = []
    links: list[tuple[str, str, str, str]] = []  # predecessor, successor, effective, 1:1 kind

    def alias(text: str, code: str, origin: str) -> None:
        if text:
            aliases.append({"alias": text.strip(), "code": code, "origin": origin})

    icb_successors: dict[str, list[tuple[str, str | None]]] = {}
    for row in rows:
        code, icb = row["stp17_code"], row["ods_code_2021"]
        organisations[code] = {
            "code": code,
            "name": row["name"],
            "kind": "stp",
            "ods_code": None,
            "ons_code": code,
            "valid_from": None,
            "valid_to": STP_END,
        }
        alias(code, code, "registry")
        alias(row["name"], code, "registry")
        for other in filter(None, (a.strip() for a in row["aliases"].split(";"))):
            alias(other, code, "registry")
        if row["stp_code_2021"] != code:
            alias(row["stp_code_2021"], code, "stp-code-2021")
        icb_name = icb_title(row["icb_name_2022"])
        if icb not in organisations:
            organisations[icb] = {
                "code": icb,
                "name": icb_name,
                "kind": "icb",
                "ods_code": icb,
                "ons_code": row["icb_gss_code_2023"],
                "valid_from": ICB_START,
                "valid_to": None,
            }
            alias(icb, icb, "registry")
            for name in dict.fromkeys([row["icb_name_2022"], *short_names(icb_name)]):
                alias(name, icb, "registry")
            alias(row["icb_gss_code_2023"], icb, "ons-code-2023")
            alias(row["stp_code_2021"], icb, "stp-code-2021")
            icb_successors[icb] = parse_successors(row["icb_successor_2026_04_01"])
        recoded = row["stp_code_2021"] != code
        links.append((code, icb, ICB_START, "recode" if recoded else "rename"))

    for icb, successors in icb_successors.items():
        for successor, name in successors:
            if successor == icb:
                continue
            if successor not in organisations:
                if name is None:
                    raise ValueError(f"successor {successor} of {icb} has no name")
                organisations[successor] = {
                    "code": successor,
                    "name": name,
                    "kind": "icb",
                    "ods_code": successor,
                    "ons_code": None,
                    "valid_from": MERGER_DATE,
                    "valid_to": None,
                }
                alias(successor, successor, "registry")
                for short in dict.fromkeys(short_names(name)):
                    alias(short, successor, "registry")
            organisations[icb]["valid_to"] = MERGER_DATE
            links.append((icb, successor, MERGER_DATE, "rename"))

    into: dict[tuple[str, str], int] = defaultdict(int)
    out_of: dict[tuple[str, str], int] = defaultdict(int)
    for predecessor, successor, effective, _ in links:
        into[successor, effective] += 1
        out_of[predecessor, effective] += 1
    lineage = [
        {
            "predecessor": predecessor,
            "successor": successor,
            "effective": effective,
            "kind": _lineage_kind(
                into[successor, effective], out_of[predecessor, effective], one_to_one
            ),
        }
        for predecessor, successor, effective, one_to_one in links
    ]
    return Registry(list(organisations.values()), aliases, lineage)
