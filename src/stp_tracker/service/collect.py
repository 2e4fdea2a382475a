"""Collect one configured source end to end: fetch, archive, parse, guard, store.

A collection is three steps: `plan_fetch` reads what the store knows (validators, the last
body), `download` fetches within the source's deadline touching no database, and `record`
writes the `fetches` row and applies a new body (a news feed then does the same for each new
item: feeds.py). `collect_source` runs them in turn; the pool
(pool.py) that both `stp-tracker fetch` and the scheduled service use runs downloads
concurrently and records them on one writer. A source's own failure never raises: the outcome
is on its `fetches` row and in the returned report, so one bad source never stops the others.
"""

from __future__ import annotations

import sqlite3
import threading
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
from ..fetch.http import FetchCancelled, FetchFailed, FetchResult, Validators, fetch
from ..pipeline import archive_of, ingest_bodies
from ..redact import public_url
from ..store.fetches import (
    INTERRUPTED,
    SUCCESS,
    config_digest,
    find_applied,
    finish_fetch,
    last_success,
    restate,
    start_fetch,
)
from ..store.guard import Quarantined


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
    # What a boundary file matched, what a registry source added or proposes: for the summary
    # and the log.
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True unless the fetch failed or was quarantined."""
        return self.outcome in SUCCESS


@dataclass(frozen=True)
class Plan:
    """What a fetch of a source needs from the store, read before it starts."""

    source: SourceConfig
    previous: dict | None  # the source's last successful fetch
    digest: str  # the configuration the body will be parsed under
    current: bool  # whether the last body was read under this same configuration

    @property
    def validators(self) -> Validators:
        """The conditional headers to send: only for a body read under today's configuration."""
        if not self.current or self.previous is None:
            return Validators()
        return Validators(self.previous["etag"], self.previous["last_modified"])


@dataclass(frozen=True)
class Download:
    """What the network gave for one URL of a source: a result or the failure, and when."""

    source: SourceConfig
    started: str
    began: float  # time.monotonic() when the fetch began, for the report's duration
    result: FetchResult | None = None
    failure: FetchFailed | None = None


def plan_fetch(db: Database, config: Config, source: SourceConfig) -> Plan:
    """Read what fetching `source` needs from the store (its last success and validators)."""
    if not source.url:
        raise StoreError(f"source {source.name!r} has no url to fetch; use stp-tracker ingest")
    previous = last_success(db, source.name)
    digest = config_digest(config, source)
    # The last body stands for today's configuration only if it was read under it: after a
    # configuration change the body is asked for again in full and applied, even unchanged.
    current = previous is not None and previous["config_digest"] == digest
    return Plan(source, previous, digest, current)


def download(
    source: SourceConfig,
    config: Config,
    url: str,
    validators: Validators,
    *,
    client: httpx.Client | None = None,
    clock: Clock = utc_now,
    sleep: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> Download:
    """Fetch `url` for `source` within its deadline; network only, touching no database."""
    began, started = time.monotonic(), stamp(clock())
    try:
        result = fetch(
            url,
            client=client,
            validators=validators,
            max_bytes=source.max_bytes,
            deadline=source.deadline_seconds,
            cancel=cancel,
            redirect_hosts=source.redirect_hosts,
            secret_params=config.tracker.redact_params,
            sleep=sleep,
            clock=clock,
        )
    except FetchFailed as exc:
        return Download(source, started, began, failure=exc)
    return Download(source, started, began, result=result)


def collect_source(
    db: Database,
    config: Config,
    source: SourceConfig,
    *,
    client: httpx.Client | None = None,
    clock: Clock = utc_now,
    sleep: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> CollectReport:
    """Fetch `source` once and apply what it says, recording one `fetches` row (and, for a
    news feed, one more per item it then reads: feeds.py; an ODS source, one per request and
    one for the snapshot it applies: ods.py)."""
    if source.format == "ods":
        from .ods import collect_ods, steps_on

        with steps_on(
            db, config, source, client=client, clock=clock, sleep=sleep, cancel=cancel
        ) as steps:
            return collect_ods(config, source, steps, clock)
    plan = plan_fetch(db, config, source)
    got = download(source, config, source.url or "", plan.validators, client=client,
                   clock=clock, sleep=sleep, cancel=cancel)  # fmt: skip
    report = record(db, config, plan, got, clock)
    if source.format != "feed" or not report.ok:
        return report
    from .feeds import collect_items, combined

    items = collect_items(
        db, config, source, client=client, clock=clock, sleep=sleep, cancel=cancel
    )
    return combined(report, items)


def record(
    db: Database, config: Config, plan: Plan, got: Download, clock: Clock = utc_now
) -> CollectReport:
    """Record what the download of a source's own document brought (the writer's half of a
    collection): its `fetches` row, and for a new body, what it states."""
    source, result = plan.source, got.result
    if result is None:
        shown = public_url(source.url, config.tracker.redact_params) or ""
        fetch_id, error = record_failure(db, source, shown, got, clock)
        return _done(got, fetch_id, "failed", got.failure.attempts if got.failure else 0, error)
    if result.not_modified or result.body is None:
        fetch_id = start_fetch(db, source.name, None, result.url, got.started)
        finish_fetch(
            db, fetch_id, result.finished_at, outcome="not-modified", http_status=result.status,
            etag=result.etag, last_modified=result.last_modified,
            sha256=plan.previous and plan.previous["sha256"], records=0, changes=0,
            config_digest=plan.digest,
        )  # fmt: skip
        return _done(got, fetch_id, "not-modified", result.attempts)
    body = body_of(result)
    fetch_id = start_fetch(db, source.name, body, result.url, got.started)
    if restated(db, config, source, body, fetch_id, clock):
        return _done(got, fetch_id, "unchanged", result.attempts)
    report = _apply(db, config, source, body, fetch_id, clock, got.began, guard=True)
    return replace(report, attempts=result.attempts)


def record_failure(
    db: Database,
    source: SourceConfig,
    shown: str,
    got: Download,
    clock: Clock,
    as_of: str | None = None,
) -> tuple[int, str]:
    """The `fetches` row of a download that failed (interrupted if it was cancelled)."""
    failure = got.failure
    error = INTERRUPTED if isinstance(failure, FetchCancelled) else str(failure)
    fetch_id = start_fetch(db, source.name, None, shown, got.started, as_of)
    finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=error,
                 http_status=failure.status if failure else None)  # fmt: skip
    return fetch_id, error


def body_of(result: FetchResult) -> Body:
    """A fetched result as the Body the later stages take."""
    assert result.body is not None
    return Body(
        result.body, result.url, result.started_at, result.finished_at, result.status,
        result.etag, result.last_modified, published_date(result.last_modified),
    )  # fmt: skip


def _done(
    got: Download, fetch_id: int, outcome: str, attempts: int, error: str | None = None
) -> CollectReport:
    """The report of a collection that applied nothing."""
    seconds = time.monotonic() - got.began
    return CollectReport(got.source.name, fetch_id, outcome, 0, 0, seconds, error, attempts)


def restated(
    db: Database, config: Config, source: SourceConfig, body: Body, fetch_id: int, clock: Clock
) -> bool:
    """Finish fetch `fetch_id` 'unchanged', unparsed, if its body was applied before as it is
    (fetches.find_applied); whether it was."""
    applied = find_applied(db, config, source, body, as_of=None, before=fetch_id)
    if applied is None:
        return False
    store_body(archive_of(db), body.data)
    restate(db, source.name, body, applied, stamp(clock()), fetch_id=fetch_id)
    return True


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
    item: bool = False,
    as_of: str | None = None,
) -> CollectReport:
    """Apply one archived body of `source` to the store, recording the outcome on its row.
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
            guard=guard,
        )  # fmt: skip
        done = report(ingested.outcomes[0], ingested.records, ingested.result.changes_recorded)
        return replace(done, created=ingested.created, fuzzy=tuple(ingested.fuzzy),
                       skipped=tuple(ingested.skipped), notes=tuple(ingested.notes))  # fmt: skip
    except Quarantined as exc:
        return report("quarantined", error=str(exc))
    except StpTrackerError as exc:  # its fetch row already says failed, and why
        if _was_interrupted(exc):  # the service is stopping: say so, so it runs at restart
            finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=INTERRUPTED)
            return report("failed", error=INTERRUPTED)
        return report("failed", error=str(exc))
    except Exception as exc:  # a bug, a broken database or a stop: still no row left 'running'
        error = INTERRUPTED if _was_interrupted(exc) else f"unexpected error: {exc!r}"
        finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=error)
        raise


def _was_interrupted(exc: BaseException | None) -> bool:
    """Whether SQLite's work was interrupted (the service stopping) somewhere in this chain."""
    while exc is not None:
        if isinstance(exc, sqlite3.OperationalError) and str(exc) == "interrupted":
            return True
        exc = exc.__cause__ or exc.__context__
    return False


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
    finish_fetch(db, fetch_id, row["finished_at"])  # the download's own time again
    return report
