"""Fetch bookkeeping: one `fetches` row per attempt, started and finished on its own commit,
and what the rows say about a source's health.

Everything written here is published, so URLs lose credentials and local folders, error text is
clipped to one line, and a failed file's unresolved names are kept once each, up to a cap.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..redact import public_name, public_text, public_url

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..extract.records import Unmatched
    from ..fetch.body import Body

SUCCESS = ("changed", "unchanged", "not-modified")


INTERRUPTED = "interrupted: the process stopped before this fetch finished"
MAX_UNMATCHED = 1000  # distinct unresolved names kept per fetch


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
        "url": public_url(url, ()),  # callers hide secret parameters; folders always go
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
    """Complete an attempt's `fetches` row with its outcome, counts and error (clipped)."""
    if values.get("error") is not None:
        values["error"] = public_text(str(values["error"]), secret_params=())
    with db.atomic():
        db.table("fetches").update(fetch_id, {"finished_at": now, **values})


def record_unmatched(
    db: Database, source: str, fetch_id: int, unmatched: Sequence[Unmatched], now: str
) -> None:
    """Keep unresolved names for review, committed even though the run fails.

    Each distinct name (per field) is kept once, at its first row, with how often it occurred;
    at most MAX_UNMATCHED of them, then one row saying how many more were cut, so a large bad
    file cannot fill the database.
    """
    counts: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], Unmatched] = {}
    for item in unmatched:
        key = (item.field, item.name)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, item)
    kept = list(first)[:MAX_UNMATCHED]
    rows = [
        {
            "source": source,
            "fetch_id": fetch_id,
            "file": public_url(first[key].file, ()),
            "row": first[key].row,
            "field": first[key].field,
            "name": public_name(first[key].name),
            "normalised": public_name(first[key].name).casefold(),
            "candidates": json.dumps([c.__dict__ for c in first[key].candidates]),
            "seen_at": now,
            "occurrences": counts[key],
            # an article's sentence, clipped like any text from a source
            "context": public_text(getattr(first[key], "context", None), 300, ()),
        }
        for key in kept
    ]
    cut = list(first)[MAX_UNMATCHED:]
    if cut:
        rows.append(
            {
                "source": source,
                "fetch_id": fetch_id,
                "file": public_url(unmatched[0].file, ()),
                "name": f"[{len(cut):,} more distinct names not kept: at most "
                f"{MAX_UNMATCHED:,} per fetch]",
                "candidates": "[]",
                "seen_at": now,
                "occurrences": sum(counts[key] for key in cut),
            }
        )
    with db.atomic():
        db.table("unmatched").insert_all(rows)


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
    must look); a fetch still running, or interrupted by a stop of the service, neither counts
    nor breaks the run.
    """
    count = 0
    for outcome, error in db.execute(
        "select outcome, error from fetches where source = ? order by id desc", [source]
    ):
        if outcome in SUCCESS:
            break
        if outcome in ("failed", "quarantined") and error != INTERRUPTED:
            count += 1
    return count
