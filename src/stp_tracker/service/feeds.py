"""Collect a news feed: remember its items, then fetch and read the new ones as articles.

The feed document is fetched like any source (conditional request, retries, size cap) and its
items are remembered by GUID. Then up to `max_items` waiting items are fetched politely, with
the same client, a pause between requests, and a conditional request for an item fetched
before; each is archived and read as an article (its date, failing the page's own, is the
feed's date for it). An item that states nothing about a known organisation is recorded as
skipped; one that fails is tried again on later runs, up to three times.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..clock import Clock, stamp
from ..fetch.archive import store_body
from ..fetch.body import Body
from ..fetch.http import FetchCancelled, Validators
from ..parse.feed import read_feed
from ..pipeline import archive_of
from ..store.feeds import Pending, mark_item, pending_items, remember_items
from ..store.fetches import config_digest, finish_fetch, start_fetch, start_response

if TYPE_CHECKING:
    import httpx
    from sqlite_utils import Database

    from ..config import Config, SourceConfig
    from .collect import CollectReport, Download

ITEM_PAUSE = 1.0  # seconds between two item requests to a publisher


def apply_feed(
    db: Database, config: Config, source: SourceConfig, body: Body, fetch_id: int, clock: Clock
) -> int:
    """Archive a fetched feed document and remember its items; returns how many are new (or
    updated), finishing the document's fetch row either way."""
    from ..errors import StpTrackerError

    try:
        store_body(archive_of(db), body.data)
        feed = read_feed(body.data, body.origin)
        new = remember_items(db, source.name, feed.items, stamp(clock()))
    except StpTrackerError as exc:
        finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=str(exc))
        raise
    finish_fetch(
        db, fetch_id, stamp(clock()), outcome="changed" if new else "unchanged",
        records=len(feed.items), changes=0, config_digest=config_digest(config, source),
    )  # fmt: skip
    return new


def collect_items(
    db: Database,
    config: Config,
    source: SourceConfig,
    *,
    client: httpx.Client | None,
    clock: Clock,
    sleep: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[CollectReport]:
    """Fetch and read up to `source.max_items` waiting items; one report per item."""
    from .collect import download

    reports = []
    pause = sleep or (cancel.wait if cancel is not None else time.sleep)
    for index, item in enumerate(pending_items(db, source.name, source.max_items)):
        if index and pause(ITEM_PAUSE):  # a set cancel flag ends the run
            break
        got = download(source, config, item.link, Validators(item.etag, item.last_modified),
                       client=client, clock=clock, sleep=sleep, cancel=cancel)  # fmt: skip
        reports.append(record_item(db, config, source, item, got, clock))
    return reports


def record_item(
    db: Database, config: Config, source: SourceConfig, item: Pending, got: Download,
    clock: Clock,
) -> CollectReport:  # fmt: skip
    """Record one downloaded item and read it as an article, on its own fetch row (the
    writer's half of an item; a cancelled download leaves the item waiting)."""
    from .collect import CollectReport, _apply, body_of, record_failure

    as_of = item.published or got.started[:10]
    result = got.result
    if result is None:
        fetch_id, error = record_failure(db, source, item.link, got, clock, as_of)
        if not isinstance(got.failure, FetchCancelled):
            mark_item(db, source.name, item.guid, fetch_id, "failed")
        seconds = time.monotonic() - got.began
        return CollectReport(source.name, fetch_id, "failed", error=error, seconds=seconds)
    if result.not_modified or result.body is None:
        fetch_id = start_fetch(db, source.name, None, result.url, got.started, as_of)
        finish_fetch(
            db, fetch_id, result.finished_at, outcome="not-modified", http_status=result.status,
            etag=result.etag, last_modified=result.last_modified, records=0, changes=0,
        )  # fmt: skip
        mark_item(db, source.name, item.guid, fetch_id, "not-modified")
        return CollectReport(source.name, fetch_id, "not-modified")
    body = body_of(result)
    # the row is the item's even if reading it fails
    fetch_id = start_response(db, source.name, body, result.url, got.started, item.guid, as_of)
    report = _apply(
        db, config, source, body, fetch_id, clock, got.began, guard=False, item=True, as_of=as_of
    )
    mark_item(db, source.name, item.guid, fetch_id, report.outcome)
    return replace(report, attempts=result.attempts)


def combined(document: CollectReport, items: list[CollectReport]) -> CollectReport:
    """One report for a feed's run: the document's outcome ('changed' when an item changed
    the history), with the items' records and changes added."""
    if not items:
        return document
    changed = any(r.outcome == "changed" for r in items)
    return replace(
        document,
        outcome="changed" if changed and document.ok else document.outcome,
        records=document.records + sum(r.records for r in items),
        changes=document.changes + sum(r.changes for r in items),
        attempts=document.attempts + sum(r.attempts for r in items),
    )
