"""The command line end to end: init, ingest, changes and history, and every error path."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stp_tracker.cli import main
from stp_tracker.store.apply import open_db
from tests.conftest import HEADER, snapshot, write_config

GOOD_ROWS = [
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "1200", "2017-07-21"],
    ["E54000010", "Staffordshire", "Red", "Simon Whitehouse", "900", "2017-07-21"],
    ["E54000005", "West Yorkshire", "Making progress", "Rob Webster CBE", "2,500", "2017-07-21"],
]
LATER_ROWS = [
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "1200", "2018-05-01"],
    ["E54000010", "Staffordshire", "Making progress", "Dr Simon Whitehouse", "900", "2018-05-01"],
    ["E54000005", "West Yorkshire", "Advanced", "Rob Webster", "2500", "2018-05-01"],
]


@pytest.fixture
def cli(tmp_path: Path, config_dir: Path):
    """Run the CLI against a temporary database and config folder; returns the result."""
    runner = CliRunner()
    env = {"STP_TRACKER_DB": str(tmp_path / "db" / "stp.db"), "STP_TRACKER_CONFIG": str(config_dir)}

    def invoke(*args: str):
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    invoke.db_path = tmp_path / "db" / "stp.db"  # type: ignore[attr-defined]
    return invoke


@pytest.fixture
def initialised(cli):
    """A database after `stp-tracker init`."""
    assert cli("init").exit_code == 0
    return cli


def rows(db_path: Path, sql: str) -> list[tuple]:
    """Run SQL against the test database."""
    return open_db(db_path).execute(sql).fetchall()


def test_init_loads_the_registry_and_reference_facts(initialised) -> None:
    """init: 45 STPs (the 44 of 2017 and their 2018 merger), the 20 confirmed 2017 ratings and
    confirmed leaders with publishers; the STPs have ceased, so none of it is current."""
    db_path = initialised.db_path
    assert rows(db_path, "select count(*) from organisations where kind = 'stp'") == [(45,)]
    open_ratings = "from rating_history where valid_to is null"
    assert rows(db_path, f"select count(*) {open_ratings}") == [(20,)]
    bands = rows(db_path, f"select rating, count(*) {open_ratings} group by rating order by rating")
    assert bands == [
        ("Advanced", 1), ("Making progress", 9), ("Needs most improvement", 5), ("Outstanding", 5),
    ]  # fmt: skip
    assert rows(db_path, "select count(*) from facts where publisher is null") == [(0,)]
    leaders = rows(
        db_path,
        "select role, count(*) from leadership_history where type = 'fact' and date_to is null "
        "group by role",
    )
    assert leaders == [("chair", 1), ("stp_lead", 16)]
    assert rows(
        db_path,
        "select leader, publisher from leadership_history where org_code = 'E54000048' "
        "and type = 'fact' and date_to is null",
    ) == [("Dr Amanda Doyle", "Health Service Journal")]
    assert rows(db_path, "select count(*) from rating_history") == [(20,)]
    assert rows(db_path, "select count(*) from events") == [(11,)]
    assert rows(db_path, "select count(*) from current_ratings") == [(0,)]
    assert rows(db_path, "select count(*) from current_leaders") == [(0,)]


def test_init_twice_changes_nothing(initialised) -> None:
    """A second init leaves every table, fetches included, exactly as it was."""
    db = open_db(initialised.db_path)
    before = snapshot(db, skip=())
    result = initialised("init")
    assert result.exit_code == 0 and "up to date" in result.output
    assert snapshot(open_db(initialised.db_path), skip=()) == before


def test_ingesting_the_same_file_twice_adds_no_facts_or_changes(initialised, write_csv) -> None:
    """Idempotence through the CLI: the second ingest is recorded as an unchanged fetch only."""
    path = write_csv("dash.csv", GOOD_ROWS)
    assert initialised("ingest", "dashboard", str(path)).exit_code == 0
    before = snapshot(open_db(initialised.db_path))
    result = initialised("ingest", "dashboard", str(path))
    assert result.exit_code == 0, result.output
    assert snapshot(open_db(initialised.db_path)) == before
    outcomes = rows(initialised.db_path, "select outcome from fetches where source = 'dashboard'")
    assert outcomes == [("changed",), ("unchanged",)]


def test_formatting_differences_are_not_changes(initialised, write_csv) -> None:
    """'Red' vs 'Needs most improvement', 'Rob Webster CBE' vs 'Rob Webster', '2,500' vs '2500'."""
    first = write_csv("a.csv", GOOD_ROWS)
    same = [[*row[:5], "2018-01-01"] for row in GOOD_ROWS]
    same[1][2], same[2][3], same[2][4] = "needs-most-improvement", "Rob Webster", "2500"
    second = write_csv("b.csv", same)
    assert initialised("ingest", "dashboard", str(first), str(second)).exit_code == 0
    changed = rows(
        initialised.db_path,
        "select count(*) from changes where source = 'dashboard' and old_value is not null",
    )
    assert changed == [(0,)]


def history(db_path: Path) -> list[tuple]:
    """The believed valid-time history and changes of the dashboard source."""
    facts = rows(
        db_path,
        "select org_code, attribute, value, valid_from, valid_to from facts "
        "where source = 'dashboard' and retired_at is null order by 1, 2, 4",
    )
    changes = rows(
        db_path,
        "select org_code, attribute, old_value, new_value, effective, direction from changes "
        "where source = 'dashboard' and retired_at is null order by 1, 2, 5",
    )
    return facts + changes


def test_reverse_order_gives_the_same_history_as_date_order(tmp_path, write_csv) -> None:
    """Backfilling releases newest-first yields the same valid-time history as oldest-first."""
    early, late = write_csv("early.csv", GOOD_ROWS), write_csv("late.csv", LATER_ROWS)
    results = []
    for name, order in (("forward", [early, late]), ("reverse", [late, early])):
        runner = CliRunner()
        env = {
            "STP_TRACKER_DB": str(tmp_path / name / "stp.db"),
            "STP_TRACKER_CONFIG": str(write_config(tmp_path / f"config-{name}")),
        }
        assert runner.invoke(main, ["init"], env=env).exit_code == 0
        for path in order:
            assert runner.invoke(main, ["ingest", "dashboard", str(path)], env=env).exit_code == 0
        results.append(history(tmp_path / name / "stp.db"))
    assert results[0] == results[1]
    assert ("E54000010", "rating.overall", "Needs most improvement", "Making progress",
            "2018-05-01", "improved") in results[0]  # fmt: skip


def test_as_of_gives_files_without_dates_their_effective_date(initialised, write_csv) -> None:
    """--as-of dates a release whose source has no date of its own."""
    path = write_csv(
        "press.csv", [["The Dorset STP", "Advanced"]], header=["Partnership", "Rating"]
    )
    result = initialised("ingest", "press", str(path), "--as-of", "21/07/2017")
    assert result.exit_code == 0, result.output
    assert rows(
        initialised.db_path, "select org_code, value, valid_from from facts where source = 'press'"
    ) == [("E54000041", "Advanced", "2017-07-21")]


BAD_FILES = {
    "missing column": (
        [r[:3] + r[4:] for r in GOOD_ROWS],
        [h for h in HEADER if h != "Footprint lead"],
        "field 'Footprint lead': mapped column 'Footprint lead' not found",
    ),
    "repeated organisation that disagrees": (
        [*GOOD_ROWS, ["E54000041", "Dorset", "Advanced", "", "", "2017-07-21"]],
        None,
        "row 5: field 'Overall rating': Dorset (E54000041) is on rows 2 and 5 of the release of "
        "2017-07-21 with different values of rating.overall: 'Outstanding' and 'Advanced'",
    ),
    "bad date": (
        [GOOD_ROWS[0], [*GOOD_ROWS[1][:5], "31/02/2017"]],
        None,
        "row 3: field 'Period': '31/02/2017' is not a date",
    ),
    "unknown band": (
        [[*GOOD_ROWS[0][:2], "Purple", *GOOD_ROWS[0][3:]]],
        None,
        "row 2: field 'Overall rating': 'Purple' is not a band of scale stp-2017",
    ),
    "bad metric": (
        [[*GOOD_ROWS[0][:4], "lots", *GOOD_ROWS[0][5:]]],
        None,
        "row 2: field 'Beds': 'lots' is not a number",
    ),
    "unresolved name": (
        [GOOD_ROWS[0], ["", "Lincs", "Advanced", "", "", "2017-07-21"]],
        None,
        "row 3: field 'STP name': 'Lincs' matches no stp that existed on 2017-07-21; closest: "
        "Lincolnshire (E54000013",
    ),
    "unknown code": (
        [["E54000099", "", "Advanced", "", "", "2017-07-21"]],
        None,
        "row 2: field 'STP code': 'E54000099' matches no stp",
    ),
    "header only": ([], None, "the file has a header but no data rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_fails_with_one_clear_line_and_changes_nothing(initialised, write_csv, case):
    """Each bad release exits non-zero naming file, row and field, and only fetches/unmatched
    change (a good file in the same run is not applied either)."""
    body, header, message = BAD_FILES[case]
    good = write_csv("good.csv", LATER_ROWS)
    path = write_csv("bad.csv", body, header=header)
    db = open_db(initialised.db_path)
    before = snapshot(db)
    result = initialised("ingest", "dashboard", str(good), str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {path.name}: ")  # its name, not its folder
    assert message in result.stderr
    assert snapshot(open_db(initialised.db_path)) == before
    outcomes = rows(
        initialised.db_path, "select outcome, error from fetches where source = 'dashboard'"
    )
    assert [o for o, _ in outcomes] == ["failed", "failed"]
    assert all(message in error for _, error in outcomes)


def test_unresolved_names_are_kept_for_review_with_candidates(initialised, write_csv) -> None:
    """An unresolved name lands in `unmatched` with its closest candidates, never as an org."""
    path = write_csv("bad.csv", [["", "Lincs", "Advanced", "", "", "2017-07-21"]])
    assert initialised("ingest", "dashboard", str(path)).exit_code == 1
    (name, row, field, candidates), = rows(
        initialised.db_path, "select name, row, field, candidates from unmatched"
    )  # fmt: skip
    assert (name, row, field) == ("Lincs", 2, "STP name")
    assert json.loads(candidates)[0]["code"] == "E54000013"
    assert rows(initialised.db_path, "select count(*) from organisations") == [(93,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "nosuch", "x.csv"], "unknown source 'nosuch'"),
        (["ingest", "dashboard", "does-not-exist.csv"], "does-not-exist.csv: file not found"),
        (["history", "Atlantis"], "no organisation matches 'Atlantis'"),
        (["changes", "--org", "Nowhere at all"], "no organisation matches 'Nowhere at all'"),
    ],
)
def test_user_errors_are_one_line_without_traceback(initialised, args, message) -> None:
    """Unknown source, unreadable file, unknown or ambiguous organisation: one line, exit 1 or 2."""
    before = snapshot(open_db(initialised.db_path))
    result = initialised(*args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr and "Traceback" not in result.output
    assert snapshot(open_db(initialised.db_path)) == before


def test_bad_as_of_is_a_usage_error(initialised, write_csv) -> None:
    """An impossible --as-of date is rejected before anything is read."""
    path = write_csv("press.csv", [["Dorset", "Advanced"]], header=["Partnership", "Rating"])
    result = initialised("ingest", "press", str(path), "--as-of", "2017-13-01")
    assert result.exit_code == 2 and "--as-of" in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_changes_are_listed_in_every_format(initialised, write_csv, fmt) -> None:
    """`changes --since --org` filters by effective date and organisation name in any format."""
    write = write_csv("a.csv", GOOD_ROWS), write_csv("b.csv", LATER_ROWS)
    assert initialised("ingest", "dashboard", *map(str, write)).exit_code == 0
    result = initialised(
        "changes", "--since", "2018-01-01", "--org", "Staffordshire", "--format", fmt
    )
    if fmt == "json":
        found = json.loads(result.output)
        assert {(c["attribute"], c["old_value"], c["new_value"]) for c in found} == {
            ("rating.overall", "Needs most improvement", "Making progress"),
        }
    else:
        assert "Making progress" in result.output and "E54000005" not in result.output


def test_changes_for_an_unknown_name_are_an_error(initialised) -> None:
    """`changes --org` with a name matching nothing explains instead of printing nothing."""
    result = initialised("changes", "--org", "Nowhere at all")
    assert result.exit_code == 1 and "no organisation matches" in result.stderr


@pytest.mark.parametrize("name", ["E54000048", "Healthier Lancashire and South Cumbria",
                                  "lancashire & south cumbria STP"])  # fmt: skip
def test_history_accepts_a_code_or_any_known_name(initialised, name) -> None:
    """history ORG resolves codes and aliases and shows names, lineage, facts and events."""
    result = initialised("history", name)
    assert result.exit_code == 0, result.output
    assert "Lancashire and South Cumbria (E54000048, stp)" in result.output
    assert "NHS Lancashire and South Cumbria Integrated Care Board (QE1)" in result.output
    assert "Dr Amanda Doyle" in result.output


def test_the_console_script_reports_errors_without_a_traceback(tmp_path) -> None:
    """The installed entry point turns a project error into one line and exit status 2."""
    result = subprocess.run(
        [sys.executable, "-m", "stp_tracker", "init", "--config", str(tmp_path / "nowhere"),
         "--db", str(tmp_path / "x.db")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: config folder")
    assert "Traceback" not in result.stderr


LOCATIONS_TOML = """\
[[source]]
name = "locations"
format = "csv"
entity = "location"
creates = true
complete = false
effective_column = "period"
scale = "stp-2017"

[source.columns]
code = "org.code"
name = "org.name"
rating = "rating.overall"
"""


def test_later_files_of_one_run_resolve_what_earlier_files_created(tmp_path: Path) -> None:
    """In one ingest of several files, a row naming only by name an organisation that an
    earlier file created resolves to it, as it would once that file was applied; one run of
    both files gives the history that one run per file gives."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "sources.toml").write_text(LOCATIONS_TOML)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("code,name,rating,period\nL1,Riverside Clinic,Advanced,2018-01-01\n")
    second.write_text("code,name,rating,period\n,Riverside Clinic,Outstanding,2018-04-01\n")
    runner = CliRunner()

    def history(db: Path, *batches: list[Path]) -> list[tuple]:
        for files in batches:
            args = [
                "ingest",
                "locations",
                *map(str, files),
                "--db",
                str(db),
                "--config",
                str(config),
            ]
            result = runner.invoke(main, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
        believed = (
            "select org_code, value, valid_from, valid_to from facts where retired_at is null"
        )
        organisations = "select code, name, valid_from from organisations where kind = 'location'"
        return rows(db, f"{believed} order by 3, 2") + rows(db, organisations)

    together = history(tmp_path / "one.db", [first, second])
    assert together == [
        ("L1", "Advanced", "2018-01-01", "2018-04-01"),
        ("L1", "Riverside Clinic", "2018-01-01", None),
        ("L1", "Outstanding", "2018-04-01", None),
        ("L1", "Riverside Clinic", "2018-01-01"),
    ]
    assert history(tmp_path / "two.db", [first], [second]) == together


def test_a_misspelt_name_in_a_later_file_is_fuzzy_matched_to_an_organisation_created_earlier(
    tmp_path: Path,
) -> None:
    """Fuzzy matching in one run sees the organisations earlier files created, as it would
    once they were applied: the misspelling resolves and is kept as a 'fuzzy' alias."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "sources.toml").write_text(LOCATIONS_TOML)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("code,name,rating,period\nL1,Riverside Clinic,Advanced,2018-01-01\n")
    second.write_text("code,name,rating,period\n,Riverside Clinc,Outstanding,2018-04-01\n")
    db = tmp_path / "one.db"
    args = ["ingest", "locations", str(first), str(second), "--db", str(db)]
    result = CliRunner().invoke(main, [*args, "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert rows(db, "select alias, code, origin from aliases where origin = 'fuzzy'") == [
        ("Riverside Clinc", "L1", "fuzzy")
    ]
    assert rows(db, "select value from facts where attribute = 'rating.overall' order by 1") == [
        ("Advanced",), ("Outstanding",),
    ]  # fmt: skip


EXTRACT_SOURCE = """
[[source]]
name = "ods-eccg"
format = "csv"
header_row = 0
entity = "ccg"
creates = true
effective = "2020-04-01"

[source.columns]
"1" = "org.code"
"2" = "org.name"
"""


def test_a_headerless_ods_extract_is_ingested_by_position(
    initialised, config_dir, tmp_path
) -> None:
    """An NHS ODS extract with no header row (eccg's shape) maps its columns by position and
    creates its organisations; a mapping past its last column says the columns are numbered."""
    from tests.test_parse import ECCG

    with (config_dir / "sources.toml").open("a", encoding="utf-8") as sources:
        sources.write(EXTRACT_SOURCE)
    (tmp_path / "eccg.csv").write_bytes(ECCG)
    result = initialised("ingest", "ods-eccg", str(tmp_path / "eccg.csv"))
    assert result.exit_code == 0, result.output
    assert rows(initialised.db_path, "select code, name from organisations where kind = 'ccg'") == [
        ("00C", "NHS DARLINGTON CCG"),
        ("00D", "NHS DURHAM DALES, EASINGTON AND SEDGEFIELD CCG"),
        ("00J", "NHS NORTH DURHAM CCG"),
    ]
    with (config_dir / "sources.toml").open("a", encoding="utf-8") as sources:
        sources.write(EXTRACT_SOURCE.replace("ods-eccg", "too-far").replace('"2" =', '"30" ='))
    result = initialised("ingest", "too-far", str(tmp_path / "eccg.csv"))
    assert result.exit_code == 1
    assert "mapped column '30' not found (source 'too-far'); the file has no header row " in (
        result.output
    )
    assert "so columns are numbered by position and it has '1' to '27'" in result.output


READING = [("status",), ("changes",), ("history", "E54000010"), ("serve", "--port", "0")]


@pytest.mark.parametrize("verb", READING, ids=lambda verb: verb[0])
def test_a_reading_verb_never_creates_a_database(tmp_path: Path, config_dir: Path, verb) -> None:
    """serve, status, changes and history given a path that holds no database say so, naming
    it, and leave nothing behind (not an empty database, not an empty site)."""
    typo = tmp_path / "db" / "stpp.db"
    result = CliRunner().invoke(
        main, [*verb, "--db", str(typo), "--config", str(config_dir)], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {typo}: no database there")
    assert not typo.exists() and not typo.parent.exists()


@pytest.mark.parametrize("verb", READING, ids=lambda verb: verb[0])
def test_a_reading_verb_never_upgrades_a_database(tmp_path: Path, config_dir: Path, verb) -> None:
    """A database an older release made is read by no reading verb: it says how to upgrade
    it, and the file is left exactly as it was."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "data" / "legacy-0.1.sql").read_text("utf-8"))
    conn.close()
    before = path.read_bytes()
    result = CliRunner().invoke(
        main, [*verb, "--db", str(path), "--config", str(config_dir)], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert (
        "was made by an older stp-tracker" in result.stderr and "stp-tracker init" in result.stderr
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize("verb", READING[:3], ids=lambda verb: verb[0])
def test_a_reading_verb_writes_nothing(initialised, verb) -> None:
    """status, changes and history on a current database commit nothing at all."""
    watcher = sqlite3.connect(initialised.db_path)
    version = watcher.execute("pragma data_version").fetchone()
    initialised(*verb)
    assert watcher.execute("pragma data_version").fetchone() == version
