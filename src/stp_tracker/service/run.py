"""The background service: the scheduler collecting sources while Datasette serves the data.

This module only wires stages together: each scheduled job hands its source to the collector
(pool.py), the same one `stp-tracker fetch` uses: a few fetcher threads, one writer; the site
is `stp-tracker serve` in a child process (`start_site`).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..clock import stamp, utc_now
from ..config import Config
from ..errors import StpTrackerError
from ..extract.identify import created_line, fuzzy_line, skipped_line
from ..store.apply import open_db
from ..store.fetches import INTERRUPTED, recover_interrupted
from .collect import CollectReport
from .lock import writer_lock
from .logs import log_event
from .pool import Collector
from .schedule import build_scheduler, last_attempts

SHUTDOWN_SECONDS = 10


def log_report(report: CollectReport) -> None:
    """The one log line per fetch: source, outcome, records, changes, duration, and every
    organisation it created, fuzzy match it accepted and row it skipped, and what a registry
    source added or proposes."""
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
        notes="; ".join(report.notes) or None,
    )


def log_error(source: str, exc: BaseException) -> None:
    """The log line for an error that kept a fetch from being recorded (a full disk, a bug)."""
    message = str(exc) or type(exc).__name__
    log_event("fetch", logging.ERROR, source=source, outcome="error", error=message)


def last_attempt_lookup(db_path: Path) -> Any:
    """A function giving each source's last attempt time, read once at start."""
    db = open_db(db_path)
    attempts = {name: row["last_attempt"] for name, row in last_attempts(db).items()}
    db.close()

    def lookup(name: str) -> dt.datetime | None:
        value = attempts.get(name)
        return dt.datetime.fromisoformat(value) if value else None

    return lookup


def run_service(db_path: Path, config: Config, *, host: str, port: int, serve: bool = True) -> bool:
    """Run until SIGTERM/SIGINT: schedule every enabled source and serve Datasette.

    Holds the writer lock for the whole run, so a second `run` or a `fetch` refuses clearly.
    Sources are fetched concurrently and applied by one writer (pool.py). On a signal, no new
    collection starts, fetches under way are cancelled, the current release commits or rolls
    back, and the process exits within SHUTDOWN_SECONDS. Returns False when the writer was
    still busy (mid-parse) at the end of the budget, so the caller should exit at once.
    """
    with writer_lock(db_path, purpose="stp-tracker run"):
        db = open_db(db_path)
        for source in recover_interrupted(db, stamp(utc_now())):
            log_event("recovered", logging.WARNING, source=source, error=INTERRUPTED)
        db.close()
        collector = Collector(
            db_path, config, on_report=log_report, on_error=log_error, after_write=retention(config)
        )
        scheduler = build_scheduler(
            config, collector.submit, last_attempt_lookup(db_path), utc_now()
        )
        stop = threading.Event()
        stopped_at: list[float] = []

        def request_stop(signum: int, _frame: Any) -> None:
            if not stopped_at:
                stopped_at.append(time.monotonic())
            log_event("stopping", signal=signal.Signals(signum).name)
            collector.stopping.set()
            collector.cancel.set()
            stop.set()

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
        site = start_site(db_path, config, host, port) if serve else None
        try:
            _serve_until(stop, site, host, port)
        finally:
            began = stopped_at[0] if stopped_at else time.monotonic()
            scheduler.shutdown(wait=False)
            budget = began + SHUTDOWN_SECONDS - 2.0 - time.monotonic()
            finished = collector.close(budget=max(1.0, budget))
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            log_event("stopped", writer=None if finished else "abandoned mid-parse")
    return finished


def start_site(db_path: Path, config: Config, host: str, port: int) -> subprocess.Popen:
    """`stp-tracker serve` of the database in a process of its own: Datasette's threads and the
    writer then never wait on each other's interpreter lock (a query's time limit is checked in
    Python every thousand steps, so in one process an apply could stretch a read past it)."""
    command = [sys.executable, "-m", "stp_tracker", "serve", "--db", str(db_path),
               "--config", str(config.folder), "--host", host, "--port", str(port)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def _serve_until(
    stop: threading.Event, site: subprocess.Popen | None, host: str, port: int
) -> None:
    """Wait for `stop`, checking that the site (if any) still serves; then stop the site,
    giving it half the shutdown budget to finish its requests."""
    try:
        while not stop.wait(0.2):
            if site is not None and site.poll() is not None:
                raise StpTrackerError(f"Datasette could not serve on {host}:{port}")
    finally:
        if site is not None and site.poll() is None:
            site.terminate()
            try:
                site.wait(SHUTDOWN_SECONDS / 2)
            except subprocess.TimeoutExpired:
                site.kill()
                site.wait()


def retention(config: Config) -> Any:
    """After writes (at most every few minutes), prune failed bodies past their age and size."""
    from .retention import prune_failed, throttled

    return throttled(lambda db: prune_failed(db, config.tracker, utc_now()))
