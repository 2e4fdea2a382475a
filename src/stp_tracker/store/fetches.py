"""Fetch bookkeeping: one `fetches` row per attempt, started and finished on its own commit,
and what the rows say about a source's health."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..extract.records import Unmatched
    from ..fetch.body import Body

SUCCESS = ("changed", "unchanged", "not-modified")


INTERRUPTED = "interrupted: the process stopped before this fetch finished"


def start_fetch(
    db: Database,
    source: str,
    body: Body | None,
    url: str,
    started_at: str,
    as_of: str | None = None,
) -> int:
    """Record an attempt in `fetches` straight away, outside any release transaction."""
    with db.atomic():
        return int(
            db.table("fetches").insert(fetch_row(source, body, url, started_at, as_of)).last_pk
        )


def fetch_row(
    source: str, body: Body | None, url: str, started_at: str, as_of: str | None
) -> dict[str, Any]:
    """The `fetches` row of an attempt as it starts: what was asked for and what came back."""
    row: dict[str, Any] = {
        "source": source,
        "started_at": started_at,
        "url": url,
        "outcome": "running",
        "as_of": as_of,
    }
    if body is not None:
        row |= {
            "http_status": body.http_status,
            "etag": body.etag,
            "last_modified": body.last_modified,
            "sha256": body.sha256,
            "bytes": len(body.data),
        }
    return row


def finish_fetch(db: Database, fetch_id: int, now: str, **values: object) -> None:
    """Complete an attempt's `fetches` row with its outcome, counts and error."""
    with db.atomic():
        db.table("fetches").update(fetch_id, {"finished_at": now, **values})


def record_unmatched(
    db: Database, source: str, fetch_id: int, unmatched: Sequence[Unmatched], now: str
) -> None:
    """Keep unresolved names for review, committed even though the run fails."""
    with db.atomic():
        db.table("unmatched").insert_all(
            {
                "source": source,
                "fetch_id": fetch_id,
                "file": u.file,
                "row": u.row,
                "field": u.field,
                "name": u.name,
                "normalised": u.name.casefold(),
                "candidates": json.dumps([c.__dict__ for c in u.candidates]),
                "seen_at": now,
                "context": getattr(u, "context", None),  # an article's sentence
            }
            for u in unmatched
        )


def last_success(db: Database, source: str) -> dict | None:
    """The latest fetch of `source` that worked, for its validators and content hash."""
    rows = db.query(
        "select * from fetches where source = ? and outcome in ('changed', 'unchanged', "
        "'not-modified') and item is null order by id desc limit 1",
        [source],
    )
    return next(rows, None)


def recover_interrupted(db: Database, now: str) -> list[str]:
    """Mark fetches left 'running' by a process that died as failed; return their sources.

    Only the holder of the writer lock may call this, so no such fetch is still under way.
    """
    rows = db.execute("select id, source from fetches where outcome = 'running'").fetchall()
    with db.atomic():
        for fetch_id, _ in rows:
            db.table("fetches").update(
                fetch_id, {"outcome": "failed", "error": INTERRUPTED, "finished_at": now}
            )
    return sorted({source for _, source in rows})


def consecutive_failures(db: Database, source: str) -> int:
    """How many of the source's latest fetches in a row got nothing applied.

    Failed and quarantined fetches count (either way the history is going stale and a person
    must look); a fetch still running neither counts nor breaks the run.
    """
    count = 0
    for (outcome,) in db.execute(
        "select outcome from fetches where source = ? order by id desc", [source]
    ):
        if outcome in SUCCESS:
            break
        if outcome in ("failed", "quarantined"):
            count += 1
    return count
