"""Resolving source names and codes to organisations of the loaded registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from stp_tracker.config import Kinds, SourceConfig
from stp_tracker.extract.identify import Identifier
from stp_tracker.resolve.registry import build_registry
from stp_tracker.resolve.resolver import Candidate, Resolver, alias_row, looks_like_code
from stp_tracker.service.bootstrap import load_registry
from stp_tracker.store.apply import open_db


@pytest.fixture(scope="module")
def registry_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A real SQLite file with the schema and the bundled registry loaded once."""
    db = open_db(Path(tmp_path_factory.mktemp("resolve")) / "stp.db")
    load_registry(db)
    return db


@pytest.fixture(scope="module")
def stp(registry_db: Database) -> Resolver:
    """A resolver over STPs."""
    return Resolver.from_db(registry_db, "stp")


@pytest.fixture(scope="module")
def icb(registry_db: Database) -> Resolver:
    """A resolver over ICBs."""
    return Resolver.from_db(registry_db, "icb")


@pytest.fixture(scope="module")
def anyone(registry_db: Database) -> Resolver:
    """A resolver over every organisation."""
    return Resolver.from_db(registry_db, "any")


def test_registry_loaded(registry_db: Database) -> None:
    """load_registry writes 93 organisations, 61 lineage links and 508 aliases."""
    counts = {
        table: registry_db.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("organisations", "lineage", "aliases")
    }
    assert counts == {"organisations": 93, "lineage": 61, "aliases": 508}


def test_load_registry_is_idempotent(tmp_path: Path) -> None:
    """Loading the registry twice leaves the same rows."""
    db = open_db(tmp_path / "twice.db")
    load_registry(db)
    first = sorted(db.execute("select * from aliases").fetchall())
    load_registry(db)
    assert sorted(db.execute("select * from aliases").fetchall()) == first
    assert db.execute("select count(*) from organisations").fetchone()[0] == 93


def test_load_registry_removes_what_a_newer_registry_dropped(tmp_path: Path) -> None:
    """A database loaded by an older registry loses the registry's own stale aliases and
    links on the next load, and keeps the aliases people made."""
    db = open_db(tmp_path / "old.db")
    load_registry(db)
    db.table("aliases").insert(alias_row("E54000050", "E54000045", "stp-code-2021"))
    db.table("aliases").insert(alias_row("Lincs", "E54000013", "curated"))
    db.table("lineage").insert(
        {"predecessor": "E54000045", "successor": "QHM", "effective": "2022-07-01",
         "kind": "merge"}
    )  # fmt: skip
    load_registry(db)
    assert db.execute("select count(*) from aliases where code = 'E54000045' and alias = "
                      "'E54000050'").fetchone() == (0,)  # fmt: skip
    assert db.execute("select count(*) from lineage where predecessor = 'E54000045' and "
                      "successor = 'QHM'").fetchone() == (0,)  # fmt: skip
    assert db.execute("select code from aliases where alias = 'Lincs'").fetchall() == [
        ("E54000013",)
    ]


@pytest.mark.parametrize("entity", ["stp", "icb", "any"])
def test_resolver_scope(registry_db: Database, entity: str) -> None:
    """A resolver finds only organisations of its entity, by every code and name they have."""
    resolver = Resolver.from_db(registry_db, entity)
    kinds = dict(registry_db.execute("select code, kind from organisations").fetchall())
    for alias, code in registry_db.execute("select alias, code from aliases"):
        found = resolver.by_code(alias) | resolver.by_name(alias)
        assert all(entity in ("any", kinds[org]) for org in found), alias
        assert (code in found) == (entity in ("any", kinds[code])), alias


@pytest.mark.parametrize("code", [f"E54{n:06d}" for n in range(5, 49)])
def test_stp_by_own_code(stp: Resolver, code: str) -> None:
    """Every 2017 STP code resolves to exactly that STP."""
    assert stp.by_code(code) == {code}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("e54000013", {"E54000013"}),
        ("  E54000013 ", {"E54000013"}),
        ("E54000054", {"E54000005"}),
        ("E54000051", {"E54000006"}),
        ("E54000053", {"E54000033"}),
        ("E54000052", {"E54000035"}),
        ("E54000050", {"E54000049"}),
        ("E54000049", {"E54000049"}),
        ("E54000057", set()),
        ("QOP", set()),
        ("E54999999", set()),
        ("", set()),
    ],
)
def test_stp_by_code(stp: Resolver, code: str, expected: set[str]) -> None:
    """STP codes match case-blind; 2020 codes map back to the STP that carried them."""
    assert stp.by_code(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("QOP", {"QOP"}),
        ("qop", {"QOP"}),
        ("E54000057", {"QOP"}),
        ("E54000007", {"QOP"}),
        ("QHM", {"QHM"}),
        ("E54000050", {"QHM"}),
        ("QWO", {"QWO"}),
        ("E54000054", {"QWO"}),
        ("E54000064", {"QNX"}),
        ("E54000053", {"QNX"}),
        ("QRL", {"QRL"}),
        ("E54000042", {"QRL"}),
        ("S1Y5D", {"S1Y5D"}),
        ("D7T5G", {"D7T5G"}),
        ("E54000045", set()),
        ("E54000005", set()),
    ],
)
def test_icb_by_code(icb: Resolver, code: str, expected: set[str]) -> None:
    """ICBs resolve by ODS code, 2023 ONS code and 2021 STP code, not by 2017-only codes."""
    assert icb.by_code(code) == expected


def test_any_by_code_spans_kinds(anyone: Resolver) -> None:
    """With entity 'any', a code both an STP and its ICB used matches both."""
    assert anyone.by_code("E54000037") == {"E54000037", "QJK"}
    assert anyone.by_code("E54000050") == {"E54000049", "QHM"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Durham, Darlington & Tees, Hambleton, Richmondshire & Whitby", "E54000045"),
        ("durham darlington and tees hambleton richmondshire and whitby", "E54000045"),
        ("Durham, Darlington, Tees, Hambleton Richmondshire and Whitby", "E54000045"),
        ("DURHAM, DARLINGTON, TEESSIDE, HAMBLETON, RICHMONDSHIRE AND WHITBY STP", "E54000045"),
        ("Northumberland, Tyne & Wear", "E54000046"),
        ("West, North and East Cumbria", "E54000047"),
        ("Lancashire & South Cumbria", "E54000048"),
        ("Healthier Lancashire and South Cumbria", "E54000048"),
        ("Black Country", "E54000016"),
        ("the black country and west birmingham", "E54000016"),
        ("Coast, Humber and Vale", "E54000006"),
        ("Humber Coast & Vale STP", "E54000006"),
        ("West Yorkshire and Harrogate Health and Care Partnership", "E54000005"),
        ("Together We're Better", "E54000010"),
        ("BOB", "E54000044"),
        ("Frimley", "E54000034"),
        ("Frimley Health", "E54000034"),
        ("Devon", "E54000037"),
        ("Devon Sustainability and Transformation Partnership", "E54000037"),
        ("North London Partners in Health and Care", "E54000028"),
        ("Cornwall & the Isles of Scilly", "E54000036"),
        ("E54000013", "E54000013"),
    ],
)
def test_stp_by_name(stp: Resolver, name: str, expected: str) -> None:
    """Names and aliases resolve whatever their case, punctuation, '&', 'the' or suffix."""
    assert stp.by_name(name) == {expected}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Devon", "QJK"),
        ("NHS Devon Integrated Care Board", "QJK"),
        ("NHS DEVON INTEGRATED CARE BOARD", "QJK"),
        ("Devon ICB", "QJK"),
        ("Greater Manchester", "QOP"),
        ("North East and North Cumbria ICB", "QHM"),
        ("Hampshire and Isle of Wight", "QRL"),
        ("NHS Staffordshire and Stoke-on-Trent ICB", "QNC"),
        ("NHS Essex", "D7T5G"),
        ("Thames Valley ICB", "S0E4D"),
        ("NHS Surrey & Sussex", "S9B9J"),
    ],
)
def test_icb_by_name(icb: Resolver, name: str, expected: str) -> None:
    """ICB names resolve in their long, upper-case and short forms."""
    assert icb.by_name(name) == {expected}


@pytest.mark.parametrize(
    ("name", "stp_codes", "icb_codes"),
    [
        ("Devon", {"E54000037"}, {"QJK"}),
        ("Frimley", {"E54000034"}, {"QNQ"}),
        ("Durham, Darlington & Tees, Hambleton, Richmondshire & Whitby", {"E54000045"}, set()),
        ("North East and North Cumbria", set(), {"QHM"}),
        ("NHS Central East", set(), {"S1Y5D"}),
    ],
)
def test_entity_scoping(
    stp: Resolver, icb: Resolver, name: str, stp_codes: set[str], icb_codes: set[str]
) -> None:
    """The same name resolves to the STP for entity stp and to the ICB for entity icb."""
    assert stp.by_name(name) == stp_codes
    assert icb.by_name(name) == icb_codes


def test_any_by_name_is_ambiguous(anyone: Resolver) -> None:
    """With entity 'any', 'Devon' names both the STP and the ICB."""
    assert anyone.by_name("Devon") == {"E54000037", "QJK"}


@pytest.mark.parametrize("name", ["Lincolnshre", "Nowhere Partnership", "", "Devonshire"])
def test_by_name_unknown(stp: Resolver, name: str) -> None:
    """A name no rule matches resolves to nothing (never a guess)."""
    assert stp.by_name(name) == set()


def test_candidates_for_misspelling(stp: Resolver) -> None:
    """A misspelt name's best candidate is the right STP with a high score."""
    found = stp.candidates("Lincolnshre")
    assert len(found) == 3
    assert found[0].code == "E54000013"
    assert found[0].name == "Lincolnshire"
    assert found[0].score > 80
    assert all(isinstance(c, Candidate) for c in found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert len({c.code for c in found}) == 3


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Lincolnshre", "E54000013"),
        ("Cheshire & Mersyside", "E54000008"),
        ("Northamtonshire STP", "E54000020"),
        ("Glocestershire", "E54000043"),
    ],
)
def test_candidates_limit_one(stp: Resolver, name: str, code: str) -> None:
    """limit=1 gives just the best candidate."""
    found = stp.candidates(name, limit=1)
    assert [c.code for c in found] == [code]
    assert found[0].score > 80


def test_candidates_scoped_to_entity(icb: Resolver) -> None:
    """ICB candidates are ICBs, shown by their display name."""
    found = icb.candidates("Lincolnshre ICB")
    assert found[0] == Candidate("QJM", "NHS Lincolnshire Integrated Care Board", found[0].score)
    assert found[0].score > 80
    assert all(c.code in icb.display for c in found)


def test_exact_name_scores_100(stp: Resolver) -> None:
    """A known name is its own best candidate with score 100."""
    assert stp.candidates("Devon", limit=1) == [Candidate("E54000037", "Devon", 100.0)]


@pytest.mark.parametrize(
    ("alias", "normalised"),
    [
        ("The Black Country STP", "black country"),
        ("Lancashire & South Cumbria", "lancashire and south cumbria"),
        ("NHS Devon Integrated Care Board", "devon"),
    ],
)
def test_alias_row(alias: str, normalised: str) -> None:
    """alias_row fills in the normalised form and keeps the rest as given."""
    assert alias_row(alias, "X1", "manual", "2024-01-01T00:00:00Z") == {
        "alias": alias,
        "normalised": normalised,
        "code": "X1",
        "origin": "manual",
        "added_at": "2024-01-01T00:00:00Z",
    }


def test_alias_row_default_time() -> None:
    """Without `now`, added_at is None."""
    assert alias_row("Devon", "E54000037", "registry")["added_at"] is None


def test_new_alias_is_used(tmp_path: Path) -> None:
    """An alias added to the table resolves after the resolver is rebuilt."""
    db = open_db(tmp_path / "alias.db")
    load_registry(db)
    assert Resolver.from_db(db, "stp").by_name("Glos STP") == set()
    db.table("aliases").insert(alias_row("Glos", "E54000043", "manual"))
    assert Resolver.from_db(db, "stp").by_name("Glos STP") == {"E54000043"}


def test_by_name_typographic_apostrophe(stp: Resolver) -> None:
    """A press source's curly apostrophe resolves like the straight one."""
    assert stp.by_name("Together We’re Better") == {"E54000010"}


# The invariant of resolution over time ----------------------------------------------------------

REGISTRY = build_registry()
KINDS = {org["code"]: org["kind"] for org in REGISTRY.organisations}
LIFETIMES = {
    org["code"]: (org["valid_from"] or "", org["valid_to"] or "9999")
    for org in REGISTRY.organisations
}
SPELLINGS = sorted(
    {a["alias"] for a in REGISTRY.aliases} | {o["name"] for o in REGISTRY.organisations}
)


@st.composite
def releases(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(entity, date, code, name): a date within some organisation's lifetime, and a row
    naming by code or by name anything ever spelt, sometimes misspelt by one character."""
    entity = draw(st.sampled_from(["stp", "icb", "any"]))
    org = draw(st.sampled_from(REGISTRY.organisations))
    start = dt.date.fromisoformat(org["valid_from"] or "2015-01-01")
    end = dt.date.fromisoformat(org["valid_to"] or "2030-01-01") - dt.timedelta(days=1)
    on = draw(st.dates(min_value=start, max_value=end)).isoformat()
    text = draw(st.sampled_from(SPELLINGS))
    if draw(st.booleans()) and len(text) > 3:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from("aeiouxz ")) + text[at + 1 :]
    by_code = looks_like_code(text) and draw(st.booleans())
    return entity, on, text if by_code else "", "" if by_code else text


@pytest.fixture(scope="module")
def resolvers(registry_db: Database) -> dict[str, Resolver]:
    """A resolver over each entity of the property."""
    return {entity: Resolver.from_db(registry_db, entity) for entity in ("stp", "icb", "any")}


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(releases())
def test_resolution_never_leaves_the_kind_or_the_lifetime(
    resolvers: dict[str, Resolver], release: tuple[str, str, str, str]
) -> None:
    """For any release dated within some organisation's lifetime, whatever a row says (a code
    or name of any organisation of any time, or a misspelling), what it resolves to existed on
    that date and is of the source's kind, by exact rules and by fuzzy matching alike."""
    entity, on, code, name = release
    source = SourceConfig(name="p", format="csv", entity=entity, columns={"c": "org.code"})
    identifier = Identifier(resolvers[entity], source, Kinds(), "p.csv", ("c", "n"))
    found = identifier.identify(2, code, name, on)
    if found is not None:
        org = found[0]
        start, end = LIFETIMES[org]
        assert start <= on < end, (org, on)
        assert entity in ("any", KINDS[org]), (org, entity)
