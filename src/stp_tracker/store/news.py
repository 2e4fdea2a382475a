"""What the store does differently for news: articles add to a day's release, and a
publisher's band counts are kept beside the facts.

An article states a few facts, not a complete list, and several articles of one source may
share a date; a release that `adds` is therefore merged with what the source already stated on
that date (its own newer statements win), instead of replacing it. Band counts go to
`reported_counts`, one row per publisher and day, a later report filling in what an earlier one
left empty.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from sqlite_utils import Database

from ..model import Release, Statement

_COUNT_COLUMNS = ("outstanding", "advanced", "making_progress", "needs_most_improvement")


def stated_on(
    db: Database | sqlite3.Connection, source: str, effective: str
) -> tuple[Statement, ...]:
    """What the source's release of `effective` stated, as stored."""
    from .source import stated_on as stored

    return stored(db if isinstance(db, sqlite3.Connection) else db.conn, source, effective)


def merge_added(
    db: Database | sqlite3.Connection, release: Release, earlier: Release | None, stored: bool
) -> Release:
    """`release` with what was stated on its date before kept: by an `earlier` release of the
    same batch, else (when the date is `stored`) by the database."""
    if earlier is not None:
        before: tuple[Statement, ...] = tuple(earlier.statements)
    elif stored:
        before = stated_on(db, release.source, release.effective)
    else:
        return release
    merged = {(s.org_code, s.attribute): s for s in before}
    merged.update({(s.org_code, s.attribute): s for s in release.statements})
    events = release.events if earlier is None else (*earlier.events, *release.events)
    counts = release.reported_counts
    if earlier is not None:
        counts = (*earlier.reported_counts, *counts)
    return replace(
        release,
        statements=tuple(merged[key] for key in sorted(merged)),
        events=events,
        reported_counts=counts,
        aliases=tuple(sorted({*release.aliases, *(earlier.aliases if earlier else ())})),
        by_org=None,
    )


def store_counts(db: Database, release: Release) -> int:
    """Record the release's band counts; a count already known for the publisher and day is
    kept where the new report gives none. Returns how many rows changed."""
    before = db.conn.total_changes
    keep = ", ".join(f"{c} = coalesce(excluded.{c}, {c})" for c in _COUNT_COLUMNS)
    db.conn.executemany(
        "insert into reported_counts (publisher, reported_on, outstanding, advanced, "
        "making_progress, needs_most_improvement, note, source, fetch_id) values (:publisher, "
        ":reported_on, :outstanding, :advanced, :making_progress, :needs_most_improvement, "
        f":note, :source, :fetch_id) on conflict (publisher, reported_on) do update set {keep}, "
        "note = case when note is null or instr(excluded.note, note) then excluded.note "
        "when excluded.note is null or instr(note, excluded.note) then note "
        "else note || ' | ' || excluded.note end, "
        "source = excluded.source, fetch_id = excluded.fetch_id",
        [dict.fromkeys(_COUNT_COLUMNS) | dict(row) for row in release.reported_counts],
    )
    return db.conn.total_changes - before
