"""`rebuild` under a running server: every connection of a real `serve` process sees the rebuilt
database, and the fetches after it, never a deleted file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from stp_tracker.cli import main
from tests.conftest import REPO, free_port
from tests.httpserver import FixtureServer
from tests.ratings import ratings_csv, source, write_config

SECOND = [["E54000041", "Advanced", "2018-01-01"], ["E54000010", "Advanced", "2018-01-01"],
          ["E54000005", "Outstanding", "2018-01-01"]]  # fmt: skip
COUNT = "/stp.json?sql=select+count(*)+as+n+from+facts+where+source+=+'dash'&_shape=array"


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[FixtureServer, Path, Path]]:
    """A served source and a config folder; yields (server, db path, config folder)."""
    with FixtureServer() as server:
        server.route("/dash.csv", body=ratings_csv())
        config = write_config(tmp_path / "config", source("dash", server.url("/dash.csv")))
        yield server, tmp_path / "db" / "stp.db", config


def cli(db: Path, config: Path, *args: str) -> None:
    """Run a verb in-process and require success."""
    result = CliRunner().invoke(main, [*args, "--db", str(db), "--config", str(config)])
    assert result.exit_code == 0, result.output


def direct(db: Path) -> int:
    """The facts count read straight from the file."""
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from facts where source = 'dash'").fetchone()[0]


def answers(base: str, times: int = 24) -> set[int]:
    """The facts count as several concurrent requests see it (so each of the server's
    connections answers some of them)."""

    def one(_: int) -> int:
        return httpx.get(base + COUNT, timeout=10).json()[0]["n"]

    with ThreadPoolExecutor(6) as pool:
        return set(pool.map(one, range(times)))


def test_a_running_server_sees_the_rebuilt_database_and_later_fetches(setup) -> None:
    """fetch, serve, rebuild, fetch again: every answer after each step is the new one, the
    database file keeps its identity, and the server never has to restart."""
    server, db, config = setup
    cli(db, config, "fetch", "dash")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stp_tracker", "serve", "--db", str(db), "--config", str(config),
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/robots.txt", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert answers(base) == {direct(db)} == {2}
        inode = os.stat(db).st_ino
        cli(db, config, "rebuild")
        assert os.stat(db).st_ino == inode
        assert answers(base) == {2}
        server.route("/dash.csv", body=ratings_csv(SECOND))
        cli(db, config, "fetch", "dash")
        after = direct(db)
        assert after > 2
        assert answers(base) == {after}, "some connections still read the old file"
        cli(db, config, "rebuild")
        assert answers(base) == {after}
    finally:
        process.terminate()
        process.wait(timeout=15)
