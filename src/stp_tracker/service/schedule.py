"""When each source runs: triggers from `every` / `cron`, what is overdue, and the scheduler.

Times are passed in (`now`), never read here, so the rules are testable without waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlite_utils import Database

from ..config import Config, SourceConfig, parse_duration
from ..errors import ConfigError
from ..store.fetches import INTERRUPTED, consecutive_failures

JITTER_SECONDS = 30


def trigger_for(source: SourceConfig, default_every: str, start: dt.datetime) -> BaseTrigger:
    """The APScheduler trigger for a source: its cron, its interval, or the default interval."""
    if source.cron:
        try:
            return CronTrigger.from_crontab(source.cron, timezone=dt.UTC)
        except ValueError as exc:
            raise ConfigError(f"{source.origin}: cron = {source.cron!r}: {exc}") from None
    seconds = source.every_seconds or parse_duration(default_every, "tracker.toml", "default_every")
    jitter = min(JITTER_SECONDS, seconds // 10) or None
    return IntervalTrigger(seconds=seconds, start_date=start, timezone=dt.UTC, jitter=jitter)


def next_run(
    source: SourceConfig, default_every: str, last_attempt: dt.datetime | None, now: dt.datetime
) -> dt.datetime:
    """When the source is next due: `now` if it never ran or is overdue."""
    if last_attempt is None:
        return now
    if source.cron:
        trigger = trigger_for(source, default_every, now)
        due = trigger.get_next_fire_time(None, last_attempt)
    else:
        seconds = source.every_seconds or parse_duration(default_every, "tracker.toml", "every")
        due = last_attempt + dt.timedelta(seconds=seconds)
    return max(due, now) if due is not None else now


def last_attempts(db: Database) -> dict[str, dict[str, Any]]:
    """Per source: its last attempt and its last success."""
    found: dict[str, dict[str, Any]] = {}
    for row in db.query(
        "select source, max(case when error is not ? then started_at end) as last_attempt, "
        "max(case when outcome in ('changed', 'unchanged', 'not-modified') then started_at end) "
        "as last_success from fetches group by source",
        [INTERRUPTED],
    ):
        found[row["source"]] = row
    return found


def source_status(db: Database, config: Config, now: dt.datetime) -> list[dict[str, Any]]:
    """One row per configured source: schedule, last attempt and success, failures, next run,
    and the failed bodies kept for inspection (until retention.py prunes them)."""
    from ..pipeline import archive_of
    from .retention import failed_bodies

    kept: dict[str, list[int]] = {}
    for body in failed_bodies(db, archive_of(db)):
        for name in body.sources.split(","):
            count = kept.setdefault(name, [0, 0])
            count[0], count[1] = count[0] + 1, count[1] + body.size
    attempts = last_attempts(db)
    rows = []
    for source in config.sources.values():
        seen = attempts.get(source.name, {})
        last = next(
            db.query(
                "select outcome, error, started_at from fetches where source = ? "
                "order by id desc limit 1",
                [source.name],
            ),
            {},
        )
        failures = consecutive_failures(db, source.name)
        last_attempt = seen.get("last_attempt")
        scheduled = source.enabled and bool(source.url)
        upcoming = (
            next_run(
                source,
                config.tracker.default_every,
                dt.datetime.fromisoformat(last_attempt) if last_attempt else None,
                now,
            ).isoformat(timespec="seconds")
            if scheduled
            else None
        )
        rows.append(
            {
                "source": source.name,
                "enabled": scheduled,
                "schedule": (
                    f"cron {source.cron}"
                    if source.cron
                    else f"every {source.every or config.tracker.default_every}"
                )
                if scheduled
                else "manual",
                "last_attempt": last_attempt,
                "last_outcome": last.get("outcome"),
                "last_success": seen.get("last_success"),
                "consecutive_failures": failures,
                "failing": failures > source.max_failures,
                "next_run": upcoming,
                "failed_bodies": kept.get(source.name, [0, 0])[0],
                "failed_bodies_bytes": kept.get(source.name, [0, 0])[1],
                "last_error": last.get("error") if last.get("outcome") != "changed" else None,
            }
        )
    return rows


def build_scheduler(
    config: Config,
    job: Callable[[SourceConfig], object],
    last_attempt: Callable[[str], dt.datetime | None],
    now: dt.datetime,
) -> BackgroundScheduler:
    """A scheduler with one job per enabled source; overdue sources are due at once, once.

    Jobs never overlap (max_instances=1) and missed runs coalesce into one.
    """
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    for source in config.sources.values():
        if not (source.enabled and source.url):
            continue
        first = next_run(source, config.tracker.default_every, last_attempt(source.name), now)
        trigger = trigger_for(source, config.tracker.default_every, first)
        scheduler.add_job(
            job,
            trigger,
            args=[source],
            id=source.name,
            name=source.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=first,
        )
    return scheduler
