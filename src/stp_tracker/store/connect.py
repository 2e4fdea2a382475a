"""Opening the database: for writing (created and brought to the current shape), or for reading
only (never created, never changed)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from ..errors import StoreError
from .schema import ensure_schema, is_current


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the database at `path` in its current shape."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path, execute_plugins=False)  # see `open_read_only`
        db.execute("pragma busy_timeout = 30000")
        db.execute("pragma synchronous = normal")  # with WAL: safe, one fsync per checkpoint
        ensure_schema(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open the database ({exc})") from None
    return db


def read_only_connection(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing database in today's shape.

    Reading commands never create a file nor migrate one: a mistyped path is an error naming
    it, and a database an older release made must first be opened by a writing command.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(
            f"{path}: no database there; check --db, or create one with `stp-tracker init`"
        )
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                               check_same_thread=False)  # fmt: skip
        conn.execute("pragma busy_timeout = 30000")
        current = is_current(conn)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read the database ({exc})") from None
    if not current:
        conn.close()
        raise StoreError(
            f"{path} was made by an older stp-tracker (or is not one of its databases); "
            "upgrade it with `stp-tracker init`, which changes nothing else"
        )
    return conn


def open_read_only(path: str | Path) -> Database:
    """The database at `path` for reading only (see `read_only_connection`).

    sqlite-utils plugins installed beside the tracker are not run on its connections: they
    would change what its SQL means, and looking for them reads every installed package's
    metadata: 12 ms of every command that opens the database."""
    return Database(read_only_connection(path), execute_plugins=False)
