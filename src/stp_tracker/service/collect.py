"""Collect one configured source end to end: fetch, archive, parse, guard, store.

`collect_source` is the one function both `stp-tracker fetch` and the scheduled job call. It
never raises for a source's own failure: the outcome is on the source's `fetches` row and in
the returned report, so one bad source never stops the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import httpx
from sqlite_utils import Database

from ..clock import Clock, stamp, utc_now
from ..config import Config, SourceConfig
from ..errors import StoreError, StpTrackerError
from ..extract.identify import FuzzyMatch, Skipped
from ..fetch.archive import store_body
from ..fetch.body import Body, archived_body, published_date
from ..fetch.http import FetchFailed, Validators, fetch
from ..pipeline import archive_of, ingest_bodies
from ..store.fetches import SUCCESS, finish_fetch, last_success, start_fetch
from ..store.guard import Quarantined
from ..store.reingest import config_digest


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
    created: dict[str, str] = field(default_factory=dict)  # organisations created, code -> name
    fuzzy: tuple[FuzzyMatch, ...] = ()  # names accepted by fuzzy matching
    skipped: tuple[Skipped, ...] = ()  # rows naming no single organisation
    notes: tuple[str, ...] = ()  # what a boundary file matched, for the summary and the log

    @property
    def ok(self) -> bool:
        """True unless the fetch failed or was quarantined."""
        return self.outcome in SUCCESS


def collect_source(
    db: Database,
    config: Config,
    source: SourceConfig,
    *,
    client: httpx.Client | None = None,
    clock: Clock = utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> CollectReport:
    """Fetch `source` once and apply what it says, recording one `fetches` row (and, for a
    news feed, one more per item it then reads: feeds.py)."""
    report = _collect_document(db, config, source, client=client, clock=clock, sleep=sleep)
    if source.format != "feed" or not report.ok:
        return report
    from .feeds import collect_items, combined

    items = collect_items(db, config, source, client=client, clock=clock, sleep=sleep)
    return combined(report, items)


def _collect_document(
    db: Database,
    config: Config,
    source: SourceConfig,
    *,
    client: httpx.Client | None,
    clock: Clock,
    sleep: Callable[[float], None],
) -> CollectReport:
    """Fetch the source's own document once and apply it, recording one `fetches` row."""
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
    item: bool = False,
    as_of: str | None = None,
) -> CollectReport:
    """Apply one archived body of `source` to the store, recording the outcome on its row;
    with `reuse`, a body applied before exactly as it is now is recorded unchanged unparsed.
    A feed's own document is remembered, not applied; its `item`s are read as articles."""

    def report(outcome: str, records: int = 0, changes: int = 0, error: str | None = None):
        seconds = time.monotonic() - began
        return CollectReport(source.name, fetch_id, outcome, records, changes, seconds, error)

    try:
        if source.format == "feed" and not item:
            from .feeds import apply_feed

            new = apply_feed(db, config, source, body, fetch_id, clock)
            return report("changed" if new else "unchanged", new)
        ingested = ingest_bodies(
            db, config, source, [body], as_of=as_of, clock=clock, fetch_ids=[fetch_id],
            guard=guard, reuse=reuse,
        )  # fmt: skip
        done = report(ingested.outcomes[0], ingested.records, ingested.result.changes_recorded)
        return replace(done, created=ingested.created, fuzzy=tuple(ingested.fuzzy),
                       skipped=tuple(ingested.skipped), notes=tuple(ingested.notes))  # fmt: skip
    except Quarantined as exc:
        return report("quarantined", error=str(exc))
    except StpTrackerError as exc:  # its fetch row already says failed, and why
        return report("failed", error=str(exc))
    except Exception as exc:  # a bug or a broken database: still no row left 'running'
        finish_fetch(
            db, fetch_id, stamp(clock()), outcome="failed", error=f"unexpected error: {exc!r}"
        )
        raise


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
