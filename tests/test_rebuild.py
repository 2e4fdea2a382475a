"""`stp-tracker rebuild`: replaying the raw archive reproduces history, or corrects it.

A database is built the way the service builds one (init, ingests with a correction and a
two-file run, fetches from a real local server including a quarantined release accepted later,
fuzzy and curated aliases, failures), then rebuilt: untouched, every row comes back identical;
with a mapping fixed, history is corrected; with the archive damaged, nothing is replaced.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from stp_tracker.service.bootstrap import load_registry
from stp_tracker.store.apply import open_db
from tests.conftest import snapshot
from tests.httpserver import FixtureServer, fixture_server
from tests.test_collect import CSV_COLUMNS, Tracker, dashboard_csv, source_toml, stp_rows

WRONG = {**CSV_COLUMNS, "Footprint lead": "leader.chair"}  # the mistake the fix corrects
PRESS = {"Partnership": "org.name", "Rating": "rating.overall"}
SKIP = ("_sqlite_migrations",)  # when each migration ran: the one thing a rebuild may not keep


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    """A live FixtureServer on 127.0.0.1 for the module's history and tests."""
    yield from fixture_server()


@pytest.fixture
def tracker(tmp_path: Path, server: FixtureServer) -> Tracker:
    """A config folder and database in tmp_path with the registry loaded."""
    track = Tracker(tmp_path, server)
    db = track.db()
    load_registry(db)
    db.close()
    return track


def boundaries(*codes: str) -> bytes:
    """A GeoJSON FeatureCollection with a unit square for each STP code."""
    square = [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]
    features = [
        {
            "type": "Feature",
            "properties": {"STP17CD": code, "STP17NM": code},
            "geometry": {"type": "Polygon", "coordinates": square},
        }
        for code in codes
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def configure(tracker: Tracker, dash_columns: dict[str, str]) -> None:
    """The sources: dash (its lead column mapped by `dash_columns`), a complete one, press, map."""
    url = tracker.server.url
    tracker.configure(
        source_toml("dash", url("/dash.csv"), dash_columns),
        source_toml("full", url("/full.csv"), complete=True),
        source_toml("press", url("/press.csv"), PRESS, effective_column=None),
        source_toml("map", url("/map.geojson"), {"STP17CD": "org.code"}, format="geojson",
                    effective_column=None, scale=None),
    )  # fmt: skip


def run(tracker: Tracker, *args: str, code: int = 0) -> None:
    """Run a verb and check its exit status."""
    result = tracker.cli(*args)
    assert result.exit_code == code, result.output


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, server: FixtureServer) -> Path:
    """A folder holding a database whose history was made by every path that writes one,
    built once for the module; the `built` fixture gives each test its own copy."""
    tmp_path = tmp_path_factory.mktemp("history")
    tracker = Tracker(tmp_path, server)
    db = tracker.db()
    load_registry(db)
    db.close()
    configure(tracker, WRONG)
    server = tracker.server
    corrected = stp_rows(count=10)  # the same period again: one rating, one lead corrected
    corrected[0][2] = "Advanced"
    files = {
        "a.csv": dashboard_csv(stp_rows(count=10)),
        "b.csv": dashboard_csv(corrected).replace(b"Bill Ward", b"Dr Bill Warde"),
        "c.csv": dashboard_csv(stp_rows("2018-01-01", count=10, shift=1)),
        "d.csv": dashboard_csv(stp_rows("2018-05-01", count=12, shift=2)),
        "press1.csv": b"Partnership,Rating\nLincolnshre,Advanced\nThe Dorset STP,Outstanding\n",
        "press2.csv": b"Partnership,Rating\nLincs,Outstanding\n",
        "press3.csv": b"Partnership,Rating\nAtlantis,Advanced\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    def ingest(source: str, *names: str, code: int = 0, as_of: str | None = None) -> None:
        """`stp-tracker ingest SOURCE FILE...` of files written above."""
        dated = ["--as-of", as_of] if as_of else []
        run(tracker, "ingest", source, *(str(tmp_path / n) for n in names), *dated, code=code)

    run(tracker, "init")
    ingest("dash", "a.csv")
    ingest("dash", "b.csv")
    ingest("dash", "c.csv", "d.csv")  # two files, one run
    server.route("/dash.csv", body=dashboard_csv(stp_rows("2019-01-01", count=12)), etag='"d"')
    run(tracker, "fetch", "dash")
    run(tracker, "fetch", "dash")  # not modified
    server.route("/dash.csv", status=404)
    run(tracker, "fetch", "dash", code=1)
    server.route("/full.csv", body=dashboard_csv(stp_rows()))
    run(tracker, "fetch", "full")
    server.route("/full.csv", body=dashboard_csv(stp_rows("2018-05-01", count=3)))
    run(tracker, "fetch", "full", code=1)  # quarantined
    quarantined = tracker.fetches("full")[-1]["id"]
    server.route("/full.csv", body=dashboard_csv(stp_rows("2019-01-01")))
    run(tracker, "fetch", "full")  # applied before the earlier release is accepted
    run(tracker, "fetch", "full", "--accept", str(quarantined))
    server.route("/map.geojson", body=boundaries("E54000005", "E54000041"))
    run(tracker, "fetch", "map")
    ingest("press", "press1.csv", as_of="2017-07-21")  # "Lincolnshre" is matched fuzzily
    run(tracker, "alias", "add", "Lincs", "E54000013")
    ingest("press", "press2.csv", as_of="2018-05-01")
    ingest("press", "press3.csv", code=1, as_of="2018-06-01")  # Atlantis: unmatched
    return tmp_path


@pytest.fixture
def built(history: Path, tmp_path: Path, server: FixtureServer) -> Tracker:
    """A private copy of the module's history: database, archive and configuration."""
    tracker = Tracker(tmp_path, server)
    for folder in ("db", "config"):
        shutil.copytree(history / folder, tmp_path / folder, dirs_exist_ok=True)
    return tracker


def test_the_built_history_uses_every_path(built: Tracker) -> None:
    """The fixture really made corrections, a quarantine, aliases, boundaries and failures."""
    db = built.db()
    outcomes = [row["outcome"] for row in db.query("select outcome from fetches order by id")]
    assert outcomes == [
        "changed", "changed", "changed",  # init's reference facts and bundled boundaries
        "changed", "changed", "changed", "changed",  # a, b, c + d
        "changed", "not-modified", "failed",  # dash over HTTP
        "changed", "changed", "changed",  # full: 44, the accepted 3, 44 again
        "changed",  # map
        "changed", "changed", "failed",  # press
    ]  # fmt: skip
    origins = dict(db.execute("select origin, count(*) from aliases group by origin").fetchall())
    assert (origins["fuzzy"], origins["curated"]) == (1, 1)
    assert db.execute("select count(*) from boundaries where source = 'map'").fetchone()[0] == 2
    assert db.execute("select count(*) from facts where retired_at is not null").fetchone()[0] > 0
    assert db.execute("select count(*) from unmatched").fetchone()[0] == 1


def test_rebuilding_an_untouched_database_reproduces_every_row(built: Tracker) -> None:
    """Facts and changes (ids, recorded_at and retired_at included), fetches, releases, aliases,
    boundaries and unmatched names all come back exactly as they were."""
    before = built.snapshot(skip=SKIP)
    result = built.cli("rebuild")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        ": rebuilt from 17 fetches (14 replayed, 0 dropped as unreplayable)\n"
    )
    after = built.snapshot(skip=SKIP)
    assert after["facts"] == before["facts"]
    assert after["changes"] == before["changes"]
    assert after == before
    assert [p.name for p in built.db_path.parent.glob("*rebuild*")] == []


def test_rebuilding_twice_changes_nothing(built: Tracker) -> None:
    """A rebuilt database rebuilds to itself."""
    run(built, "rebuild")
    once = built.snapshot(skip=SKIP)
    run(built, "rebuild")
    assert built.snapshot(skip=SKIP) == once


def test_fixing_a_mapping_and_rebuilding_corrects_history(built: Tracker) -> None:
    """With "Footprint lead" mapped to leader.stp_lead instead of leader.chair, the history
    rebuilt with --current-config has stp_lead facts and changes, recorded when first learned,
    and no chair facts."""
    db = built.db()
    wrong = db.execute(
        "select org_code, value, valid_from, valid_to, recorded_at, retired_at, fetch_id "
        "from facts where source = 'dash' and attribute = 'leader.chair' order by id"
    ).fetchall()
    assert wrong
    others = snapshot_of_sources(built, "full", "press", "reference-2017")
    configure(built, CSV_COLUMNS)
    run(built, "rebuild", "--current-config")
    db = built.db()
    attributes = {a for (a,) in db.execute("select attribute from facts where source = 'dash'")}
    assert "leader.chair" not in attributes and "leader.stp_lead" in attributes
    fixed = db.execute(
        "select org_code, value, valid_from, valid_to, recorded_at, retired_at, fetch_id "
        "from facts where source = 'dash' and attribute = 'leader.stp_lead' order by id"
    ).fetchall()
    assert fixed == wrong  # the same history, under the right attribute
    assert db.execute(
        "select count(*) from changes where source = 'dash' and attribute = 'leader.chair'"
    ).fetchone() == (0,)
    corrected = db.execute(
        "select old_value, new_value, effective from changes where source = 'dash' "
        "and attribute = 'leader.stp_lead' and org_code = 'E54000006' and retired_at is null"
    ).fetchall()
    assert corrected == [  # the correction of 2017-07-21, undone by the 2018-01-01 release
        (None, "Dr Bill Warde", "2017-07-21"),
        ("Dr Bill Warde", "Bill Ward", "2018-01-01"),
    ]
    assert snapshot_of_sources(built, "full", "press", "reference-2017") == others


def snapshot_of_sources(tracker: Tracker, *sources: str) -> dict[str, list[tuple]]:
    """Every fact and change row of `sources` in order, all columns but the row id."""
    db = tracker.db()
    marks = ", ".join("?" for _ in sources)
    return {
        table: [
            row[1:]
            for row in db.execute(
                f"select * from {table} where source in ({marks}) order by id", sources
            )
        ]
        for table in ("facts", "changes")
    }


@pytest.mark.parametrize("damage", ["missing", "corrupted"])
def test_a_damaged_archive_fails_the_rebuild_and_keeps_the_database(
    built: Tracker, history: Path, damage: str
) -> None:
    """A missing archive file is found before building; a corrupted one while building; either
    way rebuild exits 1 naming it, the database is untouched and no partial file is left."""
    db = built.db()
    (sha,) = db.execute("select sha256 from fetches where source = 'dash' and id = 7").fetchone()
    path = built.db_path.parent / "raw" / sha[:2] / sha[2:4] / f"{sha}.gz"
    before = snapshot(db, skip=())
    db.close()
    if damage == "missing":
        path.unlink()
        message = "cannot rebuild: the raw archive under "
    else:
        path.write_bytes(b"not gzip at all")
        message = f"raw archive file {path} is corrupted"
    result = built.cli("rebuild")
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    if damage == "missing":
        assert "is missing the body of fetch 7 of 'dash' (d.csv, " in result.stderr
    assert built.snapshot(skip=()) == before
    assert [p.name for p in built.db_path.parent.glob("*.rebuild*")] == []


def test_rebuilding_a_database_that_does_not_exist_is_an_error(
    tmp_path: Path, server: FixtureServer
) -> None:
    """rebuild names the missing database instead of creating an empty one."""
    tracker = Tracker(tmp_path, server)
    result = tracker.cli("rebuild")
    assert result.exit_code == 1 and "no database to rebuild" in result.stderr
    assert not tracker.db_path.exists()


def test_a_rebuild_replays_each_fetch_under_the_configuration_it_was_applied_with(
    built: Tracker,
) -> None:
    """After the mapping changed (here to a column no archived file has), a plain rebuild
    replays every fetch as it was applied: nothing is lost and every row comes back."""
    before = built.snapshot(skip=SKIP)
    configure(built, {**CSV_COLUMNS, "Region": "metric.region"})
    result = built.cli("rebuild")
    assert result.exit_code == 0, result.output
    assert "(14 replayed, 0 dropped as unreplayable)" in result.output
    after = built.snapshot(skip=SKIP)
    assert after["facts"] == before["facts"] and after["changes"] == before["changes"]


def test_a_rebuild_that_would_lose_fetches_stops_and_lists_them(built: Tracker) -> None:
    """With --current-config and a mapping that no longer fits, rebuild exits 1 naming each
    fetch that cannot be replayed and why, and the live database is exactly as it was."""
    configure(built, {**CSV_COLUMNS, "Region": "metric.region"})
    before = built.snapshot(skip=())
    result = built.cli("rebuild", "--current-config")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1
    assert "cannot rebuild: 5 applied fetch(es) cannot be replayed: fetch 4 of 'dash' (" in (
        result.stderr
    )
    assert "mapped column 'Region' not found" in result.stderr
    assert "the database was left as it was" in result.stderr
    assert "--drop-unreplayable" in result.stderr
    assert built.snapshot(skip=()) == before
    assert [p.name for p in built.db_path.parent.glob("*.rebuild*")] == []


def test_drop_unreplayable_accepts_the_loss_knowingly(built: Tracker) -> None:
    """--drop-unreplayable swaps the rebuilt database in anyway: those fetches are marked
    failed, the summary lists each one, and every other source keeps its history."""
    others = snapshot_of_sources(built, "full", "press")
    configure(built, {**CSV_COLUMNS, "Region": "metric.region"})
    result = built.cli("rebuild", "--current-config", "--drop-unreplayable")
    assert result.exit_code == 0, result.output
    assert "(9 replayed, 5 dropped as unreplayable)" in result.output
    assert result.output.count("  dropped: fetch ") == 5
    db = built.db()
    failed = db.execute(
        "select count(*) from fetches where source = 'dash' and outcome = 'failed' "
        "and error like '%mapped column ''Region'' not found%'"
    ).fetchone()
    assert failed == (5,)
    assert db.execute("select count(*) from facts where source = 'dash'").fetchone() == (0,)
    assert snapshot_of_sources(built, "full", "press") == others
    assert open_db(built.db_path).execute("select count(*) from fetches").fetchone() == (17,)


def test_a_source_no_longer_configured_is_replayed_from_its_stored_configuration(
    built: Tracker,
) -> None:
    """Removing a source from the configuration loses nothing on rebuild: its fetches are
    replayed under the configuration they were applied with; with --current-config they
    cannot be, and the rebuild stops."""
    before = built.snapshot(skip=SKIP)
    url = built.server.url
    built.configure(
        source_toml("dash", url("/dash.csv"), WRONG),
        source_toml("full", url("/full.csv"), complete=True),
        source_toml("map", url("/map.geojson"), {"STP17CD": "org.code"}, format="geojson",
                    effective_column=None, scale=None),
    )  # fmt: skip
    result = built.cli("rebuild", "--current-config")
    assert result.exit_code == 1
    assert "fetch 15 of 'press' (" in result.stderr
    assert "its source is no longer configured" in result.stderr
    run(built, "rebuild")
    after = built.snapshot(skip=SKIP)
    assert after["facts"] == before["facts"] and after["changes"] == before["changes"]
