"""Collect sources concurrently: a few fetcher threads, one writer applying results in turn.

A slow source holds one fetcher until its deadline, never the others, so every other source
keeps its schedule; the database still has exactly one writer, so releases are applied one at
a time, each in its own transaction. `stp-tracker fetch` (`collect_all`) and the scheduled
service (`Collector.submit`) both collect this way.

Stopping (`Collector.close`) cancels fetches under way (they end within a fraction of a second
at their next socket read), records what had not been applied as interrupted, and lets the
writer finish its current release, interrupting SQLite's work if it runs past the budget so
the transaction rolls back. Threads are daemons: a fetch stuck where no flag can reach it (a
DNS lookup, a connect) never holds the process open.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..clock import Clock, utc_now
from ..config import Config, SourceConfig
from ..errors import StpTrackerError
from ..fetch.http import FetchCancelled, Validators, make_client, user_agent
from ..store.apply import open_db
from ..store.fetches import INTERRUPTED
from .collect import CollectReport, Download, download, plan_fetch, record

INTERRUPT_MARGIN = 1.5  # seconds before the budget ends at which a running apply is interrupted

Reported = Callable[[CollectReport], None]
Task = Callable[[Database], Any]


class Collector:
    """Fetches sources on `fetchers` threads and applies what they bring on one writer thread.

    `submit(source)` returns a Future of the source's CollectReport (or None when that source
    is already being collected, or the collector is stopping); `on_report` is called with each
    report, `on_error` with the source's name and each error that kept it from being recorded
    (its Future holds it too; "maintenance" for housekeeping), and `after_write` with the
    writer's database after each collection. A fetcher downloads; every database write is a
    task the writer runs in turn (for a news feed: the document, then each new item, each
    downloaded by the fetcher first). Close with `close()`.
    """

    def __init__(
        self,
        db_path: str | Path,
        config: Config,
        *,
        fetchers: int | None = None,
        clock: Clock = utc_now,
        on_report: Reported | None = None,
        on_error: Callable[[str, BaseException], None] | None = None,
        after_write: Callable[[Database], None] | None = None,
    ) -> None:
        self.db_path, self.config, self.clock = Path(db_path), config, clock
        self.on_report, self.on_error, self.after_write = on_report, on_error, after_write
        self.stopping = threading.Event()  # no new work; downloads not yet written are not applied
        self.cancel = threading.Event()  # fetches under way stop now
        self.client = make_client(user_agent(config.tracker.contact))
        self._jobs: queue.SimpleQueue[tuple[SourceConfig, Future] | None] = queue.SimpleQueue()
        self._tasks: queue.SimpleQueue[tuple[Task, Future] | None] = queue.SimpleQueue()
        self._in_flight: dict[str, Future] = {}
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        count = max(1, fetchers or config.tracker.fetchers)
        self._fetchers = [
            threading.Thread(target=self._fetch_loop, name=f"fetcher-{n}", daemon=True)
            for n in range(count)
        ]
        self._writer = threading.Thread(target=self._write_loop, name="writer", daemon=True)
        for thread in [*self._fetchers, self._writer]:
            thread.start()

    def submit(self, source: SourceConfig) -> Future | None:
        """Queue a collection of `source`; None if it is already under way or we are stopping."""
        with self._lock:
            if self.stopping.is_set() or source.name in self._in_flight:
                return None
            future: Future = Future()
            self._in_flight[source.name] = future
        self._jobs.put((source, future))
        return future

    def busy(self) -> bool:
        """Whether any collection is queued, being fetched or being applied."""
        with self._lock:
            return bool(self._in_flight)

    def _fetch_loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            source, future = job
            try:
                report = self._collect(source)
            except Exception as exc:  # a full disk, a broken database or a bug
                if self.on_error is not None:
                    self.on_error(source.name, exc)
                future.set_exception(exc)
            else:
                if self.on_report is not None:
                    self.on_report(report)
                future.set_result(report)
            finally:
                with self._lock:
                    self._in_flight.pop(source.name, None)
            if self.after_write is not None and not self.stopping.is_set():
                self._tasks.put((self._maintain, Future()))

    def _collect(self, source: SourceConfig) -> CollectReport:
        """One collection: download here, record on the writer (and a feed's new items)."""
        if source.format == "ods":  # many requests a run: each downloaded here, recorded there
            from .feeds import ITEM_PAUSE
            from .ods import Steps, collect_ods

            steps = Steps(
                write=self._written,
                read=lambda task: self._written(task, read_only=True),
                download=lambda url, validators: self._unless(download(
                    source, self.config, url, validators, client=self.client,
                    clock=self.clock, cancel=self.cancel,
                )),
                pause=lambda: self.cancel.wait(ITEM_PAUSE),
            )  # fmt: skip
            return collect_ods(self.config, source, steps, self.clock)
        plan = self._written(lambda db: plan_fetch(db, self.config, source), read_only=True)
        got = download(source, self.config, source.url or "", plan.validators,
                       client=self.client, clock=self.clock, cancel=self.cancel)  # fmt: skip
        report = self._written(lambda db: record(db, self.config, plan, self._unless(got),
                                                 self.clock))  # fmt: skip
        if source.format != "feed" or not report.ok:
            return report
        from ..store.feeds import pending_items
        from .feeds import ITEM_PAUSE, combined, record_item

        items = self._written(lambda db: pending_items(db, source.name, source.max_items))
        reports = []
        for index, item in enumerate(items):
            if index and self.cancel.wait(ITEM_PAUSE):
                break
            fetched = download(source, self.config, item.link,
                               Validators(item.etag, item.last_modified), client=self.client,
                               clock=self.clock, cancel=self.cancel)  # fmt: skip

            def record_it(db: Database, item: Any = item, got: Download = fetched) -> Any:
                return record_item(db, self.config, source, item, self._unless(got), self.clock)

            reports.append(self._written(record_it))
        return combined(report, reports)

    def _unless(self, got: Download) -> Download:
        """`got`, or, once the service is stopping, the same download as interrupted (the
        writer applies nothing new then; the source runs again at the next start)."""
        if self.stopping.is_set() and not isinstance(got.failure, FetchCancelled):
            failure = FetchCancelled(INTERRUPTED, url=got.source.url or "")
            return replace(got, result=None, failure=failure)
        return got

    def _written(self, task: Task, *, read_only: bool = False) -> Any:
        """Run `task(db)` on the writer and wait for its result (a plan only reads, so it
        uses a short read-only connection of this thread's own instead)."""
        if read_only:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
            try:
                return task(Database(conn))
            finally:
                conn.close()
        future: Future = Future()
        self._tasks.put((task, future))
        return future.result()

    def _write_loop(self) -> None:
        db = open_db(self.db_path)
        self._conn = db.conn
        try:
            while (item := self._tasks.get()) is not None:
                task, future = item
                try:
                    future.set_result(task(db))
                except Exception as exc:  # the fetcher that asked reports it
                    future.set_exception(exc)
        finally:
            self._conn = None
            db.close()

    def _maintain(self, db: Database) -> None:
        """After a collection: the writer's housekeeping (pruning failed bodies)."""
        if self.after_write is None or self.stopping.is_set():
            return
        try:
            self.after_write(db)
        except (StpTrackerError, sqlite3.Error, OSError) as exc:
            if self.on_error is not None:
                self.on_error("maintenance", exc)

    def close(self, budget: float = 8.0) -> bool:
        """Stop within `budget` seconds: cancel fetches, record unapplied downloads as
        interrupted, and let the writer finish (or roll back) its current release.

        Returns False when the writer was still busy at the end of the budget (parsing a
        large body, which nothing can interrupt): its thread is a daemon, no transaction of
        it is committed half-way, and the caller may simply exit.
        """
        until = time.monotonic() + budget
        self.stopping.set()
        self.cancel.set()
        for _ in self._fetchers:
            self._jobs.put(None)
        for thread in self._fetchers:  # cancelled fetches end at their next socket read
            thread.join(max(0.0, min(2.0, until - INTERRUPT_MARGIN - time.monotonic())))
        self._tasks.put(None)
        while self._writer.is_alive() and time.monotonic() < until:
            if time.monotonic() >= until - INTERRUPT_MARGIN and self._conn is not None:
                self._conn.interrupt()  # the release's transaction rolls back
            self._writer.join(0.1)
        self.client.close()
        return not self._writer.is_alive()


def collect_all(
    db_path: str | Path,
    config: Config,
    sources: Sequence[SourceConfig],
    *,
    progress: Callable[[SourceConfig], None] | None = None,
) -> list[CollectReport]:
    """Collect `sources` concurrently and return their reports in order (`stp-tracker fetch`).

    The first error that stopped a source from being recorded at all (a full disk, a broken
    database) is raised once every source has finished.
    """
    collector = Collector(db_path, config, fetchers=min(len(sources), config.tracker.fetchers))
    try:
        futures = [(source, collector.submit(source)) for source in sources]
        for source, future in futures:
            assert future is not None  # names are unique, and nothing is stopping yet
            future.exception()  # wait, whatever the outcome
            if progress is not None:
                progress(source)
    finally:
        collector.close()
    return [future.result() for _, future in futures if future is not None]
