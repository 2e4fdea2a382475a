"""Collect a source of format "ods": page through an ORD API search, read the full records of
the organisations that changed, and apply the snapshot of what is known.

The search (the source's `url`, e.g. ``…/ORD/2-0-0/organisations?PrimaryRoleId=RO261``) is
read in pages of `Limit` records (at most 1000, ODS's own cap; a `Limit` in the url is kept),
moving `Offset` on until a page comes back short. Each summary names an organisation and its
`LastChangeDate`; the full record (``…/organisations/CODE``) of one never read, or changed
since it was read, is fetched, at most `max_items` a run (the rest wait for the next run).
Requests go one at a time with a pause between them, a User-Agent naming the service and its
contact, and conditional headers from the last copy, whose bytes are reused when ODS answers
304. Every request has its own `fetches` row (`item` says which page or organisation;
`outcome` is `fetched`) and archived body; then the snapshot (parse/ods.py: the summaries and
the latest full record of each organisation) is archived and applied like any file, on a
`fetches` row of its own, so `rebuild` replays what was applied.

A run reaches the network and the database through `Steps`, so the very same run works alone
(`steps_on`, for `collect_source`) and in the pool, where a fetcher downloads and the one
writer records each response and applies the snapshot (pool.py).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..clock import Clock, stamp
from ..errors import ParseError, StpTrackerError
from ..fetch.archive import read_body, store_body
from ..fetch.body import Body
from ..fetch.http import FetchCancelled, Validators, make_client, user_agent
from ..parse.ods import snapshot_bytes, summaries_of
from ..pipeline import archive_of
from ..redact import public_url
from ..store.fetches import (
    FETCHED,
    INTERRUPTED,
    finish_fetch,
    last_response,
    start_fetch,
    start_response,
)
from .feeds import ITEM_PAUSE

if TYPE_CHECKING:
    import httpx
    from sqlite_utils import Database

    from ..config import Config, SourceConfig
    from .collect import CollectReport, Download

PAGE_LIMIT = 1000  # records per search request: ODS's own maximum
MAX_PAGES = 20  # search requests a run may make (20,000 organisations)
Task = Callable[["Database"], Any]


@dataclass(frozen=True)
class Steps:
    """How a run reaches the database and the network."""

    write: Callable[[Task], Any]  # run a task on the (one) writer and return its result
    read: Callable[[Task], Any]  # run a task that only reads
    download: Callable[[str, Validators], Download]  # network only
    pause: Callable[[], bool]  # wait between two requests; True when the run must stop


@contextmanager
def steps_on(
    db: Database, config: Config, source: SourceConfig, *, client: httpx.Client | None,
    clock: Clock, sleep: Callable[[float], None] | None, cancel: threading.Event | None,
) -> Iterator[Steps]:  # fmt: skip
    """Steps on one connection, for a run collected on its own (with a client of its own,
    naming the contact, when none is given)."""
    from .collect import download

    own = make_client(user_agent(config.tracker.contact)) if client is None else None
    wait = sleep or (cancel.wait if cancel is not None else time.sleep)
    try:
        yield Steps(
            write=lambda task: task(db),
            read=lambda task: task(db),
            download=lambda url, validators: download(
                source,
                config,
                url,
                validators,
                client=client or own,
                clock=clock,
                sleep=sleep,
                cancel=cancel,
            ),
            pause=lambda: bool(wait(ITEM_PAUSE)),
        )
    finally:
        if own is not None:
            own.close()


def collect_ods(config: Config, source: SourceConfig, steps: Steps, clock: Clock) -> CollectReport:
    """One run of an ODS source: its requests, then the snapshot applied (never raises for
    the source's own failure: it is on the `fetches` rows and in the report)."""
    from .collect import CollectReport

    run = _Run(config, source, steps, clock)
    try:
        summaries = run.search()
        records = run.records(summaries)
    except _Stopped as stopped:
        seconds = time.monotonic() - run.began
        return CollectReport(source.name, stopped.fetch_id, "failed", error=stopped.error,
                             seconds=seconds, attempts=run.requests)  # fmt: skip
    assert source.url is not None
    shown = public_url(source.url, config.tracker.redact_params) or source.url
    body = Body(snapshot_bytes(shown, summaries, records), shown, run.started, stamp(clock()))
    report = steps.write(lambda db: apply_snapshot(db, config, source, body, clock, run.began))
    notes = (*report.notes, *run.notes(len(summaries), len(records)))
    return replace(report, attempts=run.requests, notes=notes)


class _Stopped(Exception):
    """The run ended before a snapshot could be applied; its last row says why."""

    def __init__(self, fetch_id: int, error: str) -> None:
        super().__init__(error)
        self.fetch_id, self.error = fetch_id, error


@dataclass
class _Run:
    """One run's requests: polite, bounded, conditional, each on its own `fetches` row."""

    config: Config
    source: SourceConfig
    steps: Steps
    clock: Clock
    requests: int = 0
    waiting: int = 0
    failed: list[str] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)
    started: str = ""

    def __post_init__(self) -> None:
        self.started = stamp(self.clock())

    def search(self) -> list[dict[str, Any]]:
        """Every summary of the search, page by page; a page that fails ends the run."""
        parts = urlsplit(self.source.url or "")
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        limit = min(int(query.get("Limit") or PAGE_LIMIT), PAGE_LIMIT)
        summaries: list[dict[str, Any]] = []
        for page in range(MAX_PAGES):
            offset = page * limit
            url = urlunsplit(
                parts._replace(query=urlencode(query | {"Limit": limit, "Offset": offset}))
            )
            fetch_id, data, error = self.request(url, f"search Offset={offset}")
            if data is None:
                raise _Stopped(fetch_id, error or INTERRUPTED)
            found = self.steps.write(
                partial(_page, fetch_id=fetch_id, url=url, data=data, clock=self.clock)
            )
            if isinstance(found, str):  # not a search response: its row says why
                raise _Stopped(fetch_id, found)
            summaries += found
            if len(found) < limit:  # a short (or empty) page is the last
                return summaries
        raise _Stopped(
            fetch_id,
            f"{self.source.url}: the search matched more than {MAX_PAGES * limit} "
            "organisations; narrow it (PrimaryRoleId, NonPrimaryRoleId)",
        )

    def records(self, summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The latest full record of each organisation: fetched when never read or changed
        since (at most `max_items` a run), else the copy last read."""
        base = urlunsplit(urlsplit(self.source.url or "")._replace(query="", fragment=""))
        codes = sorted(str(s.get("OrgId")).strip().upper() for s in summaries)
        stored = self.steps.read(lambda db: _stored_records(db, self.source.name, codes))
        changed = {str(s.get("OrgId")).strip().upper(): s.get("LastChangeDate") for s in summaries}
        records, fetched = [], 0
        for code in codes:
            copy = stored.get(code)
            if copy is None or copy["Organisation"].get("LastChangeDate") != changed[code]:
                if fetched >= self.source.max_items:
                    self.waiting += 1
                else:
                    fetched += 1
                    copy = self._record(f"{base.rstrip('/')}/{code}", code) or copy
            if copy is not None:
                records.append(copy)
        return records

    def _record(self, url: str, code: str) -> dict[str, Any] | None:
        """One organisation's full record, or None (said in the summary) when it failed."""
        fetch_id, data, error = self.request(url, code)
        if data is None:
            if error == INTERRUPTED:
                raise _Stopped(fetch_id, error)
            self.failed.append(f"{code}: {error}")
            return None
        try:
            return _record(data)
        except ValueError as exc:
            self.failed.append(f"{code}: {exc}")
            return None

    def request(self, url: str, item: str) -> tuple[int, bytes | None, str | None]:
        """One request after the pause between requests: its row's id, and the body (the
        archived copy on a 304) or why there is none."""
        from .collect import Download

        if self.requests and self.steps.pause():  # the service is stopping
            got = Download(self.source, stamp(self.clock()), time.monotonic(),
                           failure=FetchCancelled(INTERRUPTED, url=url))  # fmt: skip
        else:
            previous = self.steps.read(lambda db: last_response(db, self.source.name, item))
            usable = previous is not None and previous["url"] == public_url(url, ())
            validators = (
                Validators(previous["etag"], previous["last_modified"]) if usable else Validators()
            )
            got = self.steps.download(url, validators)
        failure = got.failure
        self.requests += got.result.attempts if got.result else (failure.attempts if failure else 0)
        shown = public_url(url, self.config.tracker.redact_params) or url
        return self.steps.write(lambda db: _response(db, self.source.name, item, shown, got,
                                                     self.clock))  # fmt: skip

    def notes(self, summaries: int, records: int) -> list[str]:
        """What the run's summary says about its requests beyond the snapshot's own notes."""
        found = []
        if self.waiting:
            found.append(
                f"read {records} of {summaries} organisations in full; {self.waiting} more "
                f"wait for later runs (at most max_items = {self.source.max_items} a run)"
            )
        if self.failed:
            found.append(
                f"{len(self.failed)} organisation record(s) could not be fetched and keep their "
                f"last copy: {'; '.join(self.failed[:5])}"
            )
        return found


def _response(
    db: Database, source: str, item: str, url: str, got: Download, clock: Clock
) -> tuple[int, bytes | None, str | None]:
    """Record one request (the writer's half): archive its body, or reuse the last copy on a
    304, on a `fetched` row; a failure on a `failed` row (interrupted when cancelled)."""
    result = got.result
    if result is None:
        failure = got.failure
        error = INTERRUPTED if isinstance(failure, FetchCancelled) else str(failure)
        fetch_id = start_response(db, source, None, url, got.started, item)
        finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=error,
                     http_status=failure.status if failure else None)  # fmt: skip
        return fetch_id, None, error
    if result.not_modified or result.body is None:
        previous = last_response(db, source, item)
        assert previous is not None  # validators are sent only with a copy to reuse
        fetch_id = start_response(db, source, None, url, got.started, item)
        finish_fetch(db, fetch_id, result.finished_at, outcome=FETCHED, http_status=result.status,
                     etag=result.etag, last_modified=result.last_modified,
                     sha256=previous["sha256"], records=0, changes=0)  # fmt: skip
        return fetch_id, read_body(archive_of(db), previous["sha256"]), None
    body = Body(result.body, url, result.started_at, result.finished_at, result.status,
                result.etag, result.last_modified)  # fmt: skip
    store_body(archive_of(db), body.data)
    fetch_id = start_response(db, source, body, url, got.started, item)
    finish_fetch(db, fetch_id, stamp(clock()), outcome=FETCHED, records=0, changes=0)
    return fetch_id, body.data, None


def _page(
    db: Database, fetch_id: int, url: str, data: bytes, clock: Clock
) -> list[dict[str, Any]] | str:
    """A search page's summaries, or (its row marked failed) why it is not one."""
    try:
        return summaries_of(data, url)
    except ParseError as exc:
        finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=str(exc))
        return str(exc)


def _stored_records(db: Database, source: str, codes: list[str]) -> dict[str, dict[str, Any]]:
    """Each organisation's full record as last read, where one was."""
    found = {}
    archive = archive_of(db)
    for code in codes:
        previous = last_response(db, source, code)
        if previous is None:
            continue
        try:
            found[code] = _record(read_body(archive, previous["sha256"]))
        except (ValueError, StpTrackerError):
            continue
    return found


def _record(data: bytes) -> dict[str, Any]:
    """An organisation response, or ValueError when the body is not one."""
    document = json.loads(data)
    if not isinstance(document, dict) or not isinstance(document.get("Organisation"), dict):
        raise ValueError("not an ODS organisation record")
    return document


def apply_snapshot(
    db: Database, config: Config, source: SourceConfig, body: Body, clock: Clock, began: float
) -> CollectReport:
    """Archive and apply a run's snapshot on its own `fetches` row (unchanged, unparsed, when
    the same snapshot was applied before as it is: fetches.find_applied)."""
    from .collect import CollectReport, _apply, restated

    fetch_id = start_fetch(db, source.name, body, body.origin, body.started_at)
    if restated(db, config, source, body, fetch_id, clock):
        return CollectReport(source.name, fetch_id, "unchanged", seconds=time.monotonic() - began)
    return _apply(db, config, source, body, fetch_id, clock, began, guard=True)


__all__ = ["Steps", "apply_snapshot", "collect_ods", "steps_on"]
