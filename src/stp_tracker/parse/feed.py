"""Read an RSS or Atom feed into its items: each one's identity, link, title and date.

feedparser reads every RSS and Atom dialect; an item is known by its GUID (or, without one, its
link), so a later run can tell which items it has already read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial

from ..errors import ParseError
from .sniff import looks_like_html


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: `guid` names it across runs; `updated` changes when it is edited."""

    guid: str
    link: str
    title: str
    published: str | None  # ISO date
    updated: str | None  # ISO date and time, when the feed gives one


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title and its items in the feed's order."""

    title: str | None
    items: tuple[FeedItem, ...]


def read_feed(data: bytes, origin: str) -> Feed:
    """The items of the RSS or Atom document in `data`, or ParseError naming what arrived."""
    import feedparser

    if not data.strip():
        raise ParseError("the feed is empty", file=origin)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        if looks_like_html(data):
            raise ParseError(
                "HTML was served where an RSS or Atom feed was expected (an error or login page?)",
                file=origin,
            )
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise ParseError(f"is not an RSS or Atom feed{detail}", file=origin)
    items = []
    for entry in parsed.entries:
        stated = partial(dict.get, entry)  # as stated: feedparser's fallbacks are deprecated
        link = (entry.get("link") or "").strip()
        guid = (entry.get("id") or link).strip()
        if not guid or not link:
            continue  # an item that links nowhere has no article to read
        items.append(
            FeedItem(
                guid=guid,
                link=link,
                title=" ".join((entry.get("title") or "").split()),
                published=_date(stated("published_parsed") or stated("updated_parsed")),
                updated=_moment(stated("updated_parsed")),
            )
        )
    return Feed(title=parsed.feed.get("title") or None, items=tuple(items))


def _date(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _moment(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None
