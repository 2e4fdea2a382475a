"""Feed bookkeeping: which items of a news feed have been seen, read, skipped or failed.

An item is known by its GUID (or link) for good, so a later run fetches only what is new, or an
item the feed says was updated since. Like `fetches`, these rows are committed on their own:
they record what was attempted, not what the history believes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..parse.feed import FeedItem

MAX_ATTEMPTS = 3  # an item that failed this often is given up on (state 'failed')


@dataclass(frozen=True)
class Pending:
    """An item waiting to be fetched, with the validators of its last successful fetch."""

    guid: str
    link: str
    published: str | None
    attempts: int
    etag: str | None
    last_modified: str | None


def remember_items(db: Database, source: str, items: Sequence[FeedItem], now: str) -> int:
    """Record a feed's items: new ones wait to be fetched, and one the feed says was updated
    waits again. Returns how many are new or updated."""
    known = {
        guid: updated
        for guid, updated in db.execute(
            "select guid, updated from feed_items where source = ?", [source]
        )
    }
    fresh = [item for item in items if item.guid not in known]
    updated = [
        item
        for item in items
        if item.guid in known and item.updated and item.updated != known[item.guid]
    ]
    with db.atomic():
        db.conn.executemany(
            "insert into feed_items (source, guid, link, title, published, updated, first_seen) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [(source, i.guid, i.link, i.title, i.published, i.updated, now) for i in fresh],
        )
        db.conn.executemany(
            "update feed_items set link = ?, title = ?, updated = ?, state = 'pending', "
            "attempts = 0 where source = ? and guid = ?",
            [(i.link, i.title, i.updated, source, i.guid) for i in updated],
        )
    return len(fresh) + len(updated)


def pending_items(db: Database, source: str, limit: int) -> list[Pending]:
    """Up to `limit` items still to fetch, oldest first."""
    rows = db.execute(
        "select i.guid, i.link, i.published, i.attempts, f.etag, f.last_modified "
        "from feed_items i left join fetches f on f.id = (select max(g.id) from fetches g "
        "where g.source = i.source and g.item = i.guid and g.outcome in "
        "('changed', 'unchanged', 'not-modified', 'skipped')) "
        "where i.source = ? and i.state = 'pending' "
        "order by coalesce(i.published, ''), i.first_seen, i.guid limit ?",
        [source, limit],
    ).fetchall()
    return [Pending(*row) for row in rows]


def mark_item(db: Database, source: str, guid: str, fetch_id: int, outcome: str) -> None:
    """Record how fetching an item went: read, skipped, or a failure (tried again later,
    up to MAX_ATTEMPTS times). The item's fetch row is marked as the item's."""
    with db.atomic():
        db.execute("update fetches set item = ? where id = ?", [guid, fetch_id])
        if outcome == "failed":
            db.execute(
                "update feed_items set attempts = attempts + 1, fetch_id = ?, state = case "
                f"when attempts + 1 >= {MAX_ATTEMPTS} then 'failed' else 'pending' end "
                "where source = ? and guid = ?",
                [fetch_id, source, guid],
            )
        else:
            state = "skipped" if outcome == "skipped" else "read"
            db.execute(
                "update feed_items set state = ?, fetch_id = ? where source = ? and guid = ?",
                [state, fetch_id, source, guid],
            )
