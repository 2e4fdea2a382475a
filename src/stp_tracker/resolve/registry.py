"""The bundled registry: the 44 STPs of 2017, the STP formed by their 2018 merger, the 42 ICBs
of July 2022 and the April 2026 successors, with every alias and the lineage between them,
derived from the package's data files.

Identities have lifetimes: each organisation its `valid_from`/`valid_to`, and each alias (a name
or a code) the interval in which it meant that organisation, where narrower than the
organisation's own (ONS recoded five STPs on 1 April 2020: West Yorkshire is E54000005 until
then and E54000054 after). The merger and recodes come from `stp-code-history.csv`, whose
evidence is kept with the alias or lineage row as its provenance; so is the evidence of the
spellings the 2017 press used that the registry lacks (`stp-2017-press-aliases.csv`, origin
`press-2017`).

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
_ACRONYMS = {"NHS", "ICB", "ICS", "STP", "CCG"}
_SUCCESSOR = re.compile(r"^\s*([A-Z0-9]{3,5})(?:\s*\(([^)]+)\))?\s*$")


@dataclass(frozen=True)
class Registry:
    """Rows for the `organisations`, `aliases` and `lineage` tables."""

    organisations: list[dict[str, str | None]]
    aliases: list[dict[str, str | None]]
    lineage: list[dict[str, str | None]]


def data_text(name: str) -> str:
    """A bundled data file's text."""
    return (resources.files("stp_tracker") / "data" / name).read_text(encoding="utf-8")


def icb_title(upper_name: str) -> str:
    """'NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD' in title case (acronyms
    and codes such as 'ICB - 72Q' as written)."""

    def word(token: str, first: bool) -> str:
        if token in _ACRONYMS or any(ch.isdigit() for ch in token):
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


Row = dict[str, str | None]


class _Builder:
    """The registry's rows as they are gathered: organisations, aliases (each with the interval
    in which it meant its organisation; None where the organisation's lifetime bounds it) and
    lineage links (predecessor, successor, effective, kind when one to one, evidence)."""

    def __init__(self) -> None:
        self.organisations: dict[str, Row] = {}
        self.aliases: dict[tuple[str, str], Row] = {}
        self.links: list[tuple[str, str, str, str, str | None]] = []

    def organisation(self, code: str, name: str, kind: str, **values: str | None) -> None:
        """Add an organisation (once), its code and its name as aliases."""
        row: Row = {"code": code, "name": name, "kind": kind, "ods_code": None,
                    "ons_code": None, "valid_from": None, "valid_to": None}  # fmt: skip
        self.organisations[code] = row | values
        self.alias(code, code, "registry")
        self.alias(name, code, "registry")

    def alias(self, text: str | None, code: str, origin: str, **values: str | None) -> None:
        """Add an alias once: the first origin given for a spelling of an organisation stays,
        later calls only narrow or document it (valid_from, valid_to, evidence)."""
        if not text or not text.strip():
            return
        key = (text.strip(), code)
        row = self.aliases.setdefault(key, {"alias": key[0], "code": code, "origin": origin,
                                            "valid_from": None, "valid_to": None,
                                            "evidence": None})  # fmt: skip
        evidence = values.pop("evidence", None)
        row.update({k: v for k, v in values.items() if v is not None})
        row["evidence"] = row["evidence"] or evidence


def build_registry() -> Registry:
    """Organisations, aliases and lineage from the bundled 2017 registry and code history."""
    rows = list(csv.DictReader(io.StringIO(data_text("stp-2017-registry.csv"))))
    build = _Builder()
    icb_of: dict[str, str] = {}  # STP code -> its July 2022 ICB
    icb_successors: dict[str, list[tuple[str, str | None]]] = {}
    for row in rows:
        code, icb = row["stp17_code"], row["ods_code_2021"]
        build.organisation(code, row["name"], "stp", ons_code=code, valid_to=STP_END)
        for other in row["aliases"].split(";"):
            build.alias(other, code, "registry")
        icb_of[code] = icb
        if icb not in build.organisations:
            icb_successors[icb] = parse_successors(row["icb_successor_2026_04_01"])
            _add_icb(build, row)
    for press in csv.DictReader(io.StringIO(data_text("stp-2017-press-aliases.csv"))):
        build.alias(press["alias"], press["stp17_code"], "press-2017", evidence=press["evidence"])
    final_code = _apply_code_history(build, icb_of)
    for code, icb in icb_of.items():  # every STP that lasted until the ICBs took over
        if build.organisations[code]["valid_to"] == STP_END:
            recoded = final_code.get(code, code) != code
            build.links.append((code, icb, ICB_START, "recode" if recoded else "rename", None))
    _add_2026_successors(build, icb_successors)
    return Registry(
        list(build.organisations.values()), list(build.aliases.values()), _lineage(build.links)
    )


def _add_icb(build: _Builder, row: dict[str, str]) -> None:
    """An ICB of July 2022, keyed by its ODS code, with its ONS codes and short names."""
    icb, name = row["ods_code_2021"], icb_title(row["icb_name_2022"])
    build.organisation(icb, name, "icb", ods_code=icb, ons_code=row["icb_gss_code_2023"],
                       valid_from=ICB_START)  # fmt: skip
    for short in dict.fromkeys([row["icb_name_2022"], *short_names(name)]):
        build.alias(short, icb, "registry")
    build.alias(row["icb_gss_code_2023"], icb, "ons-code-2023")
    build.alias(row["stp_code_2021"], icb, "stp-code-2021")


def _apply_code_history(build: _Builder, icb_of: dict[str, str]) -> dict[str, str]:
    """The 2018 merger and the 2020 recodes of ONS's STP codes, each with its evidence: a merger
    is a new organisation (its predecessors end), a recode a later code of the same one.
    Returns each recoded organisation's last code."""
    final: dict[str, str] = {}
    owner: dict[str, str] = {code: code for code in build.organisations}  # code -> organisation
    for row in csv.DictReader(io.StringIO(data_text("stp-code-history.csv"))):
        code, start, evidence = row["code"], row["valid_from"], row["evidence"]
        olds = [c.strip() for c in row["from_codes"].split(";") if c.strip()]
        if row["change"] == "merge":
            build.organisation(code, row["name"], "stp", ons_code=code, valid_from=start,
                               valid_to=row["valid_to"] or STP_END)  # fmt: skip
            build.alias(code, code, "registry", valid_to=row["valid_to"] or None,
                        evidence=evidence)  # fmt: skip
            build.alias(row["name"], code, "registry", evidence=evidence)
            for old in olds:
                build.organisations[old]["valid_to"] = start
                build.links.append((old, code, start, "merge", evidence))
            icb_of[code] = icb_of[olds[0]]
            owner[code] = code
        elif row["change"] == "recode":
            (old,) = olds
            org = owner[old]
            if build.organisations[org]["valid_to"] == start:  # its code ended, it did not
                build.organisations[org]["valid_to"] = row["valid_to"] or STP_END
            build.alias(old, org, "registry", valid_to=start)
            build.alias(code, org, "code-history", valid_from=start, evidence=evidence)
            build.alias(row["name"], org, "code-history", evidence=evidence)
            owner[code], final[org] = org, code
        else:
            raise ValueError(f"stp-code-history.csv: {code}: unknown change {row['change']!r}")
    return final


def _add_2026_successors(
    build: _Builder, icb_successors: dict[str, list[tuple[str, str | None]]]
) -> None:
    """The ICBs created on 1 April 2026, and the links from the ICBs they replace."""
    for icb, successors in icb_successors.items():
        for successor, name in successors:
            if successor == icb:
                continue
            if successor not in build.organisations:
                if name is None:
                    raise ValueError(f"successor {successor} of {icb} has no name")
                build.organisation(successor, name, "icb", ods_code=successor,
                                   valid_from=MERGER_DATE)  # fmt: skip
                for short in dict.fromkeys(short_names(name)):
                    build.alias(short, successor, "registry")
            build.organisations[icb]["valid_to"] = MERGER_DATE
            build.links.append((icb, successor, MERGER_DATE, "rename", None))


def _lineage(links: list[tuple[str, str, str, str, str | None]]) -> list[dict[str, str | None]]:
    """Lineage rows, each one-to-one link's kind decided by how many links share its date."""
    into: dict[tuple[str, str], int] = defaultdict(int)
    out_of: dict[tuple[str, str], int] = defaultdict(int)
    for predecessor, successor, effective, _, _ in links:
        into[successor, effective] += 1
        out_of[predecessor, effective] += 1
    return [
        {
            "predecessor": predecessor,
            "successor": successor,
            "effective": effective,
            "kind": _lineage_kind(
                into[successor, effective], out_of[predecessor, effective], one_to_one
            ),
            "evidence": evidence,
        }
        for predecessor, successor, effective, one_to_one, evidence in links
    ]
