"""The service against slow and hostile sources, as real processes: schedules kept, deadlines
met, and SIGTERM honoured within 10 seconds whatever the sources (or the writer) are doing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_service
from tests.httpserver import FixtureServer
from tests.ratings import slow_and_fast, source, write_config
from tests.test_service import Service, applying, query

services = test_service.services  # the fixture: services started by a test, killed at its end


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A trickling, a sleeping and a fast source on one real server."""
    yield from slow_and_fast()


def configure(tmp_path: Path, server: FixtureServer, deadline: str | None) -> tuple[Path, Path]:
    """Config with the trickling and sleeping sources every 2s (with `deadline`, or the
    default), and a fast source every 1s; returns (db path, config folder)."""
    slow = {"deadline": deadline} if deadline else {}
    folder = write_config(
        tmp_path / "config",
        source("trickle", server.url("/trickle.csv"), every="2s", **slow),
        source("asleep", server.url("/asleep.csv"), every="2s", **slow),
        source("fast", server.url("/fast.csv"), every="1s"),
    )
    return tmp_path / "db" / "stp.db", folder


def test_slow_sources_end_at_their_deadline_while_a_fast_one_keeps_its_schedule(
    tmp_path: Path, server: FixtureServer, services: list[Service]
) -> None:
    """Trickling and sleeping sources fail at their deadline with a clear error; meanwhile the
    fast source runs on its 1 s schedule; SIGTERM then exits 0 within 10 s."""
    db, config = configure(tmp_path, server, "4s")
    service = Service(db, config, "--no-serve")
    services.append(service)
    service.wait_for(lambda: {"trickle", "asleep"} <= {x["source"] for x in service.fetches()})
    fast_runs = [x for x in service.fetches() if x["source"] == "fast"]
    assert len(fast_runs) >= 3, "the fast source waited for the slow ones"
    for line in service.fetches():
        if line["source"] in ("trickle", "asleep"):
            assert line["outcome"] == "failed" and "at its deadline of 4s" in line["error"]
    code, seconds = service.stop()
    assert code == 0 and seconds < 10
    rows = query(db, "select source, outcome from fetches where source in ('trickle', 'asleep')")
    assert rows and all(outcome == "failed" for _, outcome in rows)


@pytest.mark.parametrize("serve", [False, True], ids=["scheduler", "with-datasette"])
def test_sigterm_mid_fetch_exits_zero_within_ten_seconds(
    tmp_path: Path, server: FixtureServer, services: list[Service], serve: bool
) -> None:
    """SIGTERM while fetches hang on a sleeping and a trickling server (2-minute deadline):
    exit 0 well within 10 s; the cancelled fetches are recorded as interrupted, none is left
    running, and the database checks out."""
    db, config = configure(tmp_path, server, None)
    service = Service(db, config, *([] if serve else ["--no-serve"]))
    services.append(service)
    service.wait_for(lambda: server.hits("/asleep.csv") and server.hits("/trickle.csv"))
    service.wait_for(lambda: service.fetches("changed"))
    time.sleep(0.5)
    code, seconds = service.stop()
    assert code == 0 and seconds < 10, "".join(service.raw)
    assert service.lines[-1]["event"] == "stopped"
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select count(*) from fetches where outcome = 'running'") == [(0,)]
    interrupted = query(db, "select source, error from fetches where source in "
                            "('trickle', 'asleep')")  # fmt: skip
    assert {source for source, _ in interrupted} == {"trickle", "asleep"}
    assert all(error.startswith("interrupted") for _, error in interrupted)


def test_sigterm_mid_apply_rolls_back_or_commits_within_ten_seconds(
    tmp_path: Path, services: list[Service]
) -> None:
    """SIGTERM while a large release is being applied: exit 0 within 10 s, and the release
    is wholly there or wholly absent."""
    db = tmp_path / "db" / "stp.db"
    with FixtureServer() as server:
        service = applying(tmp_path, server, 60_000, services)
        code, seconds = service.stop()
    assert code == 0 and seconds < 10, "".join(service.raw)
    assert query(db, "pragma integrity_check") == [("ok",)]
    (facts,) = query(db, "select count(*) from facts where source = 'big'")[0]
    assert facts in (0, 60_000 * 9), facts
    (outcome,) = query(db, "select outcome from fetches where source = 'big'")[0]
    assert outcome in ("running", "failed", "changed")  # running: recovered at next start
