"""`stp-tracker ingest` of files that were all applied before as they are (see fetches.py):
answered with a plain sqlite3 connection, before loading parsers or sqlite-utils, so an
identical re-ingest costs little more than reading the files and starting Python.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .fetches import applied_bodies, restate
from .schema import is_current

if TYPE_CHECKING:
    from ..clock import Clock
    from ..config import Config


@dataclass(frozen=True)
class Restated:
    """What an identical re-ingest recorded: its fetches, and the rows and releases it restated."""

    fetch_ids: tuple[int, ...]
    rows: int
    releases: int


def reingest_unchanged(
    db_path: str | Path,
    config: Config,
    source_name: str,
    paths: Sequence[str | Path],
    *,
    as_of: str | None = None,
    clock: Clock | None = None,
) -> Restated | None:
    """Archive files all applied before as they are, record their fetches as unchanged, and
    say what they restated. None when anything needs the full pipeline (a new body, a changed
    configuration, a database not yet in today's shape, an unreadable file), which then does
    the work and reports any error itself."""
    from ..clock import stamp, utc_now
    from ..errors import StpTrackerError
    from ..fetch.archive import archive_root, store_body
    from ..fetch.body import read_file

    clock = clock or utc_now
    source = config.sources.get(source_name)
    db_file = Path(db_path)
    if source is None or not paths or not db_file.is_file():
        return None
    try:
        bodies = [read_file(path, clock) for path in paths]
    except StpTrackerError:
        return None
    conn = sqlite3.connect(db_file.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
    try:
        conn.execute("pragma busy_timeout = 30000")
        if not is_current(conn):
            return None
        conn.execute("begin immediate")
        try:
            found = applied_bodies(conn, config, source, bodies, as_of=as_of)
            if found is None:
                return None
            root = archive_root(db_file)
            for body in bodies:
                store_body(root, body.data)
            now = stamp(clock())
            fetch_ids = tuple(
                restate(conn, source.name, body, applied, now, as_of=as_of)
                for body, applied in zip(bodies, found, strict=True)
            )
            conn.execute("commit")
        except StpTrackerError:
            return None
        finally:
            if conn.in_transaction:
                conn.execute("rollback")
    finally:
        conn.close()
    releases = len({effective for applied in found for effective in applied.releases})
    return Restated(fetch_ids, sum(applied.rows for applied in found), releases)
