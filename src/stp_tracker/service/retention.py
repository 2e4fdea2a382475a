"""Failed input does not accumulate: bodies only failed fetches received leave the raw archive,
and their unresolved names leave `unmatched`, once older than `keep_failed` or beyond
`keep_failed_mb` (oldest first).

A body any other fetch received (applied, unchanged, quarantined for review, still running)
is never touched: `rebuild` and `fetch --accept` need those. The `fetches` rows stay too, so
the history of attempts is complete; only the failed bytes and names go.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..clock import stamp
from ..config import TrackerConfig, parse_duration
from ..fetch.archive import body_path

if TYPE_CHECKING:
    from sqlite_utils import Database

PRUNE_EVERY_SECONDS = 600.0  # the service prunes at start and then at most this often
MEGABYTE = 1_000_000


@dataclass(frozen=True)
class FailedBody:
    """An archived body that only failed fetches received."""

    sha256: str
    sources: str  # comma-separated, usually one
    last_failed: str  # when the latest fetch that received it finished
    path: Path
    size: int  # bytes on disk (0 once pruned)


def failed_bodies(db: Database, archive: Path) -> list[FailedBody]:
    """Every body that only failed fetches received and that is still on disk, newest first."""
    rows = db.execute(
        "select sha256, group_concat(distinct source), max(coalesce(finished_at, started_at)) "
        "from fetches where sha256 is not null group by sha256 "
        "having sum(outcome is not 'failed') = 0 order by 3 desc"
    ).fetchall()
    found = []
    for sha, sources, last in rows:
        path = body_path(archive, sha)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue
        found.append(FailedBody(sha, sources, last, path, size))
    return found


@dataclass(frozen=True)
class Pruned:
    """What one pruning pass removed."""

    bodies: int
    bytes: int
    unmatched: int


def prune_failed(db: Database, tracker: TrackerConfig, now: dt.datetime) -> Pruned:
    """Remove failed bodies older than keep_failed or beyond keep_failed_mb (oldest first),
    and the unmatched names of failed fetches older than keep_failed."""
    from ..pipeline import archive_of

    age = parse_duration(tracker.keep_failed, tracker.origin, "keep_failed")
    cutoff = stamp(now - dt.timedelta(seconds=age))
    budget = tracker.keep_failed_mb * MEGABYTE
    kept = removed = freed = 0
    for body in failed_bodies(db, archive_of(db)):
        if body.last_failed >= cutoff and kept + body.size <= budget:
            kept += body.size
            continue
        body.path.unlink(missing_ok=True)
        removed, freed = removed + 1, freed + body.size
    with db.atomic():
        names = db.execute(
            "delete from unmatched where fetch_id in (select id from fetches where "
            "outcome = 'failed' and coalesce(finished_at, started_at) < ?)",
            [cutoff],
        ).rowcount
    return Pruned(removed, freed, names)


def throttled(
    prune: Callable[[Database], object], every: float = PRUNE_EVERY_SECONDS
) -> Callable[[Database], None]:
    """`prune(db)` run at most once every `every` seconds (the first call always runs)."""
    last: list[float] = []

    def run(db: Database) -> None:
        if last and time.monotonic() - last[0] < every:
            return
        last[:] = [time.monotonic()]
        prune(db)

    return run


def policy_text(tracker: TrackerConfig) -> str:
    """The pruning policy as `status` states it."""
    return (
        f"kept {tracker.keep_failed}, at most {tracker.keep_failed_mb:,} MB "
        "(keep_failed, keep_failed_mb in tracker.toml)"
    )
