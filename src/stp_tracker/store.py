"""The bitemporal store: apply releases in one transaction, keeping the six rules.

What each release stated is kept in `statements`; the valid-time history of every affected
(source, organisation, attribute) is then derived afresh from all of that source's releases and
compared with what the database currently believes. Rows no longer derived are retired (system
time), new ones recorded, so history is idempotent, order-independent and corrections keep the
old belief. Only `apply_releases` writes facts and changes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from .errors import StoreError
from .history import ReleaseStamp, StatedFact, change_kind, changes_of, intervals
from .model import Event, Release, Statement
from .resolve import alias_row
from .schema import ensure_schema

Key = tuple[str, str]  # (org_code, attribute)
_FACT_COLUMNS = (
    "org_code, attribute, value, value_key, value_num, valid_from, valid_to, fetch_id, "
    "publisher, note"
)
_CHANGE_COLUMNS = (
    "org_code, attribute, old_value, new_value, effective, fetch_id, direction, publisher"
)


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


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the database at `path` in its current shape."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path)
        db.execute("pragma busy_timeout = 30000")
        ensure_schema(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open the database ({exc})") from None
    return db


def release_digest(release: Release) -> str:
    """A hash of everything a release states, so re-applying an identical one costs nothing."""
    body = [release.complete, sorted(release.statements, key=_sort_key)]
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def apply_releases(db: Database, releases: Sequence[Release], *, now: str) -> ApplyResult:
    """Apply `releases` in one transaction: all of them, or (on any error) none."""
    result = ApplyResult()
    affected: dict[str, set[Key] | None] = defaultdict(set)  # None: every key of the source
    try:
        with db.atomic():
            for release in releases:
                _add_organisations(db, release.organisations, now)
                _add_aliases(db, release.aliases, now)
                keys = _store_release(db, release, now, result)
                if keys is None:
                    affected[release.source] = None
                elif affected[release.source] is not None:
                    affected[release.source] |= keys  # type: ignore[operator]
                result.events_recorded += _store_events(db, release, now)
            for source, keys in affected.items():
                _rederive(db, source, keys, now, result)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"the database refused the release: {exc}") from None
    return result


def _add_organisations(db: Database, rows: Iterable[dict[str, str | None]], now: str) -> None:
    for row in rows:
        db.execute(
            "insert into organisations (code, name, kind, valid_from, origin) "
            "values (:code, :name, :kind, :valid_from, :origin) on conflict(code) do update "
            "set valid_from = min(valid_from, excluded.valid_from) where origin != 'registry'",
            row,
        )


def _add_aliases(db: Database, aliases: Iterable[tuple[str, str]], now: str) -> None:
    """Record the names a release's fuzzy matching resolved (origin 'fuzzy', for review)."""
    db.conn.executemany(
        "insert into aliases (alias, normalised, code, origin, added_at) "
        "values (:alias, :normalised, :code, :origin, :added_at) "
        "on conflict(alias, code) do nothing",
        [alias_row(alias, code, "fuzzy", now) for alias, code in aliases],
    )


def _store_release(
    db: Database, release: Release, now: str, result: ApplyResult
) -> set[Key] | None:
    """Record what `release` states; return the keys whose history may have changed.

    None means every key of the source: a complete release ends whatever it leaves out.
    """
    digest = release_digest(release)
    row = db.execute(
        "select id, digest, complete from releases where source = ? and effective = ?",
        [release.source, release.effective],
    ).fetchone()
    if row is not None and row[1] == digest:
        result.unchanged_releases += 1
        result.unchanged.add((release.source, release.effective))
        return set()
    result.releases += 1
    result.statements += len(release.statements)
    previous_fetch: dict[tuple[Key, str, str | None, str | None], int | None] = {}
    old_keys: set[Key] = set()
    if row is not None:
        release_id, _, was_complete = row
        for org, attribute, value_key, publisher, note, fetch_id in db.execute(
            "select org_code, attribute, value_key, publisher, note, fetch_id "
            "from statements where release_id = ?",
            [release_id],
        ):
            old_keys.add((org, attribute))
            previous_fetch[(org, attribute), value_key, publisher, note] = fetch_id
        db.execute("delete from statements where release_id = ?", [release_id])
        db.execute(
            "update releases set complete = ?, fetch_id = ?, digest = ?, recorded_at = ? "
            "where id = ?",
            [release.complete, release.fetch_id, digest, now, release_id],
        )
    else:
        was_complete = False
        release_id = db.execute(
            "insert into releases (source, effective, complete, fetch_id, digest, recorded_at) "
            "values (?, ?, ?, ?, ?, ?)",
            [release.source, release.effective, release.complete, release.fetch_id, digest, now],
        ).lastrowid
    db.conn.executemany(
        "insert into statements (release_id, org_code, attribute, value, value_key, value_num, "
        "publisher, note, fetch_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                release_id,
                s.org_code,
                s.attribute,
                s.value,
                s.value_key,
                s.value_num,
                s.publisher,
                s.note,
                previous_fetch.get(
                    ((s.org_code, s.attribute), s.value_key, s.publisher, s.note),
                    release.fetch_id,
                ),
            )
            for s in release.statements
        ],
    )
    if release.complete or was_complete:
        return None
    return old_keys | {(s.org_code, s.attribute) for s in release.statements}


def _store_events(db: Database, release: Release, now: str) -> int:
    before = db.conn.total_changes
    db.conn.executemany(
        "insert into events (org_code, attribute, what, reported_on, source, note, publisher, "
        "fetch_id, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
        [
            (
                e.org_code,
                e.attribute,
                e.what,
                e.reported_on,
                release.source,
                e.note,
                e.publisher,
                release.fetch_id,
                now,
            )
            for e in release.events
        ],
    )
    return db.conn.total_changes - before


def _rederive(
    db: Database, source: str, keys: set[Key] | None, now: str, result: ApplyResult
) -> None:
    """Derive the history of `keys` (None: all) of `source` and record how belief changed."""
    if keys is not None and not keys:
        return
    stamps = [
        ReleaseStamp(id_, effective, bool(complete), fetch_id)
        for id_, effective, complete, fetch_id in db.execute(
            "select id, effective, complete, fetch_id from releases where source = ? "
            "order by effective",
            [source],
        )
    ]
    release_fetch = {stamp.effective: stamp.fetch_id for stamp in stamps}
    stated: dict[Key, dict[int, tuple[Statement, int | None]]] = defaultdict(dict)
    for row in db.execute(
        "select s.release_id, s.org_code, s.attribute, s.value, s.value_key, s.value_num, "
        "s.publisher, s.note, s.fetch_id from statements s "
        "join releases r on r.id = s.release_id where r.source = ?",
        [source],
    ):
        key = (row[1], row[2])
        if keys is None or key in keys:
            stated[key][row[0]] = (Statement(*row[1:8]), row[8])
    derived_facts: set[tuple] = set()
    derived_changes: set[tuple] = set()
    for key_stated in stated.values():
        facts = intervals(stamps, key_stated)
        derived_facts.update(facts)
        derived_changes.update(changes_of(facts, release_fetch))
    believed_facts = _believed(db, "facts", _FACT_COLUMNS, source, keys)
    believed_changes = _believed(db, "changes", _CHANGE_COLUMNS, source, keys)
    result.facts_retired += _retire(db, "facts", believed_facts, derived_facts, now)
    result.changes_retired += _retire(db, "changes", believed_changes, derived_changes, now)
    new_facts = derived_facts - believed_facts.keys()
    db.conn.executemany(
        f"insert into facts ({_FACT_COLUMNS}, recorded_at, source) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*fact, now, source) for fact in sorted(new_facts, key=_sort_key)],
    )
    new_changes = derived_changes - believed_changes.keys()
    db.conn.executemany(
        f"insert into changes ({_CHANGE_COLUMNS}, recorded_at, source, kind) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (*change, now, source, change_kind(change[1]))
            for change in sorted(new_changes, key=_sort_key)
        ],
    )
    result.facts_recorded += len(new_facts)
    result.changes_recorded += len(new_changes)


def _sort_key(row: tuple) -> tuple:
    return tuple("" if value is None else str(value) for value in row)


def _believed(
    db: Database, table: str, columns: str, source: str, keys: set[Key] | None
) -> dict[tuple, int]:
    """The rows of `table` the database currently believes for `keys` of `source`, by value."""
    believed = {}
    for row in db.execute(
        f"select id, {columns} from {table} where source = ? and retired_at is null", [source]
    ):
        if keys is None or (row[1], row[2]) in keys:
            believed[tuple(row[1:])] = row[0]
    return believed


def _retire(
    db: Database, table: str, believed: dict[tuple, int], derived: set[tuple], now: str
) -> int:
    stale = [(now, row_id) for row, row_id in believed.items() if row not in derived]
    db.conn.executemany(f"update {table} set retired_at = ? where id = ?", stale)
    return len(stale)


def facts_as_of(db: Database, org_code: str) -> list[StatedFact]:
    """Every fact currently believed about one organisation, in valid-time order."""
    return [
        StatedFact(*row)
        for row in db.execute(
            f"select {_FACT_COLUMNS} from facts where org_code = ? and retired_at is null "
            "order by attribute, valid_from",
            [org_code],
        )
    ]


__all__ = ["ApplyResult", "Event", "apply_releases", "facts_as_of", "open_db", "release_digest"]
