"""The background service as a real process: schedule, restart, one writer, signals, kill -9."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from stp_tracker.service.bootstrap import BUNDLED
from stp_tracker.service.lock import writer_lock
from tests.conftest import REPO, csv_bytes, free_port
from tests.httpserver import FixtureServer
from tests.ratings import HEADER, ROWS, source, write_config

FIRST = ROWS
SECOND = [["E54000041", "Outstanding", "2018-01-01"], ["E54000010", "Advanced", "2018-01-01"]]


class Service:
    """`stp-tracker run` in a child process, with its JSON log lines collected as they come."""

    def __init__(self, db: Path, config: Path, *args: str) -> None:
        self.port = free_port()
        self.lines: list[dict] = []
        self.raw: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "stp_tracker", "run", "--db", str(db), "--config", str(config),
             "--log-format", "json", "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO,
        )  # fmt: skip
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.raw.append(line)
            with contextlib.suppress(json.JSONDecodeError):
                self.lines.append(json.loads(line))

    def wait_for(self, check: Callable[[], object], timeout: float = 20.0) -> object:
        """Poll `check` until it returns something truthy, or fail with the log so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                found = check()
            except sqlite3.OperationalError:  # the service has not created the tables yet
                found = None
            if found:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"timed out; service log:\n{''.join(self.raw)}")

    def fetches(self, outcome: str | None = None) -> list[dict]:
        """Fetch log lines, optionally of one outcome."""
        return [
            line for line in self.lines
            if line.get("event") == "fetch" and outcome in (None, line.get("outcome"))
        ]  # fmt: skip

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, float]:
        """Send `sig`; return the exit status and how long the process took to exit."""
        began = time.monotonic()
        self.process.send_signal(sig)
        code = self.process.wait(timeout=15)
        seconds = time.monotonic() - began
        self.reader.join(timeout=5)
        self._close()
        return code, seconds

    def _close(self) -> None:
        if self.process.stderr is not None and not self.reader.is_alive():
            self.process.stderr.close()

    def kill(self) -> None:
        """Stop the process whatever state it is in."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=5)
        self._close()


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A real HTTP server on 127.0.0.1 serving the dashboard file."""
    with FixtureServer() as running:
        running.route("/dash.csv", body=csv_bytes(FIRST, HEADER))
        yield running


@pytest.fixture
def setup(tmp_path: Path, server: FixtureServer) -> Callable[..., tuple[Path, Path]]:
    """Write a config folder for the served source; return (db path, config folder)."""

    def make(every: str = "1s", options: str = "") -> tuple[Path, Path]:
        dash = source("dash", server.url("/dash.csv"), raw=options, every=every)
        return tmp_path / "db" / "stp.db", write_config(tmp_path / "config", dash)

    return make


@pytest.fixture
def services() -> Iterator[list[Service]]:
    """Services started by a test, killed at its end whatever happened."""
    started: list[Service] = []
    yield started
    for service in started:
        service.kill()


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the database from outside the service, as another process would."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_changes_flow_to_datasette_on_schedule_and_sigterm_exits_zero(setup, server, services):
    """With a 1 s schedule a changed file shows in `changes` and in Datasette's recent_changes
    JSON within seconds, served by a process of its own; SIGTERM then exits 0 well within 10 s
    and stops that process too."""
    db, config = setup("1s")
    service = Service(db, config)
    services.append(service)
    service.wait_for(lambda: service.fetches("changed"))
    server.route("/dash.csv", body=csv_bytes(SECOND, HEADER))
    url = f"http://127.0.0.1:{service.port}/stp/recent_changes.json?_shape=array&org_code=E54000010"

    def improved() -> object:
        try:
            rows = httpx.get(url, timeout=2).json()
        except (httpx.HTTPError, ValueError):
            return None
        return [r for r in rows if r["new_value"] == "Advanced"]

    (row,) = service.wait_for(improved)
    assert (row["old_value"], row["direction"]) == ("Needs most improvement", "improved")
    assert query(
        db, "select count(*) from changes where source = 'dash' and new_value = 'Advanced'"
    ) == [(1,)]
    (site,) = children(service.process.pid)  # the site is a process of its own
    assert b"serve" in Path(f"/proc/{site}/cmdline").read_bytes().split(b"\0")
    code, seconds = service.stop()
    assert code == 0 and seconds < 10
    assert service.lines[-1]["event"] == "stopped"
    assert not Path(f"/proc/{site}").exists()  # and it stopped with the service


def children(pid: int) -> list[int]:
    """The processes `pid` started that are still running (Linux)."""
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_the_scheduler_cleanly(setup, services, sig) -> None:
    """SIGTERM and SIGINT both stop a scheduler-only service with status 0."""
    db, config = setup("1s")
    service = Service(db, config, "--no-serve")
    services.append(service)
    service.wait_for(lambda: service.fetches())
    code, seconds = service.stop(sig)
    assert code == 0 and seconds < 10


def test_each_fetch_logs_one_structured_line(setup, services) -> None:
    """A fetch log line carries source, outcome, records, changes and duration."""
    db, config = setup("1s")
    service = Service(db, config, "--no-serve")
    services.append(service)
    line = service.wait_for(lambda: service.fetches("changed"))[0]
    assert {"source", "outcome", "records", "changes", "seconds"} <= line.keys()
    assert (line["source"], line["records"], line["changes"]) == ("dash", 2, 2)
    service.wait_for(lambda: service.fetches("unchanged"))
    assert service.stop()[0] == 0


def test_an_overdue_source_runs_once_at_start(setup, services) -> None:
    """After downtime longer than its interval a source runs at start, once, then waits."""
    db, config = setup("1h")
    first = Service(db, config, "--no-serve")
    services.append(first)
    first.wait_for(lambda: first.fetches("changed"))
    assert first.stop()[0] == 0
    restart = Service(db, config, "--no-serve")
    services.append(restart)
    time.sleep(2)
    assert restart.fetches() == [], "not yet due: nothing should run at start"
    assert restart.stop()[0] == 0
    with sqlite3.connect(db) as conn:  # the scheduled time passes while the service is down
        conn.execute("update fetches set started_at = '2000-01-01T00:00:00+00:00'")
    overdue = Service(db, config, "--no-serve")
    services.append(overdue)
    overdue.wait_for(lambda: overdue.fetches())
    time.sleep(2)
    assert len(overdue.fetches()) == 1
    assert overdue.stop()[0] == 0
    assert query(db, "select count(*) from fetches where source = 'dash'") == [(2,)]


def test_a_second_run_refuses_with_a_clear_message(setup, services) -> None:
    """Two services on one database: the second exits non-zero saying who holds it."""
    db, config = setup("1h")
    first = Service(db, config, "--no-serve")
    services.append(first)
    first.wait_for(lambda: [x for x in first.lines if x.get("event") == "started"])
    second = subprocess.run(
        [sys.executable, "-m", "stp_tracker", "run", "--no-serve", "--db", str(db),
         "--config", str(config)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert second.returncode == 1
    assert "is being written by another stp-tracker process (pid" in second.stderr
    assert "Traceback" not in second.stderr
    fetch = subprocess.run(
        [sys.executable, "-m", "stp_tracker", "fetch", "--db", str(db), "--config", str(config)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert fetch.returncode == 1 and "stp-tracker run" in fetch.stderr
    assert first.stop()[0] == 0


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path) -> None:
    """kill -9 of the lock holder leaves no stale lock behind."""
    db = tmp_path / "stp.db"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from stp_tracker.service.lock import writer_lock\n"
         f"with writer_lock({str(db)!r}):\n print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(Exception, match="another stp-tracker process"), writer_lock(db):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    with writer_lock(db, wait=2):
        pass


def big_release(rows: int) -> bytes:
    """A release of many organisations for a source that creates them, slow enough to kill."""
    header = ["code", "name", *(f"metric_{i}" for i in range(1, 9)), "period"]
    body = [
        [f"L{n:07d}", f"Location {n}", *(str(n % (i + 7)) for i in range(8)), "2020-01-01"]
        for n in range(rows)
    ]
    return csv_bytes(body, header)


BIG_SOURCE = """
[[source]]
name = "big"
url = "{url}"
format = "csv"
entity = "location"
creates = true
every = "1h"
effective_column = "period"

[source.columns]
code = "org.code"
name = "org.name"
{metrics}
"""


def write_big_config(folder: Path, url: str) -> Path:
    """A config folder whose one source, at `url`, is a big_release of a creating source."""
    folder.mkdir()
    (folder / "scales.toml").write_text((REPO / "config" / "scales.toml").read_text())
    metrics = "\n".join(f'metric_{i} = "metric.m{i}"' for i in range(1, 9))
    (folder / "sources.toml").write_text(BIG_SOURCE.format(url=url, metrics=metrics))
    return folder


def applying(tmp_path: Path, server: FixtureServer, rows: int, services: list) -> Service:
    """A service started on a big release of `rows` rows, caught while it is applying it."""
    server.route("/big.csv", body=big_release(rows))
    config = write_big_config(tmp_path / "config", server.url("/big.csv"))
    db = tmp_path / "db" / "stp.db"
    service = Service(db, config, "--no-serve")
    services.append(service)
    service.wait_for(
        lambda: db.exists() and query(db, "select 1 from fetches where outcome = 'running'"),
        timeout=60,
    )
    time.sleep(1.0)
    assert service.fetches() == [], "the apply finished before it could be interrupted"
    return service


def test_kill_minus_nine_mid_apply_leaves_all_or_nothing(tmp_path, server, services) -> None:
    """kill -9 while a release is being applied: integrity holds, the release is wholly absent,
    and the next run applies it."""
    service = applying(tmp_path, server, 30_000, services)
    db = tmp_path / "db" / "stp.db"
    config = tmp_path / "config"
    os.kill(service.process.pid, signal.SIGKILL)
    service.kill()
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select count(*) from facts where source = 'big'") == [(0,)]
    assert query(db, "select count(*) from organisations where kind = 'location'") == [(0,)]
    again = Service(db, config, "--no-serve")
    services.append(again)
    again.wait_for(lambda: again.fetches(), timeout=120)
    assert again.fetches()[0]["outcome"] == "changed"
    assert again.stop()[0] == 0
    assert query(db, "select count(distinct org_code) from facts where source = 'big'") == [
        (30_000,)
    ]


def test_status_reports_every_source_and_fails_when_one_is_failing(setup, server) -> None:
    """`status --format json` lists each source; it exits 1 once failures pass the allowance."""
    db, config = setup("1h", options="max_failures = 1")
    base = [sys.executable, "-m", "stp_tracker"]
    opts = ["--db", str(db), "--config", str(config)]
    assert subprocess.run([*base, "fetch", *opts], capture_output=True, check=False).returncode == 0
    server.route("/dash.csv", status=404, body=b"gone")
    for _ in range(2):
        failed = subprocess.run([*base, "fetch", *opts], capture_output=True, text=True,
                                check=False)  # fmt: skip
        assert failed.returncode == 1 and "404" in failed.stdout
    status = subprocess.run([*base, "status", "--format", "json", *opts], capture_output=True,
                            text=True, check=False)  # fmt: skip
    assert status.returncode == 1, status.stderr
    (row,) = [r for r in json.loads(status.stdout) if r["source"] == "dash"]
    assert (row["consecutive_failures"], row["failing"], row["last_outcome"]) == (2, True, "failed")
    assert "404" in row["last_error"] and row["last_success"] is not None
    assert {r["source"] for r in json.loads(status.stdout)} == {"dash", *BUNDLED}
    assert query(db, "select count(*) from facts where source = 'dash'") == [(2,)]


def test_backup_of_a_live_database_is_consistent(setup, services, tmp_path) -> None:
    """deploy/backup.sh copies a running service's database and archive; the copy checks out."""
    db, config = setup("1s")
    service = Service(db, config, "--no-serve")
    services.append(service)
    service.wait_for(lambda: service.fetches("changed"))
    result = subprocess.run(
        ["sh", str(REPO / "deploy" / "backup.sh"), str(db), str(tmp_path / "backups")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (copy,) = (tmp_path / "backups").glob("stp-*.db")
    assert query(copy, "select count(*) from facts where source = 'dash'") == [(2,)]
    assert list((tmp_path / "backups" / "raw").rglob("*.gz"))
    assert service.stop()[0] == 0
