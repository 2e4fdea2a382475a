"""The responses a source that makes several requests a run received, one `fetches` row each.

A news feed's items and an ODS source's search pages and organisation records are fetched as
separate requests; each gets its own `fetches` row naming what it was for (`item`), so the
next run can ask conditionally (its validators) and reuse the bytes it already archived when
the server answers 304 Not Modified.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..fetch.body import Body


FETCHED = "fetched"  # the outcome of one request whose body arrived (or, on 304, was reused)


def last_response(db: Database, source: str, item: str) -> dict[str, Any] | None:
    """The latest request for `item` by `source` whose body was received and archived."""
    return next(
        db.query(
            "select * from fetches where source = ? and item = ? and sha256 is not null and "
            "outcome = ? order by id desc limit 1",
            [source, item, FETCHED],
        ),
        None,
    )


def start_response(
    db: Database, source: str, body: Body | None, url: str, started_at: str, item: str
) -> int:
    """Record one request of a source's run, saying what it was for, on its own commit."""
    from .fetches import fetch_row

    with db.atomic():
        row = fetch_row(source, body, url, started_at, None) | {"item": item}
        return int(db.table("fetches").insert(row).last_pk)


__all__ = ["FETCHED", "last_response", "start_response"]
