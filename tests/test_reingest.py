"""Re-ingesting a body applied before: recorded unchanged without parsing, and only when safe.

The skip must never hide work: a file whose release another file corrected, a changed
configuration, another --as-of date, a new alias or a new organisation all send the body through
the parsers again, and a rebuild still replays every fetch. Opening a current database writes
nothing, and the ingest verb answers an identical re-ingest without importing sqlite-utils.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stp_tracker.cli import main
from stp_tracker.config.loading import load_config
from stp_tracker.fetch.archive import archive_root, body_path
from stp_tracker.fetch.body import read_file
from stp_tracker.pipeline import ingest_files
from stp_tracker.store.apply import open_db
from stp_tracker.store.fetches import config_digest, find_applied
from stp_tracker.store.migrations import MIGRATIONS
from stp_tracker.store.schema import is_current, pending_migrations, view_sql
from tests.conftest import DASHBOARD_SOURCE, snapshot, write_config

ROWS = [
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "1200", "2017-07-21"],
    ["E54000010", "Staffordshire", "Red", "Simon Whitehouse", "900", "2017-07-21"],
    ["E54000005", "West Yorkshire", "Making progress", "Rob Webster CBE", "2,500", "2017-07-21"],
]
CORRECTED = [["E54000041", "Dorset", "Advanced", "Tim Goodson", "1200", "2017-07-21"], *ROWS[1:]]
SAME_LINE = "0 release(s) applied, 1 unchanged; 0 facts and 0 changes recorded, 0 facts retired"
CREATOR = """
[[source]]
name = "maker"
format = "csv"
entity = "stp"
creates = true
effective_column = "Period"

[source.columns]
"Code" = "org.code"
"Name" = "org.name"
"""


class Tracker:
    """A config folder and a database (after `init`) in tmp_path, driven through the CLI."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.config_dir = write_config(tmp_path / "config")
        self.db_path = tmp_path / "db" / "stp.db"
        assert self.cli("init").exit_code == 0

    def cli(self, *args: str) -> Any:
        env = {"STP_TRACKER_DB": str(self.db_path), "STP_TRACKER_CONFIG": str(self.config_dir)}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    def ingest(self, source: str, *paths: Path, as_of: str | None = None, code: int = 0) -> str:
        """Run `stp-tracker ingest`, check its exit status and return its output."""
        extra = ["--as-of", as_of] if as_of else []
        result = self.cli("ingest", source, *map(str, paths), *extra)
        assert result.exit_code == code, result.output
        return result.output

    def write(self, name: str, rows: list[list[str]], header: str | None = None) -> Path:
        """A CSV file under tmp_path (the dashboard's header unless one is given)."""
        lines = [header or "STP code,STP name,Overall rating,Footprint lead,Beds,Period"]
        lines += [",".join(f'"{cell}"' for cell in row) for row in rows]
        path = self.tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def fetches(self, source: str = "dashboard") -> list[dict[str, Any]]:
        db = open_db(self.db_path)
        return list(db.query("select * from fetches where source = ? order by id", [source]))

    def snapshot(self) -> dict:
        return snapshot(open_db(self.db_path))

    def rating(self, code: str) -> list[tuple]:
        """The dashboard's believed, still open overall rating of `code` (a 2017 STP has
        ceased, so current_ratings no longer shows it)."""
        return (
            open_db(self.db_path)
            .execute(
                "select value, valid_from from facts where org_code = ? and source = 'dashboard' "
                "and attribute = 'rating.overall' and retired_at is null and valid_to is null",
                [code],
            )
            .fetchall()
        )


@pytest.fixture
def tracker(tmp_path: Path) -> Tracker:
    return Tracker(tmp_path)


def test_an_identical_reingest_records_only_an_unchanged_fetch(tracker: Tracker) -> None:
    """The second ingest of the same file writes nothing but its fetch row, which says what the
    first one applied; its bytes are archived again if they went missing."""
    path = tracker.write("dash.csv", ROWS)
    assert "1 release(s) applied, 0 unchanged" in tracker.ingest("dashboard", path)
    before = tracker.snapshot()
    archived = body_path(archive_root(tracker.db_path), read_file(path).sha256)
    archived.unlink()
    output = tracker.ingest("dashboard", path)
    assert output == f"dashboard: 1 file(s), 3 rows, {SAME_LINE}\n"
    assert tracker.snapshot() == before
    assert archived.exists()
    first, again = tracker.fetches()
    assert (again["outcome"], again["changes"], again["error"]) == ("unchanged", 0, None)
    assert again["config_digest"] == first["config_digest"] is not None
    assert again["applied_at"] is not None and again["applied_at"] > first["applied_at"]
    for column in ("records", "release_digests", "row_count", "sha256", "bytes"):
        assert again[column] == first[column], column
    assert list(json.loads(first["release_digests"])) == ["2017-07-21"] and first["row_count"] == 3


def test_the_library_path_restates_the_same_way(tracker: Tracker) -> None:
    """`ingest_files` (what init and scripts call) recognises the body as the CLI does."""
    paths = [tracker.write("a.csv", ROWS), tracker.write("b.csv", [[*ROWS[0][:5], "2018-01-01"]])]
    tracker.ingest("dashboard", *paths)
    before = tracker.snapshot()
    config = load_config(tracker.config_dir, environ={})
    report = ingest_files(open_db(tracker.db_path), config, "dashboard", paths)
    assert report.outcomes == ["unchanged", "unchanged"]
    assert (report.records, report.result.releases, report.result.unchanged_releases) == (4, 0, 2)
    assert report.result.unchanged == {("dashboard", "2017-07-21"), ("dashboard", "2018-01-01")}
    assert tracker.snapshot() == before
    assert [row["outcome"] for row in tracker.fetches()] == ["changed"] * 2 + ["unchanged"] * 2


def test_a_reingest_after_a_correction_applies_again(tracker: Tracker) -> None:
    """A file whose release a later file corrected is applied again, restoring its values."""
    original, correction = tracker.write("a.csv", ROWS), tracker.write("b.csv", CORRECTED)
    tracker.ingest("dashboard", original)
    tracker.ingest("dashboard", correction)
    assert tracker.rating("E54000041") == [("Advanced", "2017-07-21")]
    output = tracker.ingest("dashboard", original)
    assert "1 release(s) applied, 0 unchanged; 1 facts and 1 changes recorded" in output
    assert tracker.rating("E54000041") == [("Outstanding", "2017-07-21")]
    assert tracker.fetches()[-1]["outcome"] == "changed"
    assert SAME_LINE in tracker.ingest("dashboard", original)  # now it owns its release again


def test_one_new_file_sends_the_whole_run_through_the_parsers(tracker: Tracker) -> None:
    """Several files are restated only when every one of them was applied as it is."""
    old, new = tracker.write("a.csv", ROWS), tracker.write("b.csv", CORRECTED)
    tracker.ingest("dashboard", old)
    output = tracker.ingest("dashboard", old, new)
    assert "1 release(s) applied" in output  # the later file's version of the release wins
    assert tracker.rating("E54000041") == [("Advanced", "2017-07-21")]
    replaced, kept = tracker.fetches()[1:]
    assert replaced["release_digests"] is None and kept["release_digests"] is not None
    assert "1 release(s) applied" in tracker.ingest("dashboard", old)  # its version is back
    assert tracker.rating("E54000041") == [("Outstanding", "2017-07-21")]


def test_a_body_parsed_again_to_the_same_releases_is_recognised_next_time(
    tracker: Tracker,
) -> None:
    """After a configuration change that moves nothing, the fetch that parsed the file again
    (outcome unchanged) vouches for it: the next re-ingest needs no parsing."""
    path = tracker.write("dash.csv", ROWS)
    tracker.ingest("dashboard", path)
    sources = tracker.config_dir / "sources.toml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace('format = "csv"', 'format = "csv"\nencoding = "utf-8"', 1))
    assert SAME_LINE in tracker.ingest("dashboard", path)
    config = load_config(tracker.config_dir, environ={})
    conn = open_db(tracker.db_path).conn
    applied = find_applied(conn, config, config.source("dashboard"), read_file(path), as_of=None)
    assert applied is not None and applied.fetch_id == tracker.fetches()[1]["id"]
    assert applied.releases == ["2017-07-21"]


def test_a_configuration_change_applies_again(tracker: Tracker) -> None:
    """A source whose configuration changed parses the same bytes afresh."""
    path = tracker.write("dash.csv", ROWS)
    tracker.ingest("dashboard", path)
    sources = tracker.config_dir / "sources.toml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace('"NHS England"', '"NHS England (board papers)"', 1))
    output = tracker.ingest("dashboard", path)
    assert "1 release(s) applied, 0 unchanged" in output
    first, again = tracker.fetches()
    assert again["outcome"] == "changed" and again["config_digest"] != first["config_digest"]
    publishers = open_db(tracker.db_path).execute(
        "select distinct publisher from rating_history where source = 'dashboard' "
        "and valid_to is null"
    )
    assert publishers.fetchall() == [("NHS England (board papers)",)]


def test_the_digest_covers_what_parsing_reads_and_nothing_else(tmp_path: Path) -> None:
    """Mappings, the scale's definition and every parsing option count; titles and schedules
    do not."""
    folder = write_config(tmp_path / "config")

    def digest(sources: str | None = None, scales: tuple[str, str] | None = None) -> str:
        if sources is not None:
            (folder / "sources.toml").write_text(sources, encoding="utf-8")
        if scales is not None:
            text = (folder / "scales.toml").read_text(encoding="utf-8")
            (folder / "scales.toml").write_text(text.replace(*scales, 1), encoding="utf-8")
        config = load_config(folder, environ={})
        return config_digest(config, config.source("dashboard"))

    base = DASHBOARD_SOURCE.format(complete="false")
    original = digest()
    assert digest(base.replace("Test STP dashboard", "Renamed")) == original
    assert digest(base.replace('url = "dashboard.csv"', 'every = "6h"')) == original
    assert digest(base.replace("complete = false", "complete = true", 1)) != original
    assert digest(base.replace('"Beds" = "metric.beds"', '"Beds" = "metric.cots"')) != original
    assert digest(base.replace('format = "csv"', 'format = "csv"\nencoding = "cp1252"', 1)) != (
        original
    )
    assert digest(base) == original
    assert digest(scales=('"Red" =', '"Rouge" = "Needs most improvement"\n"Red" =')) != original


def test_another_as_of_date_applies_again(tracker: Tracker) -> None:
    """The same undated file under another --as-of date is another release."""
    header = "Partnership,Rating"
    path = tracker.write("press.csv", [["The Dorset STP", "Advanced"]], header=header)
    tracker.ingest("press", path, as_of="2017-07-21")
    output = tracker.ingest("press", path, as_of="2018-01-01")
    assert "1 release(s) applied, 0 unchanged" in output
    assert SAME_LINE in tracker.ingest("press", path, as_of="2018-01-01")
    assert SAME_LINE in tracker.ingest("press", path, as_of="2017-07-21")
    outcomes = [(row["as_of"], row["outcome"]) for row in tracker.fetches("press")]
    assert outcomes == [
        ("2017-07-21", "changed"), ("2018-01-01", "changed"),
        ("2018-01-01", "unchanged"), ("2017-07-21", "unchanged"),
    ]  # fmt: skip


def test_a_new_alias_resolves_the_names_again(tracker: Tracker) -> None:
    """After a curated alias makes a name ambiguous, the same file is parsed and fails."""
    path = tracker.write("press.csv", [["The Dorset STP", "Advanced"]], header="Partnership,Rating")
    tracker.ingest("press", path, as_of="2017-07-21")
    assert tracker.cli("alias", "add", "The Dorset STP", "E54000010").exit_code == 0
    output = tracker.ingest("press", path, as_of="2017-07-21", code=1)
    assert "'The Dorset STP' matches 2 organisations" in output
    assert tracker.fetches("press")[-1]["outcome"] == "failed"


def test_a_source_creating_organisations_since_blocks_the_skip(tracker: Tracker) -> None:
    """New organisations may change how names resolve; other sources' releases do not."""
    config_text = (tracker.config_dir / "sources.toml").read_text(encoding="utf-8")
    (tracker.config_dir / "sources.toml").write_text(config_text + CREATOR, encoding="utf-8")
    path = tracker.write("dash.csv", ROWS)
    tracker.ingest("dashboard", path)
    config = load_config(tracker.config_dir, environ={})
    source, body = config.source("dashboard"), read_file(path)

    def found() -> bool:
        conn = open_db(tracker.db_path).conn
        return find_applied(conn, config, source, body, as_of=None) is not None

    assert found()
    press = tracker.write("p.csv", [["Dorset", "Advanced"]], "Partnership,Rating")
    tracker.ingest("press", press, as_of="2018-01-01")
    assert found()
    maker = tracker.write(
        "maker.csv", [["E54000099", "New Place", "2018-01-01"]], "Code,Name,Period"
    )
    tracker.ingest("maker", maker)
    assert not found()
    assert "1 unchanged" in tracker.ingest("dashboard", path)  # parsed again: nothing moved


def test_a_rebuild_replays_restated_fetches_too(tracker: Tracker) -> None:
    """A rebuild never skips: the restated fetch is replayed and history comes back the same."""
    path = tracker.write("dash.csv", ROWS)
    tracker.ingest("dashboard", path)
    tracker.ingest("dashboard", path)
    before = snapshot(open_db(tracker.db_path), skip=("_sqlite_migrations",))
    result = tracker.cli("rebuild")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "rebuilt from 5 fetches (5 replayed, 0 dropped as unreplayable)\n"
    )
    assert snapshot(open_db(tracker.db_path), skip=("_sqlite_migrations",)) == before


def test_opening_a_current_database_writes_nothing(tmp_path: Path) -> None:
    """Another connection sees no commit when a database already in shape is opened again."""
    path = tmp_path / "stp.db"
    open_db(path).close()
    watcher = sqlite3.connect(path)
    version = watcher.execute("pragma data_version").fetchone()
    open_db(path).close()
    assert watcher.execute("pragma data_version").fetchone() == version
    assert is_current(watcher) and pending_migrations(watcher) == []


def test_opening_brings_a_stale_view_back_to_shape(tmp_path: Path) -> None:
    """A view whose SQL differs from today's (an older version's) is recreated on open."""
    path = tmp_path / "stp.db"
    open_db(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("drop view current_ratings")
    conn.execute("create view current_ratings as select 1 as old")
    assert not is_current(conn)
    open_db(path).close()
    stored = conn.execute("select sql from sqlite_master where name = 'current_ratings'")
    assert stored.fetchone()[0] == view_sql("current_ratings")
    assert is_current(conn)


def test_a_new_database_has_every_migration(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "empty.db")
    assert pending_migrations(conn)[-1] == MIGRATIONS[-1].__name__ and not is_current(conn)
    db = open_db(tmp_path / "empty.db")
    assert pending_migrations(db.conn) == []
    assert {"config_digest", "release_digests", "row_count"} <= set(db["fetches"].columns_dict)


def test_the_cli_restates_without_importing_the_parsers(tracker: Tracker) -> None:
    """Importing the CLI, and an identical re-ingest, load neither sqlite-utils, rapidfuzz nor
    an HTTP client."""
    path = tracker.write("dash.csv", ROWS)
    tracker.ingest("dashboard", path)
    heavy = ("sqlite_utils", "rapidfuzz", "stp_tracker.store.apply", "stp_tracker.parse",
             "httpx", "http.client")  # fmt: skip
    script = (
        "import sys\n"
        "from stp_tracker.cli import main\n"
        f"heavy = {heavy!r}\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        f"main(['ingest', 'dashboard', {str(path)!r}, '--db', {str(tracker.db_path)!r},\n"
        f"      '--config', {str(tracker.config_dir)!r}], standalone_mode=False)\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.splitlines() == [
        "[]",
        f"dashboard: 1 file(s), 3 rows, {SAME_LINE}",
        "[]",
    ]


def test_a_fetch_finishes_in_the_transaction_that_applies_it(tracker: Tracker) -> None:
    """When finishing the fetch row fails after its releases were applied, the releases are
    rolled back with it: no history is ever left under a fetch that did not finish."""
    path = tracker.write("dash.csv", ROWS)
    before = tracker.snapshot()
    db = open_db(tracker.db_path)
    db.execute(
        "create trigger fetches_stuck before update of outcome on fetches "
        "when new.outcome = 'changed' begin select raise(abort, 'disk on fire'); end"
    )
    db.close()
    result = tracker.cli("ingest", "dashboard", str(path))
    assert result.exit_code != 0
    assert tracker.snapshot() == before
    assert [row["outcome"] for row in tracker.fetches()] == ["failed"]
