"""Collecting concurrently: slow sources hold one fetcher each, one writer applies in turn.

Real things throughout: the fault-serving HTTP server, a real database, `stp-tracker fetch`
through the CLI. Times are only checked against bounds a one-at-a-time collector could not
meet (the slow sources here take their whole deadline), never as speed targets.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from stp_tracker.cli import main
from stp_tracker.config.loading import load_config
from stp_tracker.service.pool import Collector
from stp_tracker.store.apply import open_db
from stp_tracker.store.fetches import INTERRUPTED
from tests.httpserver import FixtureServer
from tests.ratings import ratings_csv, slow_and_fast, source, write_config

DEADLINE = 3  # seconds, for the slow sources
SLACK = 6.0


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A trickling, a sleeping and a fast source on one real server."""
    yield from slow_and_fast()


def configure(folder: Path, server: FixtureServer, *, deadline: int = DEADLINE) -> Path:
    """A config folder with the three sources, the slow ones given `deadline` seconds."""
    return write_config(
        folder,
        source("trickle", server.url("/trickle.csv"), deadline=f"{deadline}s"),
        source("asleep", server.url("/asleep.csv"), deadline=f"{deadline}s"),
        source("fast", server.url("/fast.csv")),
    )


def test_fetch_collects_slow_sources_side_by_side(tmp_path: Path, server: FixtureServer) -> None:
    """`stp-tracker fetch`: the fast source is applied, each slow one fails at its deadline
    with a clear message, and the whole run takes about one deadline, not the sum of them."""
    config = configure(tmp_path / "config", server)
    db = tmp_path / "db" / "stp.db"
    began = time.monotonic()
    result = CliRunner().invoke(main, ["fetch", "--db", str(db), "--config", str(config)])
    seconds = time.monotonic() - began
    assert result.exit_code == 1, result.output
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert lines["fast"].startswith("changed")
    for slow in ("trickle", "asleep"):
        assert lines[slow].startswith("failed"), lines[slow]
        assert f"at its deadline of {DEADLINE}s" in lines[slow]
    assert "still arriving" in lines["trickle"] and "had not answered yet" in lines["asleep"]
    assert seconds < 2 * DEADLINE, "the slow sources were fetched one after the other"
    with sqlite3.connect(db) as conn:
        outcomes = dict(conn.execute("select source, outcome from fetches where source in "
                                     "('trickle', 'asleep', 'fast')"))  # fmt: skip
    assert outcomes == {"trickle": "failed", "asleep": "failed", "fast": "changed"}


def test_a_fast_source_is_applied_while_slow_ones_are_still_fetching(
    tmp_path: Path, server: FixtureServer, db: Database, db_path: Path
) -> None:
    """With slow sources in flight, a fast one's report (and its facts) arrive at once."""
    config = load_config(configure(tmp_path / "config", server, deadline=60), environ={})
    db.close()  # the registry is loaded; the collector's writer opens its own
    collector = Collector(db_path, config, fetchers=3)
    try:
        slow = [collector.submit(config.source(n)) for n in ("trickle", "asleep")]
        fast = collector.submit(config.source("fast"))
        assert fast is not None
        report = fast.result(timeout=SLACK)
        assert report.outcome == "changed"
        assert not any(future is not None and future.done() for future in slow)
        assert collector.submit(config.source("trickle")) is None  # already in flight
    finally:
        collector.close(budget=5)
    with sqlite3.connect(db_path) as conn:
        rows = dict(conn.execute("select source, error from fetches where outcome = 'failed'"))
    assert rows == {"trickle": INTERRUPTED, "asleep": INTERRUPTED}


def test_closing_cancels_fetches_in_flight_promptly(
    tmp_path: Path, server: FixtureServer, db: Database, db_path: Path
) -> None:
    """close() stops fetches blocked on silent or trickling servers well within its budget
    and records each as interrupted, so the service restarts them."""
    config = load_config(configure(tmp_path / "config", server, deadline=120), environ={})
    db.close()  # the registry is loaded; the collector's writer opens its own
    collector = Collector(db_path, config, fetchers=2)
    futures = [collector.submit(config.source(n)) for n in ("trickle", "asleep")]
    deadline = time.monotonic() + SLACK
    while server.hits("/asleep.csv") + server.hits("/trickle.csv") < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    began = time.monotonic()
    collector.close(budget=8)
    assert time.monotonic() - began < 8
    for future in futures:
        assert future is not None and future.result(timeout=1).error == INTERRUPTED


def test_one_writer_applies_every_result_in_turn(
    tmp_path: Path, server: FixtureServer, db: Database, db_path: Path, monkeypatch
) -> None:
    """Many sources fetched at once are all applied, through the one writable connection the
    writer thread opens (fetchers only read)."""
    import stp_tracker.service.pool as pool

    names = [f"s{n}" for n in range(8)]
    for name in names:
        server.route(f"/{name}.csv", body=ratings_csv())
    folder = write_config(tmp_path / "config", *(source(n, server.url(f"/{n}.csv")) for n in names))
    config = load_config(folder, environ={})
    db.close()
    writers: list[str] = []

    def opened(path: Path) -> Database:
        writers.append(threading.current_thread().name)
        return open_db(path)

    monkeypatch.setattr(pool, "open_db", opened)
    collector = Collector(db_path, config, fetchers=4)
    try:
        futures = [collector.submit(config.source(n)) for n in names]
        reports = [f.result(timeout=30) for f in futures if f is not None]
    finally:
        collector.close()
    assert [r.outcome for r in reports] == ["changed"] * len(names)
    assert writers == ["writer"]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(distinct source) from facts").fetchone() == (8,)


def test_a_feeds_items_are_fetched_by_the_pool_and_applied_by_the_writer(
    tmp_path: Path, server: FixtureServer
) -> None:
    """`stp-tracker fetch` of a news feed reads its new items too: the fetcher downloads each
    and the writer records it, as the one-at-a-time collection does."""
    from tests.test_news_sources import FEED, LEAGUE_RATINGS, LEAGUE_TABLE, believed

    server.route("feed.xml", FEED.format(base=server.url("/")), etag='"v1"')
    server.route("parking", "Car parking charges rose again.")
    server.route("league", LEAGUE_TABLE)
    server.route("gone", "not here", status=404)
    folder = write_config(tmp_path / "config")
    (folder / "sources.toml").write_text(
        f'[[source]]\nname = "cd"\nurl = "{server.url("feed.xml")}"\nformat = "feed"\n'
        'scale = "stp-2017"\npublisher = "Care Daily"\nmax_items = 2\n'
    )
    db_path = tmp_path / "db" / "stp.db"
    result = CliRunner().invoke(
        main, ["fetch", "cd", "--db", str(db_path), "--config", str(folder)]
    )
    assert result.exit_code == 0, result.output
    db = Database(db_path)
    states = dict(db.execute("select guid, state from feed_items").fetchall())
    assert states == {"cd-1": "skipped", "cd-2": "read", "cd-3": "pending"}
    assert believed(db, "cd") == LEAGUE_RATINGS
