"""How our pages read the published database (publish/pages.py): one commit per page."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from datasette.database import QueryInterrupted

from stp_tracker.publish import build_datasette
from stp_tracker.publish.pages import read_together, rows
from tests.conftest import REPO


@pytest.fixture
def db_path(one_organisation: Path) -> Path:
    """A database in today's shape with one organisation, A1."""
    return one_organisation


def add_organisation(path: Path, code: str) -> None:
    """Commit one more organisation from another connection, as the service's writer does."""
    writer = sqlite3.connect(path)
    with writer:
        writer.execute(
            "insert into organisations (code, name, kind) values (?, 'x', 'stp')", [code]
        )
    writer.close()


def test_a_page_reads_one_commit_while_the_writer_commits(db_path: Path) -> None:
    """Every query of one read sees the commit the read began with, even when the writer
    commits between two of its queries; the next read sees the new commit."""
    ds = build_datasette(db_path, REPO / "config")

    def read(conn: sqlite3.Connection) -> tuple[int, int]:
        before = rows(conn, "select count(*) as n from organisations")[0]["n"]
        add_organisation(db_path, f"B{before}")
        return before, rows(conn, "select count(*) as n from organisations")[0]["n"]

    before, after = asyncio.run(read_together(ds, read))
    assert before == after
    again, _ = asyncio.run(read_together(ds, read))
    assert again == before + 1


def test_a_read_past_the_time_limit_is_interrupted_and_leaves_no_transaction(
    db_path: Path,
) -> None:
    """A page's reads share the SQL time limit; past it they stop with QueryInterrupted, and the
    connection is left outside any transaction for the next request."""
    ds = build_datasette(db_path, REPO / "config")
    ds._settings["sql_time_limit_ms"] = 20
    ds.executor = None  # one connection, so the last line asks the one that was interrupted
    endless = "with recursive n(i) as (select 1 union all select i + 1 from n) select max(i) from n"
    with pytest.raises(QueryInterrupted):
        asyncio.run(read_together(ds, lambda conn: rows(conn, endless)))
    assert asyncio.run(read_together(ds, lambda conn: conn.in_transaction))
    assert asyncio.run(ds.get_database("stp").execute_fn(lambda conn: conn.in_transaction)) is False
