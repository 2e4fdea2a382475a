"""Fetch bookkeeping, all of it: one `fetches` row per attempt (started on its own commit,
finished in the transaction that applies what it brought), recovery of attempts a dead process
left running, a source's health, and the one way to know a body is unchanged.

A body is *applied as it is* (recorded 'unchanged' without parsing) when an earlier applied
fetch of the same source had the same bytes, --as-of date and Last-Modified header, was parsed
under the same configuration (`config_digest`), every release it stated is still stored as it
stated it (`release_digests`: no later file has corrected one), and its names could not
resolve differently now: no alias has been added, no registry change accepted and no source
that creates organisations has applied anything since. Parsing and applying it again could
then only restate what the store holds. Within the store the same question is asked of each
release by the digest of what it states (`apply.release_digest`).

Everything here works on a plain sqlite3 connection (or a sqlite-utils Database), so the CLI
can answer an identical re-ingest without loading sqlite-utils or the parsers.

Everything written here is published, so URLs lose credentials and local folders, error text is
clipped to one line, and a failed file's unresolved names are kept once each, up to a cap.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..redact import public_name, public_text, public_url

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..config import Config, SourceConfig
    from ..extract.records import Unmatched
    from ..fetch.body import Body

SUCCESS = ("changed", "unchanged", "not-modified")
FETCHED = "fetched"  # the outcome of one request whose body arrived (or, on 304, was reused)
INTERRUPTED = "interrupted: the process stopped before this fetch finished"
MAX_UNMATCHED = 1000  # distinct unresolved names kept per fetch
# SourceConfig fields that do not change what a body parses into: schedule, limits and labels.
NOT_PARSING = frozenset(
    {"title", "url", "every", "cron", "licence", "max_change", "max_bytes", "max_failures",
     "enabled", "origin", "deadline", "redirect_hosts"}
)  # fmt: skip


def connection(db: Database | sqlite3.Connection) -> sqlite3.Connection:
    """The sqlite3 connection behind `db`."""
    return db if isinstance(db, sqlite3.Connection) else db.conn


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction, or a savepoint inside the caller's (as sqlite-utils' atomic())."""
    if conn.in_transaction:
        name = f"fetches_{secrets.token_hex(8)}"
        conn.execute(f"savepoint {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"rollback to savepoint {name}")
                conn.execute(f"release savepoint {name}")
            raise
        conn.execute(f"release savepoint {name}")
        return
    conn.execute("begin")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("rollback")
        raise
    conn.execute("commit")


def fetch_row(
    source: str, body: Body | None, url: str, started_at: str, as_of: str | None
) -> dict[str, Any]:
    """The `fetches` row of an attempt as it starts: what was asked for and what came back."""
    row: dict[str, Any] = {
        "source": source,
        "started_at": started_at,
        "url": public_url(url, ()),  # callers hide secret parameters; folders always go
        "outcome": "running",
        "as_of": as_of,
    }
    if body is not None:
        row |= {
            "http_status": body.http_status,
            "etag": body.etag,
            "last_modified": body.last_modified,
            "sha256": body.sha256,
            "bytes": len(body.data),
        }
    return row


def _insert(conn: sqlite3.Connection, row: dict[str, Any]) -> int:
    columns, marks = ", ".join(row), ", ".join("?" for _ in row)
    cursor = conn.execute(f"insert into fetches ({columns}) values ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


def start_fetch(
    db: Database | sqlite3.Connection,
    source: str,
    body: Body | None,
    url: str,
    started_at: str,
    as_of: str | None = None,
) -> int:
    """Record an attempt in `fetches` straight away, outside any release transaction."""
    conn = connection(db)
    with atomic(conn):
        return _insert(conn, fetch_row(source, body, url, started_at, as_of))


def start_response(
    db: Database | sqlite3.Connection, source: str, body: Body | None, url: str,
    started_at: str, item: str, as_of: str | None = None,
) -> int:  # fmt: skip
    """Record one request of a source that makes several a run (a news feed's items, an ODS
    source's search pages and records), saying what it was for (`item`), on its own commit, so
    the next run can ask conditionally and reuse the archived bytes on 304 Not Modified."""
    conn = connection(db)
    with atomic(conn):
        return _insert(conn, fetch_row(source, body, url, started_at, as_of) | {"item": item})


def last_response(db: Database | sqlite3.Connection, source: str, item: str) -> dict | None:
    """The latest request for `item` by `source` whose body was received and archived."""
    return _first_row(
        connection(db).execute(
            "select * from fetches where source = ? and item = ? and sha256 is not null and "
            "outcome = ? order by id desc limit 1",
            [source, item, FETCHED],
        )
    )


def finish_fetch(
    db: Database | sqlite3.Connection, fetch_id: int, now: str, **values: object
) -> None:
    """Complete an attempt's `fetches` row with its outcome, counts and error (clipped; inside
    the caller's transaction when there is one, so it commits with what the fetch applied)."""
    if values.get("error") is not None:
        values["error"] = public_text(str(values["error"]), secret_params=())
    conn = connection(db)
    row = {"finished_at": now, **values}
    with atomic(conn):
        conn.execute(
            f"update fetches set {', '.join(f'[{c}] = ?' for c in row)} where id = ?",
            [*row.values(), fetch_id],
        )


def record_unmatched(
    db: Database | sqlite3.Connection, source: str, fetch_id: int,
    unmatched: Sequence[Unmatched], now: str,
) -> None:  # fmt: skip
    """Keep unresolved names for review, committed even though the run fails.

    Each distinct name (per field) is kept once, at its first row, with how often it occurred;
    at most MAX_UNMATCHED of them, then one row saying how many more were cut, so a large bad
    file cannot fill the database.
    """
    rows = _unmatched_rows(source, fetch_id, unmatched, now)
    if not rows:
        return
    columns = list(rows[0])
    conn = connection(db)
    with atomic(conn):
        conn.executemany(
            f"insert into unmatched ({', '.join(columns)}) "
            f"values ({', '.join('?' for _ in columns)})",
            [[row[c] for c in columns] for row in rows],
        )


def _unmatched_rows(
    source: str, fetch_id: int, unmatched: Sequence[Unmatched], now: str
) -> list[dict]:
    """The `unmatched` rows for a fetch: one a distinct (field, name), up to MAX_UNMATCHED,
    then one counting the names cut."""
    counts: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], Unmatched] = {}
    for item in unmatched:
        key = (item.field, item.name)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, item)
    common = {"source": source, "fetch_id": fetch_id, "seen_at": now}
    rows = [
        {
            **common,
            "file": public_url(first[key].file, ()),
            "row": first[key].row,
            "field": first[key].field,
            "name": public_name(first[key].name),
            "normalised": public_name(first[key].name).casefold(),
            "candidates": json.dumps([c.__dict__ for c in first[key].candidates]),
            "occurrences": counts[key],
            # an article's sentence, clipped like any text from a source
            "context": public_text(getattr(first[key], "context", None), 300, ()),
        }
        for key in list(first)[:MAX_UNMATCHED]
    ]
    cut = list(first)[MAX_UNMATCHED:]
    if cut:
        rows.append(
            {
                **common,
                "file": public_url(unmatched[0].file, ()),
                "row": None,
                "field": None,
                "name": f"[{len(cut):,} more distinct names not kept: at most "
                f"{MAX_UNMATCHED:,} per fetch]",
                "normalised": None,
                "candidates": "[]",
                "occurrences": sum(counts[key] for key in cut),
                "context": None,
            }
        )
    return rows


def last_success(db: Database | sqlite3.Connection, source: str) -> dict | None:
    """The latest fetch of `source` that worked, for its validators and content hash."""
    cursor = connection(db).execute(
        "select * from fetches where source = ? and outcome in ('changed', 'unchanged', "
        "'not-modified') and item is null order by id desc limit 1",
        [source],
    )
    return _first_row(cursor)


def _first_row(cursor: sqlite3.Cursor) -> dict | None:
    found = cursor.fetchone()
    return None if found is None else dict(zip([d[0] for d in cursor.description], found,
                                                strict=True))  # fmt: skip


def recover_interrupted(db: Database | sqlite3.Connection, now: str) -> list[str]:
    """Mark fetches left 'running' by a process that died as failed; return their sources.

    Only the holder of the writer lock may call this, so no such fetch is still under way.
    """
    conn = connection(db)
    rows = conn.execute("select id, source from fetches where outcome = 'running'").fetchall()
    with atomic(conn):
        conn.executemany(
            "update fetches set outcome = 'failed', error = ?, finished_at = ? where id = ?",
            [(INTERRUPTED, now, fetch_id) for fetch_id, _ in rows],
        )
    return sorted({source for _, source in rows})


def consecutive_failures(db: Database | sqlite3.Connection, source: str) -> int:
    """How many of the source's latest fetches in a row got nothing applied.

    Failed and quarantined fetches count (either way the history is going stale and a person
    must look); a fetch still running, or interrupted by a stop of the service, neither counts
    nor breaks the run.
    """
    count = 0
    for outcome, error in connection(db).execute(
        "select outcome, error from fetches where source = ? order by id desc", [source]
    ):
        if outcome in SUCCESS:
            break
        if outcome in ("failed", "quarantined") and error != INTERRUPTED:
            count += 1
    return count


def config_digest(config: Config, source: SourceConfig) -> str:
    """A stable hash of everything in the configuration that decides what a body of `source`
    parses into (not the program: an upgrade that reads files differently is applied by
    `stp-tracker rebuild`)."""
    fields: dict[str, Any] = {
        field.name: getattr(source, field.name)
        for field in dataclasses.fields(source)
        if field.name not in NOT_PARSING
    }
    fields["columns"] = list(source.columns.items())  # in order: the first mapping wins
    scale = config.scales.get(source.scale) if source.scale else None
    fields["scale_definition"] = (scale.labels, sorted(scale.synonyms.items())) if scale else None
    fields["kinds"] = config.kinds.definition(source.entity)  # what a created row may be
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Applied:
    """An earlier fetch that applied a body exactly as it is now, and what that body stated."""

    fetch_id: int
    release_digests: str  # JSON: effective date -> digest of the release, as still stored
    rows: int
    records: int
    digest: str

    @property
    def releases(self) -> list[str]:
        """The effective dates of the releases the body stated."""
        return sorted(json.loads(self.release_digests))

    def restated(self, now: str) -> dict[str, Any]:
        """The finished `fetches` values of a new fetch of the same body, applied at `now`."""
        return {
            "outcome": "unchanged",
            "error": None,
            "applied_at": now,
            "records": self.records,
            "changes": 0,
            "config_digest": self.digest,
            "release_digests": self.release_digests,
            "row_count": self.rows,
        }


def find_applied(
    db: Database | sqlite3.Connection,
    config: Config,
    source: SourceConfig,
    body: Body,
    *,
    as_of: str | None,
    before: int | None = None,
) -> Applied | None:
    """The latest fetch (before fetch id `before`) that applied `body` as it is now, if every
    release it stated is stored as stated and nothing since could change how names resolve."""
    digest = config_digest(config, source)
    inert = [name for name, other in config.sources.items() if not other.creates]
    found = connection(db).execute(
        "select f.id, f.release_digests, f.row_count, f.records from fetches f "
        "where f.source = ? and f.sha256 = ? and f.as_of is ? and f.last_modified is ? "
        "and f.config_digest = ? and f.id < ? and f.release_digests is not null "
        "and f.outcome in ('changed', 'unchanged') and f.applied_at is not null "
        "and not exists (select 1 from json_each(f.release_digests) j left join releases r "
        "on r.source = f.source and r.effective = j.key where r.digest is not j.value) "
        "and not exists (select 1 from aliases a where a.added_at > f.applied_at) "
        "and not exists (select 1 from removed_aliases r where r.removed_at > f.applied_at) "
        "and not exists (select 1 from proposals p where p.state = 'accepted' "
        "and p.decided_at > f.applied_at) "
        "and not exists (select 1 from fetches g where g.applied_at > f.applied_at "
        f"and g.outcome = 'changed' and g.source not in ({', '.join('?' for _ in inert)})) "
        "order by f.id desc limit 1",
        [source.name, body.sha256, as_of, body.last_modified, digest,
         (1 << 62) if before is None else before, *inert],
    ).fetchone()  # fmt: skip
    if found is None:
        return None
    fetch_id, release_digests, rows, records = found
    return Applied(fetch_id, release_digests, rows or 0, records or 0, digest)


def applied_bodies(
    db: Database | sqlite3.Connection,
    config: Config,
    source: SourceConfig,
    bodies: Sequence[Body],
    *,
    as_of: str | None,
    before: int | None = None,
) -> list[Applied] | None:
    """The earlier fetch of each body, or None unless every one of them was applied as it is."""
    if not bodies:
        return None
    found = []
    for body in bodies:
        applied = find_applied(db, config, source, body, as_of=as_of, before=before)
        if applied is None:
            return None
        found.append(applied)
    return found


def restate(
    db: Database | sqlite3.Connection, source: str, body: Body, applied: Applied, now: str,
    *, fetch_id: int | None = None, as_of: str | None = None,
) -> int:  # fmt: skip
    """Record a fetch of a body applied before as it is: finished 'unchanged' with what the
    earlier fetch applied (a new row unless `fetch_id` is the attempt's own). Returns its id."""
    if fetch_id is not None:
        finish_fetch(db, fetch_id, now, **applied.restated(now))
        return fetch_id
    row = fetch_row(source, body, body.origin, body.started_at, as_of)
    row |= {"finished_at": now, **applied.restated(now)}
    conn = connection(db)
    with atomic(conn):
        return _insert(conn, row)
