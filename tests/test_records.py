"""From parsed rows to releases: fuzzy matching of unresolved names, and curated aliases.

A name no rule resolves is accepted automatically only when one organisation scores at least
92 and leads every other by 8 points; such a match is kept as an alias with origin 'fuzzy' (for
review) only if its run is applied. Anything less is left unmatched for a person.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from stp_tracker.cli import main
from stp_tracker.config import Config, SourceConfig
from stp_tracker.errors import ParseError
from stp_tracker.extract.records import extract
from stp_tracker.parse import Row, Table
from stp_tracker.resolve.resolver import AUTO_ACCEPT_MARGIN, AUTO_ACCEPT_SCORE, Resolver
from stp_tracker.store.apply import open_db, release_digest
from tests.conftest import snapshot

REPO = Path(__file__).resolve().parent.parent
PRESS = ["Partnership", "Rating"]
ACCEPTED = [  # (name, organisation, best score, runner-up's score)
    ("Lincolnshre", "E54000013", 95.7, 60.0),
    ("Dorsett", "E54000041", 92.3, 66.7),
    ("Greater Manchestr", "E54000007", 97.1, 54.5),
    ("Frimley Heath", "E54000034", 96.3, 55.4),
    ("Birmingham & Solihul", "E54000017", 97.8, 85.5),
    ("Gloucestershre", "E54000043", 96.6, 83.6),
]
REFUSED = {
    "two equally close": "South London",  # South East and South West London, both 95
    "just under the score": "Herefordshire and Worcester",  # 91.5
    "an abbreviation": "Lincs",  # 80
    "nothing like it": "Atlantis",
    "a code": "E54000099",
}


@pytest.fixture
def stp(db: Database) -> Resolver:
    """A resolver over the registry's STPs."""
    return Resolver.from_db(db, "stp")


def press_release(config: Config, resolver: Resolver, *names: str):
    """Extract a press-style table (name and rating) of `names`, dated 21 July 2017."""
    table = Table(
        tuple(PRESS),
        tuple(
            Row(n, {"Partnership": name, "Rating": "Advanced"}) for n, name in enumerate(names, 2)
        ),
    )
    source = config.source("press")
    return extract(
        table,
        source,
        origin="press.csv",
        resolver=resolver,
        scale=config.scales["stp-2017"],
        as_of="2017-07-21",
        fetch_id=7,
    )


@pytest.mark.parametrize(("name", "code", "best", "runner_up"), ACCEPTED)
def test_a_close_clear_fuzzy_match_is_accepted(
    stp: Resolver, name: str, code: str, best: float, runner_up: float
) -> None:
    """A misspelling scoring at least 92 and 8 ahead of any other organisation resolves."""
    found = stp.fuzzy_match(name)
    assert found is not None and (found.code, found.score) == (code, best)
    (first, second) = stp.candidates(name, limit=2)
    assert (first.score, second.score) == (best, runner_up)
    assert best >= AUTO_ACCEPT_SCORE and best - runner_up >= AUTO_ACCEPT_MARGIN


@pytest.mark.parametrize("case", list(REFUSED))
def test_an_unclear_fuzzy_match_is_refused(stp: Resolver, case: str) -> None:
    """Ties, near misses, abbreviations, strangers and codes are never matched automatically."""
    assert stp.fuzzy_match(REFUSED[case]) is None


def test_the_thresholds_can_be_loosened_by_the_caller(stp: Resolver) -> None:
    """The score and margin are parameters: 91.5 with a lead of 6 passes 90 and 5; a tie never."""
    assert stp.fuzzy_match("Herefordshire and Worcester", score=90) is None
    found = stp.fuzzy_match("Herefordshire and Worcester", score=90, margin=5)
    assert found is not None and found.code == "E54000019"
    assert stp.fuzzy_match("South London", score=90, margin=0.1) is None


@pytest.mark.parametrize(("name", "code", "best", "runner_up"), ACCEPTED)
def test_extract_carries_a_fuzzy_match_as_an_alias_of_the_release(
    config: Config, stp: Resolver, name: str, code: str, best: float, runner_up: float
) -> None:
    """The row resolves to the matched organisation and the release carries (name, code)."""
    extracted = press_release(config, stp, name, "Surrey Heartlands")
    assert extracted.unmatched == []
    (release,) = extracted.releases
    assert {s.org_code for s in release.statements} == {code, "E54000035"}
    assert release.aliases == ((name, code),)


@pytest.mark.parametrize("case", list(REFUSED))
def test_extract_leaves_an_unclear_name_unmatched_with_candidates(
    config: Config, stp: Resolver, case: str
) -> None:
    """A refused name is unmatched (with candidates unless it is a code) and no alias is made."""
    name = REFUSED[case]
    extracted = press_release(config, stp, name, "Surrey Heartlands")
    (unmatched,) = extracted.unmatched
    assert (unmatched.name, unmatched.row) == (name, 2)
    assert all(release.aliases == () for release in extracted.releases)


def test_a_known_code_is_never_second_guessed_by_its_name(config: Config, stp: Resolver) -> None:
    """A row with an unknown code is unmatched even when its name is a close misspelling."""
    source = config.source("dashboard")
    cells = dict.fromkeys([*source.columns, "Period"], "")
    cells |= {"STP code": "E54000099", "STP name": "Lincolnshre", "Period": "2017-07-21"}
    table = Table(tuple(cells), (Row(2, cells),))
    extracted = extract(
        table, source, origin="d.csv", resolver=stp, scale=config.scales["stp-2017"]
    )
    assert [u.name for u in extracted.unmatched] == ["Lincolnshre"]


def test_a_fuzzy_match_and_its_exact_twin_in_one_release_are_one_organisation(
    config: Config, stp: Resolver
) -> None:
    """ "Dorsett" and "Dorset" with one rating in one release collapse into one statement."""
    extracted = press_release(config, stp, "Dorset", "Dorsett")
    (release,) = extracted.releases
    assert [(s.org_code, s.value) for s in release.statements] == [("E54000041", "Advanced")]
    assert extracted.problems == []


# Through the command line ------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, config_dir: Path):
    """Run a verb against an initialised database in tmp_path."""
    runner = CliRunner()
    db_path = tmp_path / "db" / "stp.db"

    def invoke(*args: str) -> Result:
        """Run one verb with --db and --config."""
        options = ["--db", str(db_path), "--config", str(config_dir)]
        return runner.invoke(main, [*args, *options], catch_exceptions=False)

    invoke.db_path = db_path  # type: ignore[attr-defined]
    assert invoke("init").exit_code == 0
    return invoke


def aliases(db_path: Path, origin: str) -> list[tuple]:
    """The aliases of one origin as (alias, normalised, code)."""
    return (
        open_db(db_path)
        .execute(
            "select alias, normalised, code from aliases where origin = ? order by alias", [origin]
        )
        .fetchall()
    )


def test_an_applied_fuzzy_match_is_recorded_for_review(cli, write_csv) -> None:
    """Ingesting "Lincolnshre" applies its rating to Lincolnshire and records the alias with
    origin 'fuzzy' at the time the run was applied; the next file resolves it exactly."""
    path = write_csv("press.csv", [["Lincolnshre", "Advanced"]], header=PRESS)
    result = cli("ingest", "press", str(path), "--as-of", "2017-07-21")
    assert result.exit_code == 0, result.output
    db = open_db(cli.db_path)
    assert db.execute("select org_code, value from facts where source = 'press'").fetchall() == [
        ("E54000013", "Advanced")
    ]
    assert aliases(cli.db_path, "fuzzy") == [("Lincolnshre", "lincolnshre", "E54000013")]
    (added_at,) = db.execute("select added_at from aliases where origin = 'fuzzy'").fetchone()
    (applied_at,) = db.execute("select applied_at from fetches where source = 'press'").fetchone()
    assert added_at == applied_at
    later = write_csv("later.csv", [["lincolnshre", "Outstanding"]], header=PRESS)
    assert cli("ingest", "press", str(later), "--as-of", "2018-05-01").exit_code == 0
    assert aliases(cli.db_path, "fuzzy") == [("Lincolnshre", "lincolnshre", "E54000013")]


@pytest.mark.parametrize(
    ("other", "message"),
    [
        (["Atlantis", "Advanced"], "'Atlantis' matches no stp"),
        (["Devon", "Purple"], "'Purple' is not a band of scale stp-2017"),
    ],
)
def test_a_failed_run_records_no_fuzzy_alias(cli, write_csv, other, message) -> None:
    """When any other row of the run fails, the fuzzy match is not kept and nothing moves."""
    path = write_csv("press.csv", [["Lincolnshre", "Advanced"], other], header=PRESS)
    before = snapshot(open_db(cli.db_path))
    result = cli("ingest", "press", str(path), "--as-of", "2017-07-21")
    assert result.exit_code == 1 and message in result.stderr
    assert snapshot(open_db(cli.db_path)) == before
    assert aliases(cli.db_path, "fuzzy") == []
    unmatched = open_db(cli.db_path).execute("select name from unmatched").fetchall()
    assert unmatched == ([("Atlantis",)] if other[0] == "Atlantis" else [])


def test_a_curated_alias_makes_a_name_resolve(cli, write_csv) -> None:
    """`alias add "Lincs" E54000013` records a curated alias, and a file saying "Lincs" ingests."""
    path = write_csv("press.csv", [["Lincs", "Advanced"]], header=PRESS)
    assert cli("ingest", "press", str(path), "--as-of", "2017-07-21").exit_code == 1
    added = cli("alias", "add", "Lincs", "E54000013")
    assert added.exit_code == 0
    assert added.output == "'Lincs' now resolves to Lincolnshire (E54000013)\n"
    assert aliases(cli.db_path, "curated") == [("Lincs", "lincs", "E54000013")]
    result = cli("ingest", "press", str(path), "--as-of", "2017-07-21")
    assert result.exit_code == 0, result.output
    facts = open_db(cli.db_path).execute("select org_code from facts where source = 'press'")
    assert facts.fetchall() == [("E54000013",)]


def test_an_alias_of_an_unknown_code_is_refused(cli) -> None:
    """`alias add` with a code no organisation has exits 1 and records nothing."""
    before = snapshot(open_db(cli.db_path), skip=())
    result = cli("alias", "add", "Atlantis", "E54000099")
    assert result.exit_code == 1
    assert result.stderr == "error: no organisation has the code 'E54000099'\n"
    assert snapshot(open_db(cli.db_path), skip=()) == before


# What extraction remembers between files (memo.py): see test_memo.py.


# Columns with alternative names, and a recoded organisation's code -------------------------------


def test_a_file_uses_the_first_alternative_column_it_has(config: Config, stp: Resolver) -> None:
    """With STP18CD and STP20CD both mapped to org.code, a 2020 file (STP20CD only) reads; a
    file with neither fails naming both alternatives and the columns it has."""
    source = SourceConfig(
        name="ons", format="csv", entity="stp", columns={"STP18CD": "org.code",
        "STP20CD": "org.code", "Beds": "metric.beds"},
    )  # fmt: skip
    table = Table(("STP20CD", "Beds"), (Row(2, {"STP20CD": "E54000054", "Beds": "5"}),))
    extracted = extract(table, source, origin="s.csv", resolver=stp, scale=None, as_of="2021-01-01")
    assert {s.org_code for s in extracted.releases[0].statements} == {"E54000005"}
    other = Table(("CODE", "Beds"), (Row(2, {"CODE": "E54000054", "Beds": "5"}),))
    with pytest.raises(ParseError, match="mapped column 'STP18CD' or 'STP20CD' not found"):
        extract(other, source, origin="s.csv", resolver=stp, scale=None, as_of="2021-01-01")


def test_the_code_a_recoded_organisation_is_stated_under_is_part_of_its_release(
    stp: Resolver,
) -> None:
    """West Yorkshire under E54000005 or E54000054 on the same date states a different
    org.code, and the two releases' digests differ, so a correction is never taken for a
    restatement; Dorset, never recoded, states no code."""
    source = SourceConfig(name="s", format="csv", entity="stp", columns={"C": "org.code",
                          "Beds": "metric.beds"})  # fmt: skip

    def release(code: str):
        table = Table(("C", "Beds"), (Row(2, {"C": code, "Beds": "5"}),))
        (found,) = extract(table, source, origin="s.csv", resolver=stp, scale=None,
                           as_of="2020-06-01").releases  # fmt: skip
        return found

    old, new = release("E54000005"), release("E54000054")
    assert [(s.attribute, s.value) for s in old.statements] == [
        ("metric.beds", "5"),
        ("org.code", "E54000005"),
    ]
    assert [s.value for s in new.statements if s.attribute == "org.code"] == ["E54000054"]
    assert release_digest(old) != release_digest(new)  # the digest of what each states
    assert [s.attribute for s in release("E54000041").statements] == ["metric.beds"]
