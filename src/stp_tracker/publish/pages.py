"""What the pages Datasette does not have share: how they read the published database, and
robots.txt. The pages are one per organisation (org_page.py) and the ratings map and its
GeoJSON (map_page.py).

A page reads everything it shows in one read transaction on one connection (`read_together`),
so it shows one commit of the database even while the service writes, and hops to a worker
thread once rather than once per query.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from datasette.database import QueryInterrupted
from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import Response

from .settings import published

T = TypeVar("T")


def today() -> str:
    """Today's date in UTC, the default 'as of' of the map."""
    return dt.datetime.now(dt.UTC).date().isoformat()


def org_path(datasette: Any, code: str) -> str:
    """The address of an organisation's page."""
    return datasette.urls.path(f"-/org/{quote(code, safe='')}")


def rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """The rows of a query, as dicts."""
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


async def read_together(datasette: Any, read: Callable[[sqlite3.Connection], T]) -> T:
    """`read(conn)` on a worker thread's connection to the published database, inside one read
    transaction (every query it makes sees the same commit) and the SQL time limit."""
    db = datasette.get_database(published(datasette).database)
    limit = datasette.setting("sql_time_limit_ms")

    def in_thread(conn: sqlite3.Connection) -> T:
        conn.execute("begin")
        try:
            with sqlite_timelimit(conn, limit):
                return read(conn)
        except sqlite3.OperationalError as exc:
            if exc.args == ("interrupted",):
                raise QueryInterrupted(exc, "(a page's queries)", None) from exc
            raise
        finally:
            if conn.in_transaction:
                conn.execute("rollback")

    return await db.execute_fn(in_thread)


async def robots_txt(datasette: Any) -> Response:
    """/robots.txt: by default, ask every crawler to keep out."""
    return Response.text(published(datasette).robots_txt)


__all__ = ["org_path", "read_together", "robots_txt", "rows", "today"]
