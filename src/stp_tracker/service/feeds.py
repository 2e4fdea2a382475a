"""Collect a news feed: remember its items, then fetch and read the new ones as articles.

The feed document is fetched like any source (conditional request, retries, size cap) and its
items are remembered by GUID. Then up to `max_items` waiting items are fetched politely, with
the same client, a pause between requests, and a conditional request for an item fetched
before; each is archived and read as an article (its date, failing the page's own, is the
feed's date for it). An item that states nothing about a known organisation is recorded as
skipped; one that fails is tried again on later runs, up to three times.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..clock import Clock, stamp
from ..fetch.archive import store_body
from ..fetch.body import Body, published_date
from ..fetch.http import FetchFailed, Validators, fetch
from ..parse.feed import read_feed
from ..pipeline import archive_of
from ..store.feeds import Pending, mark_item, pending_items, remember_items
from ..store.fetches import finish_fetch, start_fetch
from ..store.reingest import config_digest

if TYPE_CHECKING:
    import httpx
    from sqlite_utils import Database

    from ..config import Config, SourceConfig
    from .collect import CollectReport

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
    sleep: Callable[[float], None],
) -> list[CollectReport]:
    """Fetch and read up to `source.max_items` waiting items; one report per item."""
    reports = []
    for index, item in enumerate(pending_items(db, source.name, source.max_items)):
        if index:
            sleep(ITEM_PAUSE)
        reports.append(_collect_item(db, config, source, item, client, clock, sleep))
    return reports


def _collect_item(
    db: Database, config: Config, source: SourceConfig, item: Pending,
    client: httpx.Client | None, clock: Clock, sleep: Callable[[float], None],
) -> CollectReport:  # fmt: skip
    """Fetch one item and read it as an article, recording its own fetch row."""
    from .collect import CollectReport, _apply

    began = time.monotonic()
    started = stamp(clock())
    as_of = item.published or started[:10]
    try:
        result = fetch(
            item.link,
            client=client,
            validators=Validators(item.etag, item.last_modified),
            max_bytes=source.max_bytes,
            sleep=sleep,
            clock=clock,
        )
    except FetchFailed as exc:
        fetch_id = start_fetch(db, source.name, None, item.link, started, as_of)
        finish_fetch(
            db, fetch_id, stamp(clock()), outcome="failed", error=str(exc), http_status=exc.status
        )
        mark_item(db, source.name, item.guid, fetch_id, "failed")
        seconds = time.monotonic() - began
        return CollectReport(source.name, fetch_id, "failed", error=str(exc), seconds=seconds)
    if result.not_modified or result.body is None:
        fetch_id = start_fetch(db, source.name, None, result.url, started, as_of)
        finish_fetch(
            db, fetch_id, result.finished_at, outcome="not-modified", http_status=result.status,
            etag=result.etag, last_modified=result.last_modified, records=0, changes=0,
        )  # fmt: skip
        mark_item(db, source.name, item.guid, fetch_id, "not-modified")
        return CollectReport(source.name, fetch_id, "not-modified")
    body = Body(
        result.body, result.url, result.started_at, result.finished_at, result.status,
        result.etag, result.last_modified, published_date(result.last_modified),
    )  # fmt: skip
    fetch_id = start_fetch(db, source.name, body, result.url, started, as_of)
    with db.atomic():  # the row is the item's even if reading it fails
        db.execute("update fetches set item = ? where id = ?", [item.guid, fetch_id])
    report = _apply(
        db, config, source, body, fetch_id, clock, began, guard=False, item=True, as_of=as_of
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
