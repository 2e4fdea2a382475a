"""The bitemporal store: apply releases in one transaction, keeping the six rules.

What each release stated is kept as runs (`statement_runs`, see runs.py); the valid-time
history of every (source, organisation, attribute) a release may have moved is then derived
afresh from its runs and compared with what the database currently believes. Rows no longer
derived are retired (system time), new ones recorded, so history is idempotent,
order-independent and corrections keep the old belief. Only `apply_releases` writes facts and
changes.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from ..errors import StoreError
from ..model import Event, Release, Statement
from ..resolve.resolver import alias_row
from .bulkload import derive_first_load
from .derive import change_kind, changes_of
from .news import merge_added, store_counts
from .runs import OPEN, Key, Run, SourceRuns, apply_release, facts_from_runs
from .schema import ensure_schema

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
        db.execute("pragma synchronous = normal")  # with WAL: safe, one fsync per checkpoint
        ensure_schema(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open the database ({exc})") from None
    return db


def release_digest(release: Release) -> str:
    """A hash of everything a release states, so re-applying an identical one costs nothing.

    The parser's digest of the raw cells stands in when it has one: equal cells under the same
    configuration and code state the same values, and hashing them is far cheaper.
    """
    if release.digest is not None:
        return f"{release.digest}:{int(release.complete)}"
    body = pickle.dumps((release.complete, tuple(map(tuple, release.statements))), protocol=5)
    return hashlib.sha256(body).hexdigest()


def apply_releases(db: Database, releases: Sequence[Release], *, now: str) -> ApplyResult:
    """Apply `releases` in one transaction: all of them, or (on any error) none."""
    result = ApplyResult()
    by_source: dict[str, list[Release]] = defaultdict(list)
    for release in releases:
        by_source[release.source].append(release)
    try:
        with db.atomic():
            _add_organisations(db, _earliest(r.organisations for r in releases), now)
            for release in releases:
                _add_aliases(db, release.aliases, now)
                result.events_recorded += _store_events(db, release, now)
                store_counts(db, release)
            for source, batch in by_source.items():
                _apply_source(db, source, batch, now, result)
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


def _add_organisations(db: Database, rows: Iterable[dict[str, str | None]], now: str) -> None:
    db.conn.executemany(
        "insert into organisations (code, name, kind, valid_from, origin) "
        "values (:code, :name, :kind, :valid_from, :origin) on conflict(code) do update "
        "set valid_from = min(valid_from, excluded.valid_from) where origin != 'registry'",
        list(rows),
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


def _apply_source(
    db: Database, source: str, batch: list[Release], now: str, result: ApplyResult
) -> None:
    """Apply one source's releases to its runs, then re-derive the facts that may have moved."""
    known = {
        effective: (id_, digest, bool(complete))
        for id_, effective, digest, complete in db.execute(
            "select id, effective, digest, complete from releases where source = ?", [source]
        )
    }
    latest: dict[str, Release] = {}
    for release in batch:  # a later version of the same release in one batch wins...
        if release.adds:  # ...unless it adds to that date's (news.py)
            release = merge_added(
                db, release, latest.get(release.effective), release.effective in known
            )
        latest[release.effective] = release
    todo = []
    for effective, release in sorted(latest.items()):
        digest = release_digest(release)
        if effective in known and known[effective][1] == digest:
            result.unchanged_releases += 1
            result.unchanged.add((source, effective))
        else:
            todo.append((release, digest))
    if not todo:
        return
    newest = max(known, default=None)
    appending = (newest is None or todo[0][0].effective > newest) and all(
        complete == release.complete for *_, complete in known.values() for release, _ in todo
    )
    state, loaded = _load_runs(db, source, open_only=appending)
    affected: set[Key] = set()
    for release, digest in todo:
        moved = apply_release(state, release)
        if affected:
            affected |= moved
        else:  # a first load moves every key: keep that set rather than copy it
            affected = moved
        result.releases += 1
        result.statements += len(release.statements)
        row = (release.complete, release.fetch_id, digest, now)
        if release.effective in known:
            db.execute(
                "update releases set complete = ?, fetch_id = ?, digest = ?, recorded_at = ? "
                "where id = ?",
                [*row, known[release.effective][0]],
            )
        else:
            db.execute(
                "insert into releases (complete, fetch_id, digest, recorded_at, source, effective) "
                "values (?, ?, ?, ?, ?, ?)",
                [*row, source, release.effective],
            )
    _write_runs(db, source, state, loaded)
    _rederive(
        db, source, state, affected, now, result, whole=not appending or not known, first=not known
    )


BULK_SQL = True  # derive a complete source's first load in SQL (bulkload.py); tests compare

_RUN_COLUMNS = (
    "org_code, attribute, value, value_key, value_num, publisher, note, first, last, fetch_id"
)


def _load_runs(db: Database, source: str, *, open_only: bool) -> tuple[SourceRuns, dict]:
    """The source's releases and its runs (only the open ones when appending), in memory."""
    dates, complete, fetches = [], {}, {}
    for effective, is_complete, fetch_id in db.execute(
        "select effective, complete, fetch_id from releases where source = ? order by effective",
        [source],
    ):
        dates.append(effective)
        complete[effective], fetches[effective] = bool(is_complete), fetch_id
    state = SourceRuns(dates, complete, fetches, defaultdict(list))
    loaded: dict[int, tuple] = {}
    where = "and last is null" if open_only else ""
    for row in db.execute(
        f"select id, {_RUN_COLUMNS} from statement_runs where source = ? {where} "
        "order by org_code, attribute, first",
        [source],
    ):
        run_id, statement, (first, last, fetch_id) = row[0], Statement(*row[1:8]), row[8:]
        state.runs[statement[:2]].append(Run(run_id, first, last or OPEN, statement, fetch_id))
        loaded[run_id] = tuple(row[1:])
    return state, loaded


def _write_runs(db: Database, source: str, state: SourceRuns, loaded: dict[int, tuple]) -> None:
    """Write the runs that changed; the newest run of a key is stored open (last is null)."""
    updates = []
    for runs in state.runs.values():
        for run in runs:
            if run.id is not None:
                row = (*run.statement, run.first, None if run.last == OPEN else run.last,
                       run.fetch_id)  # fmt: skip
                if loaded.get(run.id) != row:
                    updates.append((*row, run.id))
    inserts = (  # a generator: a backfill's new runs are never all in memory twice
        (*run.statement, run.first, None if run.last == OPEN else run.last, run.fetch_id, source)
        for runs in state.runs.values()
        for run in runs
        if run.id is None
    )
    db.conn.executemany("delete from statement_runs where id = ?", [(i,) for i in state.removed])
    db.conn.executemany(
        f"update statement_runs set ({_RUN_COLUMNS}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) where id = ?",
        updates,
    )
    db.conn.executemany(
        f"insert into statement_runs ({_RUN_COLUMNS}, source) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )


def _rederive(
    db: Database, source: str, state: SourceRuns, keys: set[Key], now: str, result: ApplyResult,
    *, whole: bool, first: bool,
) -> None:  # fmt: skip
    """Derive the facts and changes of `keys` afresh and record how belief changed.

    `whole` says `state` holds every run of the source (else the keys' runs are read back);
    `first` says the source had no releases before, so nothing is believed yet.
    """
    if not keys:
        return
    if whole and first and BULK_SQL and all(state.complete.values()):
        facts, changes = derive_first_load(db, source, now)
        result.facts_recorded += facts
        result.changes_recorded += changes
        return
    join = "join affected_keys k on k.org_code = t.org_code and k.attribute = t.attribute"
    if not (whole and first):
        db.execute(
            "create temp table if not exists affected_keys (org_code text, attribute text, "
            "primary key (org_code, attribute)) without rowid"
        )
        db.execute("delete from affected_keys")
        db.conn.executemany("insert into affected_keys values (?, ?)", sorted(keys))
    runs: dict[Key, list[Run]] | list[list[Run]]
    if whole:
        runs = [state.runs[key] for key in sorted(keys)]
    else:
        runs = defaultdict(list)
        for row in db.execute(
            f"select t.id, {', '.join('t.' + c for c in _RUN_COLUMNS.split(', '))} "
            f"from statement_runs t {join} where t.source = ? order by t.org_code, t.attribute",
            [source],
        ):
            statement = Statement(*row[1:8])
            runs[statement[:2]].append(Run(row[0], row[8], row[9] or OPEN, statement, row[10]))
        runs = list(runs.values())
    complete_dates = [d for d in state.dates if state.complete[d]]
    if first:  # nothing believed yet: derive and write in slices, holding little at a time
        for start in range(0, len(runs), _SLICE):
            facts, changes = [], []
            for key_runs in runs[start : start + _SLICE]:
                key_facts = facts_from_runs(key_runs, complete_dates)
                facts += key_facts
                changes += changes_of(key_facts, state.fetches)
            _insert(db, facts, changes, source, now, result)
        return
    derived_facts: dict[tuple, None] = {}
    derived_changes: dict[tuple, None] = {}
    for key_runs in runs:
        facts = facts_from_runs(key_runs, complete_dates)
        derived_facts.update(dict.fromkeys(facts))
        derived_changes.update(dict.fromkeys(changes_of(facts, state.fetches)))
    believed_facts: dict[tuple, int] = {}
    believed_changes: dict[tuple, int] = {}
    if not first:
        believed_facts = _believed(db, "facts", _FACT_COLUMNS, source, join)
        believed_changes = _believed(db, "changes", _CHANGE_COLUMNS, source, join)
    result.facts_retired += _retire(db, "facts", believed_facts, derived_facts, now)
    result.changes_retired += _retire(db, "changes", believed_changes, derived_changes, now)
    new_facts = [fact for fact in derived_facts if fact not in believed_facts]
    new_changes = [change for change in derived_changes if change not in believed_changes]
    _insert(db, new_facts, new_changes, source, now, result)


_SLICE = 20_000  # keys derived and written at a time when a source is first loaded


def _insert(
    db: Database, facts: Sequence[tuple], changes: Sequence[tuple], source: str, now: str,
    result: ApplyResult,
) -> None:  # fmt: skip
    """Record new facts and changes as believed from `now`."""
    kinds: dict[str, str] = {}
    db.conn.executemany(
        f"insert into facts ({_FACT_COLUMNS}, recorded_at, source) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((*fact, now, source) for fact in facts),
    )
    db.conn.executemany(
        f"insert into changes ({_CHANGE_COLUMNS}, recorded_at, source, kind) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (*change, now, source, kinds.get(change[1]) or kinds.setdefault(
                change[1], change_kind(change[1])))
            for change in changes
        ),
    )  # fmt: skip
    result.facts_recorded += len(facts)
    result.changes_recorded += len(changes)


def _believed(db: Database, table: str, columns: str, source: str, join: str) -> dict[tuple, int]:
    """The rows of `table` the database currently believes for the affected keys, by value."""
    prefixed = ", ".join("t." + column for column in columns.split(", "))
    return {
        tuple(row[1:]): row[0]
        for row in db.execute(
            f"select t.id, {prefixed} from {table} t {join} "
            "where t.source = ? and t.retired_at is null",
            [source],
        )
    }


def _retire(
    db: Database, table: str, believed: dict[tuple, int], derived: dict[tuple, None], now: str
) -> int:
    stale = [(now, row_id) for row, row_id in believed.items() if row not in derived]
    db.conn.executemany(f"update {table} set retired_at = ? where id = ?", stale)
    return len(stale)


__all__ = ["ApplyResult", "Event", "apply_releases", "open_db", "release_digest"]
