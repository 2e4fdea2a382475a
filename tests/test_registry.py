"""The bundled registry: STPs, ICBs, April 2026 successors, aliases and lineage."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from stp_tracker.resolve.registry import (
    Registry,
    build_registry,
    data_text,
    icb_title,
    parse_successors,
    short_names,
)

CSV_ROWS = list(csv.DictReader(io.StringIO(data_text("stp-2017-registry.csv"))))
HISTORY = list(csv.DictReader(io.StringIO(data_text("stp-code-history.csv"))))
STP_CODES = [f"E54{n:06d}" for n in range(5, 49)]
MERGED = ("E54000045", "E54000046", "E54000047")  # into E54000049 on 1 April 2018
SUCCESSORS = {
    "S1Y5D": "NHS Central East",
    "T6Y0W": "NHS Norfolk and Suffolk",
    "D7T5G": "NHS Essex",
    "Z9B2Z": "NHS West and North London",
    "S9B9J": "NHS Surrey and Sussex",
    "S0E4D": "NHS Thames Valley",
}
# ICBs of July 2022 that the April 2026 changes end (QRL continues and only gains part of QNQ).
ENDED_ICBS = {"QUE", "QMM", "QJG", "QHG", "QM7", "QH8", "QRV", "QMJ", "QNX", "QNQ", "QXU", "QU9"}
CSV_ALIASES = [
    (alias.strip(), row["stp17_code"])
    for row in CSV_ROWS
    for alias in row["aliases"].split(";")
    if alias.strip()
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    """The registry built once for the module."""
    return build_registry()


@pytest.fixture(scope="module")
def orgs(registry: Registry) -> dict[str, dict[str, str | None]]:
    """Organisations keyed by code."""
    return {org["code"]: org for org in registry.organisations}


@pytest.fixture(scope="module")
def links(registry: Registry) -> dict[tuple[str, str], dict[str, str]]:
    """Lineage rows keyed by (predecessor, successor)."""
    return {(row["predecessor"], row["successor"]): row for row in registry.lineage}


def test_bundled_csv_has_44_rows() -> None:
    """The bundled registry file lists the 44 STPs of 2017, one row each."""
    assert [row["stp17_code"] for row in CSV_ROWS] == STP_CODES


def has_alias(registry: Registry, alias: str, code: str, origin: str) -> bool:
    """Whether the registry has `alias` for `code` with `origin`."""
    return any(
        (a["alias"], a["code"], a["origin"]) == (alias, code, origin) for a in registry.aliases
    )


def test_counts_by_kind(registry: Registry) -> None:
    """45 STPs (44 of 2017 and the 2018 merger) and 48 ICBs (42 of July 2022 plus 6 of 2026)."""
    assert Counter(org["kind"] for org in registry.organisations) == {"stp": 45, "icb": 48}


def test_organisation_codes_are_unique(registry: Registry) -> None:
    """No organisation code appears twice."""
    codes = [org["code"] for org in registry.organisations]
    assert len(codes) == len(set(codes)) == 93


def test_every_stp_code_present_exactly_once(registry: Registry) -> None:
    """The STPs are exactly E54000005..E54000048 and E54000049, each once."""
    stps = [org["code"] for org in registry.organisations if org["kind"] == "stp"]
    assert sorted(stps) == [*STP_CODES, "E54000049"]


@pytest.mark.parametrize("code", STP_CODES)
def test_stp_dates_and_codes(orgs: dict, code: str) -> None:
    """An STP's start is unknown and stays None; it ended on 2022-07-01 (or, for the three
    merged in 2018, on 2018-04-01); its ONS code is its code."""
    org = orgs[code]
    assert org["kind"] == "stp"
    assert org["valid_from"] is None
    assert org["valid_to"] == ("2018-04-01" if code in MERGED else "2022-07-01")
    assert org["ods_code"] is None
    assert org["ons_code"] == code


def test_the_2018_merger_is_an_stp_of_its_own(orgs: dict, registry: Registry) -> None:
    """Cumbria and North East (E54000049) existed from 2018-04-01 until the ICBs, carried
    E54000049 until ONS recoded it E54000050 on 2020-04-01, with the history's evidence."""
    assert orgs["E54000049"] == {
        "code": "E54000049", "name": "Cumbria and North East", "kind": "stp", "ods_code": None,
        "ons_code": "E54000049", "valid_from": "2018-04-01", "valid_to": "2022-07-01",
    }  # fmt: skip
    codes = {
        a["alias"]: (a["valid_from"], a["valid_to"], bool(a["evidence"]))
        for a in registry.aliases
        if a["code"] == "E54000049" and a["alias"].startswith("E54")
    }
    assert codes == {
        "E54000049": (None, "2020-04-01", True),
        "E54000050": ("2020-04-01", None, True),
    }


@pytest.mark.parametrize("row", [r for r in HISTORY if r["change"] == "recode"],
                         ids=lambda r: r["code"])  # fmt: skip
def test_each_2020_recode_is_a_later_code_of_the_same_organisation(
    registry: Registry, row: dict[str, str]
) -> None:
    """A recoded STP keeps its organisation: its old code ends and its new code starts on the
    recode's date, and the new code carries the history's evidence as provenance."""
    (old,) = row["from_codes"].split(";")
    intervals = {
        a["alias"]: a for a in registry.aliases if a["alias"] in (old, row["code"])
        and a["code"].startswith("E54")
    }  # fmt: skip
    assert intervals[old]["valid_to"] == intervals[row["code"]]["valid_from"] == "2020-04-01"
    assert intervals[old]["code"] == intervals[row["code"]]["code"]
    assert intervals[row["code"]]["evidence"] == row["evidence"]


def test_the_registry_agrees_with_the_code_history() -> None:
    """Every STP whose 2021 code differs from its 2017 code reached it through the history:
    a recode of its own code, or the 2018 merger and its recode."""
    history = {row["code"]: row for row in HISTORY}
    for row in CSV_ROWS:
        later = row["stp_code_2021"]
        if later != row["stp17_code"]:
            (before,) = history[later]["from_codes"].split(";")
            assert before == row["stp17_code"] or row["stp17_code"] in history[before][
                "from_codes"].split(";")  # fmt: skip


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("E54000005", "West Yorkshire"),
        ("E54000006", "Humber, Coast and Vale"),
        ("E54000016", "The Black Country"),
        ("E54000045", "Durham, Darlington, Teesside, Hambleton, Richmondshire and Whitby"),
        ("E54000048", "Lancashire and South Cumbria"),
    ],
)
def test_stp_names(orgs: dict, code: str, name: str) -> None:
    """STP names are taken from the CSV as written."""
    assert orgs[code]["name"] == name


def test_july_2022_icbs_are_42_keyed_by_ods(registry: Registry) -> None:
    """The 42 ICBs of July 2022 are keyed by their ODS code and start on 2022-07-01."""
    icbs = [
        org
        for org in registry.organisations
        if org["kind"] == "icb" and org["valid_from"] == "2022-07-01"
    ]
    assert len(icbs) == 42
    assert {org["code"] for org in icbs} == {row["ods_code_2021"] for row in CSV_ROWS}
    assert all(org["ods_code"] == org["code"] for org in icbs)


@pytest.mark.parametrize(
    ("ods", "ons", "name"),
    [
        ("QOP", "E54000057", "NHS Greater Manchester Integrated Care Board"),
        ("QHM", "E54000050", "NHS North East and North Cumbria Integrated Care Board"),
        ("QWO", "E54000054", "NHS West Yorkshire Integrated Care Board"),
        ("QNC", "E54000010", "NHS Staffordshire and Stoke-on-Trent Integrated Care Board"),
        ("QRL", "E54000042", "NHS Hampshire and Isle of Wight Integrated Care Board"),
        ("QT6", "E54000036", "NHS Cornwall and the Isles of Scilly Integrated Care Board"),
        ("QOC", "E54000011", "NHS Shropshire, Telford and Wrekin Integrated Care Board"),
    ],
)
def test_icb_codes_and_names(orgs: dict, ods: str, ons: str, name: str) -> None:
    """An ICB keeps its 2023 ONS code in ons_code and its title-cased name."""
    org = orgs[ods]
    assert (org["kind"], org["ods_code"], org["ons_code"], org["name"]) == ("icb", ods, ons, name)


@pytest.mark.parametrize(("code", "name"), sorted(SUCCESSORS.items()))
def test_april_2026_successors(orgs: dict, code: str, name: str) -> None:
    """The six April 2026 successors start then, have no ONS code and do not end."""
    org = orgs[code]
    assert org == {
        "code": code,
        "name": name,
        "kind": "icb",
        "ods_code": code,
        "ons_code": None,
        "valid_from": "2026-04-01",
        "valid_to": None,
    }


@pytest.mark.parametrize("code", sorted({row["ods_code_2021"] for row in CSV_ROWS}))
def test_icb_valid_to(orgs: dict, code: str) -> None:
    """ICBs replaced in April 2026 end on 2026-04-01; the ones that continue have no end."""
    expected = "2026-04-01" if code in ENDED_ICBS else None
    assert orgs[code]["valid_to"] == expected


def test_hampshire_continues(orgs: dict) -> None:
    """QRL (Hampshire and Isle of Wight) gains part of Frimley but is not ended."""
    assert orgs["QRL"]["valid_to"] is None
    assert orgs["QRL"]["valid_from"] == "2022-07-01"


@pytest.mark.parametrize(
    ("predecessor", "successor", "effective", "kind"),
    [
        ("E54000005", "QWO", "2022-07-01", "recode"),
        ("E54000006", "QOQ", "2022-07-01", "recode"),
        ("E54000033", "QNX", "2022-07-01", "recode"),
        ("E54000035", "QXU", "2022-07-01", "recode"),
        ("E54000007", "QOP", "2022-07-01", "rename"),
        ("E54000037", "QJK", "2022-07-01", "rename"),
        ("E54000045", "E54000049", "2018-04-01", "merge"),
        ("E54000046", "E54000049", "2018-04-01", "merge"),
        ("E54000047", "E54000049", "2018-04-01", "merge"),
        ("E54000049", "QHM", "2022-07-01", "recode"),
        ("QJG", "D7T5G", "2026-04-01", "split"),
        ("QJG", "T6Y0W", "2026-04-01", "split"),
        ("QNQ", "S0E4D", "2026-04-01", "split"),
        ("QNQ", "S9B9J", "2026-04-01", "split"),
        ("QNQ", "QRL", "2026-04-01", "split"),
        ("QM7", "S1Y5D", "2026-04-01", "split"),
        ("QM7", "D7T5G", "2026-04-01", "split"),
        ("QMM", "T6Y0W", "2026-04-01", "merge"),
        ("QUE", "S1Y5D", "2026-04-01", "merge"),
        ("QHG", "S1Y5D", "2026-04-01", "merge"),
        ("QH8", "D7T5G", "2026-04-01", "merge"),
        ("QRV", "Z9B2Z", "2026-04-01", "merge"),
        ("QMJ", "Z9B2Z", "2026-04-01", "merge"),
        ("QNX", "S9B9J", "2026-04-01", "merge"),
        ("QXU", "S9B9J", "2026-04-01", "merge"),
        ("QU9", "S0E4D", "2026-04-01", "merge"),
    ],
)
def test_lineage_kinds(
    links: dict, predecessor: str, successor: str, effective: str, kind: str
) -> None:
    """Each link has the right effective date and kind (split beats merge, merge beats 1:1)."""
    link = links[predecessor, successor]
    assert {k: v for k, v in link.items() if k != "evidence"} == {
        "predecessor": predecessor,
        "successor": successor,
        "effective": effective,
        "kind": kind,
    }
    assert bool(link["evidence"]) == (effective == "2018-04-01")


def test_lineage_totals(registry: Registry) -> None:
    """3 links of the 2018 merger, 42 STP->ICB links and 16 April 2026 links, by kind."""
    assert len(registry.lineage) == 61
    assert Counter(row["effective"] for row in registry.lineage) == {
        "2018-04-01": 3,
        "2022-07-01": 42,
        "2026-04-01": 16,
    }
    assert Counter(row["kind"] for row in registry.lineage) == {
        "rename": 37,
        "recode": 5,
        "merge": 12,
        "split": 7,
    }


def test_lineage_has_no_self_links_and_unique_pairs(registry: Registry) -> None:
    """No organisation is its own successor and each pair appears once."""
    pairs = [(row["predecessor"], row["successor"]) for row in registry.lineage]
    assert all(a != b for a, b in pairs)
    assert len(pairs) == len(set(pairs))


def test_continuing_icbs_have_no_2026_lineage(registry: Registry) -> None:
    """An ICB with 'no change listed' is no predecessor in 2026."""
    predecessors = {r["predecessor"] for r in registry.lineage if r["effective"] == "2026-04-01"}
    assert predecessors == ENDED_ICBS


@pytest.mark.parametrize(("alias", "code"), CSV_ALIASES, ids=[a for a, _ in CSV_ALIASES])
def test_csv_aliases_point_to_their_stp(registry: Registry, alias: str, code: str) -> None:
    """Every alias in the CSV's aliases column is a registry alias of its own STP and no other."""
    codes = {a["code"] for a in registry.aliases if a["alias"] == alias}
    assert {c for c in codes if c.startswith("E54")} == {code}
    assert has_alias(registry, alias, code, "registry")


def test_csv_alias_count() -> None:
    """The CSV holds 33 aliases (so the parametrised test above covers all of them)."""
    assert len(CSV_ALIASES) == 33


@pytest.mark.parametrize(
    ("alias", "code", "origin"),
    [
        ("E54000005", "E54000005", "registry"),
        ("West Yorkshire", "E54000005", "registry"),
        ("E54000054", "E54000005", "code-history"),
        ("E54000050", "E54000049", "code-history"),
        ("Sussex and East Surrey Health and Care Partnership", "E54000033", "code-history"),
        ("QOP", "QOP", "registry"),
        ("E54000057", "QOP", "ons-code-2023"),
        ("E54000007", "QOP", "stp-code-2021"),
        ("NHS GREATER MANCHESTER INTEGRATED CARE BOARD", "QOP", "registry"),
        ("Greater Manchester ICB", "QOP", "registry"),
        ("NHS Greater Manchester", "QOP", "registry"),
        ("Greater Manchester", "QOP", "registry"),
        ("Essex ICB", "D7T5G", "registry"),
        ("NHS Essex", "D7T5G", "registry"),
        ("S0E4D", "S0E4D", "registry"),
    ],
)
def test_generated_aliases(registry: Registry, alias: str, code: str, origin: str) -> None:
    """Codes, 2020 recodes, ONS codes and ICB short names become aliases with their origin."""
    assert has_alias(registry, alias, code, origin)


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("Bristol, North Somerset and South Glos", "E54000039"),
        ("Milton Keynes, Bedford and Luton", "E54000024"),
        ("Herts and West Essex", "E54000025"),
    ],
)
def test_press_spellings_are_aliases_with_their_evidence(
    registry: Registry, alias: str, code: str
) -> None:
    """Spellings the 2017 press used that the registry lacks are aliases of origin
    press-2017, each with the evidence for it."""
    (row,) = [a for a in registry.aliases if (a["alias"], a["code"]) == (alias, code)]
    assert row["origin"] == "press-2017" and "press reports" in (row["evidence"] or "")


@pytest.mark.parametrize(
    ("alias", "codes"),
    [
        ("Frimley", {"E54000034", "QNQ"}),
        ("Bedfordshire, Luton and Milton Keynes", {"E54000024", "QHG"}),
        ("Devon", {"E54000037", "QJK"}),
    ],
)
def test_alias_shared_by_stp_and_icb(registry: Registry, alias: str, codes: set[str]) -> None:
    """A name both an STP and its ICB went by is an alias of each (entity scoping decides)."""
    assert {a["code"] for a in registry.aliases if a["alias"] == alias} == codes


def test_unchanged_stp_code_is_not_a_former_code_alias(registry: Registry) -> None:
    """An STP whose 2021 code equals its 2017 code gets no second alias of it."""
    assert not has_alias(registry, "E54000007", "E54000007", "stp-code-2021")
    assert not has_alias(registry, "E54000007", "E54000007", "code-history")


def test_build_registry_is_deterministic() -> None:
    """Two builds give identical rows in the same order."""
    assert build_registry() == build_registry()


@pytest.mark.parametrize(
    ("upper", "title"),
    [
        (
            "NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD",
            "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
        ),
        (
            "NHS HAMPSHIRE AND ISLE OF WIGHT INTEGRATED CARE BOARD",
            "NHS Hampshire and Isle of Wight Integrated Care Board",
        ),
        (
            "NHS CORNWALL AND THE ISLES OF SCILLY INTEGRATED CARE BOARD",
            "NHS Cornwall and the Isles of Scilly Integrated Care Board",
        ),
        (
            "NHS SHROPSHIRE, TELFORD AND WREKIN INTEGRATED CARE BOARD",
            "NHS Shropshire, Telford and Wrekin Integrated Care Board",
        ),
        ("THE BLACK COUNTRY", "The Black Country"),
        ("NHS", "NHS"),
        ("", ""),
    ],
)
def test_icb_title(upper: str, title: str) -> None:
    """Upper-case ICB names are title-cased, keeping NHS and small words lower inside."""
    assert icb_title(upper) == title


CSV_SUCCESSOR_FORMS = {
    "no change listed": [],
    "QRL continues (gains part of QNQ)": [],
    "D7T5G (NHS Essex)": [("D7T5G", "NHS Essex")],
    "S0E4D (NHS Thames Valley)": [("S0E4D", "NHS Thames Valley")],
    "S1Y5D (NHS Central East)": [("S1Y5D", "NHS Central East")],
    "S9B9J (NHS Surrey and Sussex)": [("S9B9J", "NHS Surrey and Sussex")],
    "T6Y0W (NHS Norfolk and Suffolk)": [("T6Y0W", "NHS Norfolk and Suffolk")],
    "Z9B2Z (NHS West and North London)": [("Z9B2Z", "NHS West and North London")],
    "D7T5G (NHS Essex) + T6Y0W (NHS Norfolk and Suffolk) [split]": [
        ("D7T5G", "NHS Essex"),
        ("T6Y0W", "NHS Norfolk and Suffolk"),
    ],
    "S1Y5D (NHS Central East) + D7T5G (NHS Essex) [split]": [
        ("S1Y5D", "NHS Central East"),
        ("D7T5G", "NHS Essex"),
    ],
    "S0E4D (NHS Thames Valley) + S9B9J (NHS Surrey and Sussex) + QRL [3-way split]": [
        ("S0E4D", "NHS Thames Valley"),
        ("S9B9J", "NHS Surrey and Sussex"),
        ("QRL", None),
    ],
}


def test_successor_forms_are_all_listed() -> None:
    """The CSV uses exactly the 11 successor forms tested below."""
    assert {row["icb_successor_2026_04_01"] for row in CSV_ROWS} == set(CSV_SUCCESSOR_FORMS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *CSV_SUCCESSOR_FORMS.items(),
        ("  no change listed  ", []),
        ("QRL", [("QRL", None)]),
    ],
)
def test_parse_successors(text: str, expected: list) -> None:
    """Each successor form reads as (ODS code, name or None) pairs, in order."""
    assert parse_successors(text) == expected


@pytest.mark.parametrize(
    "text",
    ["to be confirmed", "", "S1Y5D NHS Central East", "S1Y5D (NHS Central East) +", "qrl"],
)
def test_parse_successors_rejects_garbage(text: str) -> None:
    """Anything that is not CODE (Name) [+ ...] raises ValueError naming the part."""
    with pytest.raises(ValueError, match="cannot read successor"):
        parse_successors(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "NHS Devon Integrated Care Board",
            [
                "NHS Devon Integrated Care Board",
                "Devon",
                "NHS Devon",
                "Devon ICB",
                "NHS Devon ICB",
            ],
        ),
        ("NHS Essex", ["NHS Essex", "Essex", "NHS Essex", "Essex ICB", "NHS Essex ICB"]),
    ],
)
def test_short_names(name: str, expected: list[str]) -> None:
    """An ICB name's shortenings: full, core, NHS core, core ICB, NHS core ICB."""
    assert short_names(name) == expected
