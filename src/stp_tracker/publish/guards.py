"""What one anonymous request may cost: SQLite limits, a byte budget per query, SQL functions
that cannot run away, and no file paths.

Datasette stops a query after `sql_time_limit_ms` and returns at most `max_returned_rows`
rows, but a single value (``randomblob(500000000)``) or a handful of huge rows could still take
gigabytes, and one call of a function is never interrupted. `prepare(conn, limits)` closes those
gaps on every connection Datasette opens to the published database (sqlfunctions.py replaces
the functions whose time grows with the product of their inputs' lengths); `databases_route`
answers ``/-/databases.json`` without the file's path. CSV exports are made formula-safe by
csvsafe.py.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .sqlfunctions import register_functions

SQLITE_LIMITS = {  # name in plugins.stp-tracker.limits -> sqlite3 limit category
    "value_bytes": sqlite3.SQLITE_LIMIT_LENGTH,
    "sql_length": sqlite3.SQLITE_LIMIT_SQL_LENGTH,
    "columns": sqlite3.SQLITE_LIMIT_COLUMN,
}


@dataclass(frozen=True)
class Limits:
    """The bounds on one query against the published database (plugins.stp-tracker.limits)."""

    value_bytes: int = 500_000  # any one string or blob, stored or computed
    result_bytes: int = 10_000_000  # text and blobs in all the rows one query returns
    sql_length: int = 50_000  # characters of SQL
    columns: int = 64  # columns in one result
    fold_chars: int = 1_000  # the longest text fold() accepts


class ResultTooLarge(sqlite3.DatabaseError):
    """A query's rows passed the result budget."""


def prepare(conn: sqlite3.Connection, limits: Limits) -> None:
    """Bound everything a query on `conn` can build, and register our guarded SQL functions."""
    for name, category in SQLITE_LIMITS.items():
        conn.setlimit(category, getattr(limits, name))
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)  # nothing else can be opened alongside
    conn.set_authorizer(_hide_paths)
    conn.row_factory = budgeted_rows(limits.result_bytes)
    register_functions(conn, limits.value_bytes, limits.fold_chars)


def _hide_paths(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
    """Read pragma_database_list's file column as NULL: the database's path is not public."""
    if action == sqlite3.SQLITE_READ and arg1 == "pragma_database_list" and arg2 == "file":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


def budgeted_rows(limit: int) -> Callable[[sqlite3.Cursor, tuple], sqlite3.Row]:
    """A row factory (Datasette's sqlite3.Row) that fails a query once the text and blobs of
    its rows pass `limit` bytes, so no single request can hold more than that in rows."""
    state: dict[str, Any] = {"cursor": None, "used": 0}

    def factory(cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
        last = state["cursor"]
        if last is None or last() is not cursor:  # a new query: a fresh budget
            state["cursor"], state["used"] = weakref.ref(cursor), 0
        state["used"] += sum(len(value) for value in row if isinstance(value, (str, bytes)))
        if state["used"] > limit:
            raise ResultTooLarge(
                f"the result is larger than {limit:,} bytes; select fewer rows or columns "
                "(or download the table as CSV)"
            )
        return sqlite3.Row(cursor, row)

    return factory


def limits_from(block: dict[str, Any], origin: str) -> Limits:
    """Limits from the metadata's plugins.stp-tracker.limits block (defaults where absent)."""
    from ..errors import ConfigError

    values = dict(block or {})
    known = set(Limits.__dataclass_fields__)
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{origin}: plugins.stp-tracker.limits.{key} is not a limit "
                              f"(known: {', '.join(sorted(known))})")  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(
                f"{origin}: plugins.stp-tracker.limits.{key} must be a whole number above 0"
            )
    return Limits(**values)


async def databases_route(datasette: Any) -> Any:
    """/-/databases.json as Datasette gives it, with each file's name instead of its path."""
    from datasette.utils.asgi import Response

    listing = [
        {
            "name": name,
            "route": database.route,
            "path": Path(database.path).name if database.path else None,
            "size": database.size,
            "is_mutable": database.is_mutable,
            "is_memory": database.is_memory,
            "hash": database.hash,
        }
        for name, database in datasette.databases.items()
        if not name.startswith("_")
    ]
    return Response.json(listing)
