"""The background service: the scheduler collecting sources while Datasette serves the data.

This module only wires stages together: each scheduled job calls `collect_source`, the same
function as `stp-tracker fetch`, on its own connection, one job at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from pathlib import Path
from typing import Any

from ..clock import stamp, utc_now
from ..config import Config, SourceConfig
from ..errors import StpTrackerError
from ..extract.identify import created_line, fuzzy_line, skipped_line
from ..fetch.http import FetchFailed, make_client, user_agent
from ..store.apply import open_db
from ..store.fetches import INTERRUPTED, recover_interrupted
from .collect import CollectReport, collect_source
from .lock import writer_lock
from .logs import log_event
from .schedule import build_scheduler, last_attempts

SHUTDOWN_SECONDS = 10


def log_report(report: CollectReport) -> None:
    """The one log line per fetch: source, outcome, records, changes, duration, and every
    organisation it created, fuzzy match it accepted and row it skipped."""
    level = logging.INFO if report.ok else logging.WARNING
    log_event(
        "fetch",
        level,
        source=report.source,
        outcome=report.outcome,
        records=report.records,
        changes=report.changes,
        seconds=round(report.seconds, 3),
        fetch_id=report.fetch_id,
        error=report.error,
        created=created_line(report.created),
        fuzzy=fuzzy_line(list(report.fuzzy)),
        skipped=skipped_line(list(report.skipped)),
        boundaries="; ".join(report.notes) or None,
    )


class Collector:
    """Runs collections for the scheduler: one at a time, each on its own connection."""

    def __init__(self, db_path: Path, config: Config) -> None:
        self.db_path, self.config = db_path, config
        self.stopping = threading.Event()
        self.busy = threading.Lock()
        self.client = make_client(user_agent(config.tracker.contact))

    def __call__(self, source: SourceConfig) -> CollectReport | None:
        """Collect `source` now, unless the service is stopping."""
        if self.stopping.is_set():
            return None
        with self.busy:
            if self.stopping.is_set():
                return None
            db = open_db(self.db_path)

            def interruptible_sleep(seconds: float) -> None:
                if self.stopping.wait(seconds):
                    raise FetchFailed("the service is stopping", url=source.url or "")

            try:
                report = collect_source(
                    db, self.config, source, client=self.client, sleep=interruptible_sleep
                )
            except StpTrackerError as exc:
                log_event(
                    "fetch", logging.ERROR, source=source.name, outcome="error", error=str(exc)
                )
                return None
            finally:
                db.close()
            log_report(report)
            return report

    def close(self) -> None:
        """Stop accepting work; wait for the current collection to finish."""
        self.stopping.set()
        with self.busy:
            self.client.close()


def last_attempt_lookup(db_path: Path) -> Any:
    """A function giving each source's last attempt time, read once at start."""
    db = open_db(db_path)
    attempts = {name: row["last_attempt"] for name, row in last_attempts(db).items()}
    db.close()

    def lookup(name: str) -> dt.datetime | None:
        value = attempts.get(name)
        return dt.datetime.fromisoformat(value) if value else None

    return lookup


def run_service(db_path: Path, config: Config, *, host: str, port: int, serve: bool = True) -> None:
    """Run until SIGTERM/SIGINT: schedule every enabled source and serve Datasette.

    Holds the writer lock for the whole run, so a second `run` or a `fetch` refuses clearly.
    On a signal, no new collection starts, the current one finishes (its transaction commits
    or rolls back), and the process exits within SHUTDOWN_SECONDS.
    """
    with writer_lock(db_path, purpose="stp-tracker run"):
        db = open_db(db_path)
        for source in recover_interrupted(db, stamp(utc_now())):
            log_event("recovered", logging.WARNING, source=source, error=INTERRUPTED)
        db.close()
        collector = Collector(db_path, config)
        scheduler = build_scheduler(config, collector, last_attempt_lookup(db_path), utc_now())
        stop = threading.Event()
        server = None
        if serve:
            from ..publish import build_datasette, make_server

            server = make_server(build_datasette(db_path, config.folder), host, port)

        def request_stop(signum: int, _frame: Any) -> None:
            log_event("stopping", signal=signal.Signals(signum).name)
            collector.stopping.set()
            stop.set()
            if server is not None:
                server.should_exit = True

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        scheduler.start()
        jobs = [job.name for job in scheduler.get_jobs()]
        log_event(
            "started",
            sources=",".join(jobs) or "none",
            host=host if serve else None,
            port=port if serve else None,
        )
        try:
            if server is not None:
                thread = threading.Thread(target=server.run, name="datasette", daemon=True)
                thread.start()
                while not stop.wait(0.2):
                    if not thread.is_alive():
                        raise StpTrackerError(f"Datasette could not serve on {host}:{port}")
                thread.join(SHUTDOWN_SECONDS / 2)
            else:
                stop.wait()
        finally:
            deadline = time.monotonic() + SHUTDOWN_SECONDS / 2
            scheduler.shutdown(wait=False)
            finished = collector.busy.acquire(timeout=max(0.1, deadline - time.monotonic()))
            if finished:
                collector.busy.release()
                collector.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            log_event("stopped")
