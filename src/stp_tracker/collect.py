"""Collect one configured source end to end: fetch, archive, parse, guard, store.

`collect_source` is the one function both `stp-tracker fetch` and the scheduled job call. It
never raises for a source's own failure: the outcome is on the source's `fetches` row and in
the returned report, so one bad source never stops the others.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from sqlite_utils import Database

from .archive import read_body, store_body
from .config import Config, SourceConfig
from .errors import StoreError, StpTrackerError
from .fetch import FetchFailed, Validators, fetch
from .guard import Quarantined
from .pipeline import (
    Body,
    Clock,
    archive_of,
    finish_fetch,
    ingest_bodies,
    stamp,
    start_fetch,
    utc_now,
)
from .reingest import config_digest

SUCCESS = ("changed", "unchanged", "not-modified")


@dataclass(frozen=True)
class CollectReport:
    """What one collection of a source did, for the log line and the CLI."""

    source: str
    fetch_id: int
    outcome: str
    records: int = 0
    changes: int = 0
    seconds: float = 0.0
    error: str | None = None
    attempts: int = 1  # HTTP requests made, retries included

    @property
    def ok(self) -> bool:
        """True unless the fetch failed or was quarantined."""
        return self.outcome in SUCCESS


def last_success(db: Database, source: str) -> dict | None:
    """The latest fetch of `source` that worked, for its validators and content hash."""
    rows = db.query(
        "select * from fetches where source = ? and outcome in ('changed', 'unchanged', "
        "'not-modified') order by id desc limit 1",
        [source],
    )
    return next(rows, None)


def published_date(last_modified: str | None) -> str | None:
    """The ISO date of an HTTP Last-Modified header, for sources dated by publication."""
    if not last_modified:
        return None
    try:
        return email.utils.parsedate_to_datetime(last_modified).date().isoformat()
    except (TypeError, ValueError):
        return None


def archived_body(archive: Path, row: dict) -> Body:
    """The body a recorded fetch received, read back from the raw archive."""
    return Body(
        read_body(archive, row["sha256"]), row["url"], row["started_at"], row["finished_at"],
        row["http_status"], row["etag"], row["last_modified"],
        published_date(row["last_modified"]),
    )  # fmt: skip


def collect_source(
    db: Database,
    config: Config,
    source: SourceConfig,
    *,
    client: httpx.Client | None = None,
    clock: Clock = utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> CollectReport:
    """Fetch `source` once and apply what it says, recording exactly one `fetches` row."""
    began = time.monotonic()
    if not source.url:
        raise StoreError(f"source {source.name!r} has no url to fetch; use stp-tracker ingest")
    previous = last_success(db, source.name)
    digest = config_digest(config, source)
    # The last body stands for today's configuration only if it was read under it: after a
    # configuration change the body is asked for again in full and applied, even unchanged.
    current = previous is not None and previous["config_digest"] == digest
    validators = Validators(
        etag=previous["etag"] if current else None,
        last_modified=previous["last_modified"] if current else None,
    )
    started = stamp(clock())
    try:
        result = fetch(
            source.url,
            client=client,
            validators=validators,
            max_bytes=source.max_bytes,
            sleep=sleep,
            clock=clock,
        )
    except FetchFailed as exc:
        fetch_id = start_fetch(db, source.name, None, source.url, started)
        finish_fetch(
            db,
            fetch_id,
            stamp(clock()),
            outcome="failed",
            error=str(exc),
            http_status=exc.status,
        )
        return CollectReport(
            source.name,
            fetch_id,
            "failed",
            error=str(exc),
            seconds=time.monotonic() - began,
            attempts=exc.attempts,
        )
    if result.not_modified or result.body is None:
        fetch_id = start_fetch(db, source.name, None, result.url, started)
        finish_fetch(
            db,
            fetch_id,
            result.finished_at,
            outcome="not-modified",
            http_status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            sha256=previous and previous["sha256"],
            records=0,
            changes=0,
            config_digest=digest,
        )
        return CollectReport(
            source.name,
            fetch_id,
            "not-modified",
            seconds=time.monotonic() - began,
            attempts=result.attempts,
        )
    body = Body(
        result.body,
        result.url,
        result.started_at,
        result.finished_at,
        result.status,
        result.etag,
        result.last_modified,
        published_date(result.last_modified),
    )
    fetch_id = start_fetch(db, source.name, body, result.url, started)
    if current and previous["sha256"] == body.sha256:
        store_body(archive_of(db), body.data)
        finish_fetch(
            db, fetch_id, stamp(clock()), outcome="unchanged", records=0, changes=0,
            config_digest=digest,
        )  # fmt: skip
        return CollectReport(
            source.name,
            fetch_id,
            "unchanged",
            seconds=time.monotonic() - began,
            attempts=result.attempts,
        )
    report = _apply(db, config, source, body, fetch_id, clock, began, guard=True, reuse=True)
    return replace(report, attempts=result.attempts)


def _apply(
    db: Database,
    config: Config,
    source: SourceConfig,
    body: Body,
    fetch_id: int,
    clock: Clock,
    began: float,
    *,
    guard: bool,
    reuse: bool = False,
) -> CollectReport:
    """Apply one archived body of `source` to the store, recording the outcome on its row;
    with `reuse`, a body applied before exactly as it is now is recorded unchanged unparsed."""

    def report(outcome: str, records: int = 0, changes: int = 0, error: str | None = None):
        seconds = time.monotonic() - began
        return CollectReport(source.name, fetch_id, outcome, records, changes, seconds, error)

    try:
        if source.format == "geojson":
            stored = _apply_boundaries(db, config, source, body, fetch_id, clock)
            return report("changed", stored)
        ingested = ingest_bodies(
            db, config, source, [body], clock=clock, fetch_ids=[fetch_id], guard=guard, reuse=reuse
        )
        return report(ingested.outcomes[0], ingested.records, ingested.result.changes_recorded)
    except Quarantined as exc:
        return report("quarantined", error=str(exc))
    except StpTrackerError as exc:  # its fetch row already says failed, and why
        return report("failed", error=str(exc))
    except Exception as exc:  # a bug or a broken database: still no row left 'running'
        finish_fetch(
            db, fetch_id, stamp(clock()), outcome="failed", error=f"unexpected error: {exc!r}"
        )
        raise


def _apply_boundaries(
    db: Database, config: Config, source: SourceConfig, body: Body, fetch_id: int, clock: Clock
) -> int:
    """Replace a GeoJSON source's boundaries, finishing its fetch row either way."""
    from .boundaries import store_boundaries

    try:
        store_body(archive_of(db), body.data)
        stored = store_boundaries(
            db,
            source.name,
            body.data,
            source.column_for("org.code") or "code",
            fetch_id,
            body.origin,
        )
    except StpTrackerError as exc:
        finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=str(exc))
        raise
    finish_fetch(
        db, fetch_id, stamp(clock()), outcome="changed", records=stored, changes=0,
        config_digest=config_digest(config, source),
    )  # fmt: skip
    return stored


def accept_quarantined(
    db: Database, config: Config, source: SourceConfig, fetch_id: int, clock: Clock = utc_now
) -> CollectReport:
    """Apply a quarantined fetch of `source` after a person has reviewed it.

    The fetch's own row takes the outcome (no new attempt is recorded); its timings stay those
    of the download, and `applied_at` says when it was accepted.
    """
    row = next(db.query("select * from fetches where id = ?", [fetch_id]), None)
    if row is None or row["source"] != source.name:
        raise StoreError(f"fetch {fetch_id} is not a fetch of source {source.name!r}")
    if row["outcome"] != "quarantined":
        raise StoreError(
            f"fetch {fetch_id} of {source.name!r} is {row['outcome']}, not quarantined"
        )
    body = archived_body(archive_of(db), row)
    report = _apply(db, config, source, body, fetch_id, clock, time.monotonic(), guard=False)
    with db.atomic():
        db.table("fetches").update(fetch_id, {"finished_at": row["finished_at"]})
    return report


INTERRUPTED = "interrupted: the process stopped before this fetch finished"


def recover_interrupted(db: Database, now: str) -> list[str]:
    """Mark fetches left 'running' by a process that died as failed; return their sources.

    Only the holder of the writer lock may call this, so no such fetch is still under way.
    """
    rows = db.execute("select id, source from fetches where outcome = 'running'").fetchall()
    with db.atomic():
        for fetch_id, _ in rows:
            db.table("fetches").update(
                fetch_id, {"outcome": "failed", "error": INTERRUPTED, "finished_at": now}
            )
    return sorted({source for _, source in rows})


def consecutive_failures(db: Database, source: str) -> int:
    """How many of the source's latest fetches in a row got nothing applied.

    Failed and quarantined fetches count (either way the history is going stale and a person
    must look); a fetch still running neither counts nor breaks the run.
    """
    count = 0
    for (outcome,) in db.execute(
        "select outcome from fetches where source = ? order by id desc", [source]
    ):
        if outcome in SUCCESS:
            break
        if outcome in ("failed", "quarantined"):
            count += 1
    return count
