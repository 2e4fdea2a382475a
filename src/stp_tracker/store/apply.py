"""The bitemporal store: apply releases in one transaction, keeping the six rules.

What each release stated is kept as runs (runs.py); the valid-time history of every
(source, organisation, attribute) a release may have moved is derived afresh from its runs
(derive.py) and compared with what the database believes. Versions no longer derived are
retired (system time), an open-ended version the new history ends is closed in place, new ones
are recorded; so history is idempotent, order-independent, and corrections keep the old belief.
Only `apply_releases` writes the history.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from operator import itemgetter

from sqlite_utils import Database

from ..errors import StoreError
from ..model import Event, Release
from ..resolve.resolver import alias_row
from .connect import open_db
from .diff import add_pending, rederive
from .ids import Ids, missing
from .news import merge_added, store_counts
from .runs import apply_release
from .source import Source, release_rows
from .versions import write


@dataclass
class ApplyResult:
    """What applying releases did: counts of rows recorded and retired."""

    releases: int = 0
    unchanged_releases: int = 0
    statements: int = 0
    facts_recorded: int = 0
    facts_retired: int = 0
    changes_recorded: int = 0
    changes_retired: int = 0
    events_recorded: int = 0
    unchanged: set[tuple[str, str]] = field(default_factory=set)  # (source, effective)
    changes_by_fetch: Counter[int | None] = field(default_factory=Counter)


class RowHashes:
    """Hashes of statement rows, remembered for one apply: a backfill's releases share most
    of their rows (the same tuple), and each is hashed once."""

    def __init__(self) -> None:
        self.hashes: dict[int, int] = {}  # id(row) -> hash; `kept` keeps those ids unique
        self.kept: list[Sequence[Sequence[object]]] = []

    def of(self, rows: Sequence[Sequence[Sequence[object]]]) -> list[int]:
        """The hash of each row."""
        found = list(map(self.hashes.get, map(id, rows)))
        if None in found:
            for index in missing(found):
                row = rows[index]
                said = pickle.dumps(tuple(map(tuple, row)), protocol=5)  # plain tuples
                digest = hashlib.blake2b(said, digest_size=8).digest()
                found[index] = self.hashes[id(row)] = int.from_bytes(digest, "big")
                self.kept.append(row)
        return found  # type: ignore[return-value]


def release_digest(release: Release, hashes: RowHashes | None = None) -> str:
    """A hash of what a release states (every statement and whether it is complete), so
    re-applying one that states the same things records nothing, whatever file or program
    version it came from.

    Statements are hashed a row at a time and the row hashes summed, so the order of rows does
    not matter; with `hashes` shared by the releases of one apply, a row a later release
    repeats (the same tuple) is hashed once.
    """
    rows = list(release.by_org.values()) if release.by_org is not None else _rows(release)
    found = (hashes or RowHashes()).of(rows)
    return f"{sum(found) % (1 << 64):016x}-{len(found)}-{int(release.complete)}"


def _rows(release: Release) -> list[tuple]:
    return [(statement,) for statement in release.statements]


def apply_releases(db: Database, releases: Sequence[Release], *, now: str) -> ApplyResult:
    """Apply `releases` in one transaction: all of them, or (on any error) none.

    Called inside a transaction of its caller's (the pipeline's, which also finishes the
    fetch rows), it writes in that transaction and an error rolls all of it back: a savepoint
    of its own would have SQLite keep a second copy of every page the apply writes.
    """
    result = ApplyResult()
    by_source: dict[str, list[Release]] = defaultdict(list)
    for release in releases:
        by_source[release.source].append(release)
    try:
        with nullcontext() if db.conn.in_transaction else db.atomic():
            _add_organisations(db.conn, _earliest(r.organisations for r in releases))
            for release in releases:
                _add_aliases(db, release.aliases, now)
                result.events_recorded += _store_events(db, release, now)
                store_counts(db, release)
            ids = Ids(db.conn, now)
            hashed = RowHashes()
            for source, batch in by_source.items():
                _apply_source(db.conn, ids, source, batch, result, hashed)
            ids.flush()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"the database refused the release: {exc}") from None
    return result


def _earliest(
    batches: Iterable[Iterable[dict[str, str | None]]],
) -> list[dict[str, str | None]]:
    """One row per organisation the releases create, dated by the earliest release."""
    rows: dict[str | None, dict[str, str | None]] = {}
    for batch in batches:
        for row in batch:
            seen = rows.get(row["code"])
            if seen is None or (row["valid_from"] or "") < (seen["valid_from"] or ""):
                rows[row["code"]] = row
    return list(rows.values())


def _add_organisations(conn: sqlite3.Connection, rows: list[dict[str, str | None]]) -> None:
    """Create the organisations a source's codes name (numbered here, the registry's too)."""
    if not rows:
        return
    top = conn.execute("select coalesce(max(id), 0) from organisations").fetchone()[0]
    fields = itemgetter("code", "name", "kind", "valid_from", "origin")
    conn.executemany(
        "insert into organisations (code, name, kind, valid_from, origin, id) "
        "values (?, ?, ?, ?, ?, ?) on conflict(code) do update "
        "set valid_from = min(valid_from, excluded.valid_from) where origin != 'registry'",
        [(*fields(row), top + index) for index, row in enumerate(rows, start=1)],
    )


def _add_aliases(db: Database, aliases: Iterable[tuple[str, str]], now: str) -> None:
    """Record the names a release's fuzzy matching resolved (origin 'fuzzy', for review)."""
    db.conn.executemany(
        "insert into aliases (alias, normalised, code, origin, added_at) "
        "values (:alias, :normalised, :code, :origin, :added_at) "
        "on conflict(alias, code) do nothing",
        [alias_row(alias, code, "fuzzy", now) for alias, code in aliases],
    )


def _store_events(db: Database, release: Release, now: str) -> int:
    before = db.conn.total_changes
    db.conn.executemany(
        "insert into events (org_code, attribute, what, reported_on, source, note, publisher, "
        "fetch_id, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
        [
            (e.org_code, e.attribute, e.what, e.reported_on, release.source, e.note,
             e.publisher, release.fetch_id, now)
            for e in release.events
        ],
    )  # fmt: skip
    return db.conn.total_changes - before


def _apply_source(
    conn: sqlite3.Connection, ids: Ids, name: str, batch: list[Release], result: ApplyResult,
    hashed: RowHashes,
) -> None:  # fmt: skip
    """Apply one source's releases to its runs, then re-derive the facts that may have moved."""
    known = release_rows(conn, name)
    latest: dict[str, Release] = {}
    for release in batch:  # a later version of the same release in one batch wins...
        if release.adds:  # ...unless it adds to that date's (news.py)
            release = merge_added(
                conn, release, latest.get(release.effective), release.effective in known
            )
        latest[release.effective] = release
    todo = []
    for effective, release in sorted(latest.items()):
        digest = release_digest(release, hashed)
        if effective in known and known[effective].digest == digest:
            result.unchanged_releases += 1
            result.unchanged.add((name, effective))
        else:
            todo.append((release, digest))
    if not todo:
        return
    newest = max(known, default=None)
    appending = (newest is None or todo[0][0].effective > newest) and all(
        row.complete == release.complete for row in known.values() for release, _ in todo
    )
    source = Source.load(conn, ids, name, known, open_only=appending)
    affected: set[tuple[str, str]] = set()
    for release, digest in todo:
        affected |= apply_release(source.state, release)
        result.releases += 1
        result.statements += len(release.statements)
        source.record_release(release, digest)
    writes = rederive(source, affected, result, first=not known)
    add_pending(source, writes, result)
    write(conn, writes, ids.layout, ids.new_id)
    source.write_runs()


__all__ = ["ApplyResult", "Event", "apply_releases", "open_db", "release_digest"]
