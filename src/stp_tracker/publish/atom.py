"""An Atom (RFC 4287) output renderer: any query returning atom_* columns is also a feed.

It follows datasette-atom's column conventions (``atom_id``, ``atom_title``, ``atom_updated``,
optional ``atom_content``, ``atom_link``, ``atom_author_name``) and adds ``atom_feed_title``,
but unlike datasette-atom 0.9 it serves a valid, empty feed when a query has no rows (a new
subscriber to a quiet organisation), turns a relative ``atom_link`` into an absolute address, and
needs nothing beyond the standard library.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

from datasette.utils.asgi import Response

ATOM_NS = "http://www.w3.org/2005/Atom"
REQUIRED = frozenset({"atom_id", "atom_title", "atom_updated"})
CONTENT_TYPE = "application/atom+xml; charset=utf-8"


def can_render(columns: Sequence[str]) -> bool:
    """Offer the .atom link only for results that carry the required columns."""
    return set(columns) >= REQUIRED


def rfc3339(value: Any, clock: Callable[[], dt.datetime] | None = None) -> str:
    """A stored timestamp or date as an RFC 3339 date-time (UTC when no zone is given)."""
    text = str(value or "").strip()
    if not text:
        return (clock or (lambda: dt.datetime.now(dt.UTC)))().strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = dt.datetime.fromisoformat(f"{text[:10]}T00:00:00")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def feed_xml(
    *,
    title: str,
    feed_id: str,
    self_url: str,
    html_url: str,
    author: str,
    entries: Sequence[dict[str, Any]],
    absolute: Callable[[str], str],
) -> bytes:
    """The feed document for `entries` (dicts of atom_* values), newest first as given."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", feed_id)
    updated = max((rfc3339(e["atom_updated"]) for e in entries), default=rfc3339(None))
    _sub(feed, "updated", updated)
    _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=html_url, type="text/html")
    _sub(_sub(feed, "author"), "name", author)
    _sub(feed, "generator", "stp-tracker")
    for row in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "id", str(row["atom_id"]))
        _sub(entry, "title", str(row["atom_title"]))
        _sub(entry, "updated", rfc3339(row["atom_updated"]))
        if row.get("atom_author_name"):
            _sub(_sub(entry, "author"), "name", str(row["atom_author_name"]))
        if row.get("atom_link"):
            _sub(entry, "link", rel="alternate", href=absolute(str(row["atom_link"])))
        if row.get("atom_content"):
            _sub(entry, "content", str(row["atom_content"]), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def render_atom(
    datasette: Any,
    request: Any,
    columns: Sequence[str],
    rows: Sequence[Any],
    database: str,
    query_name: str | None,
) -> Response:
    """Datasette's render callback for the ``.atom`` extension."""
    if not can_render(columns):
        missing = ", ".join(sorted(REQUIRED - set(columns)))
        return Response.text(f"An Atom feed needs the columns {missing}", status=400)
    entries = [dict(zip(columns, row, strict=True)) for row in rows]
    title = None
    if entries and entries[0].get("atom_feed_title"):
        title = str(entries[0]["atom_feed_title"])
    if title is None and query_name:
        queries = datasette.metadata("queries", database=database) or {}
        title = (queries.get(query_name) or {}).get("title")
    site = datasette.metadata("title") or "Datasette"

    root = datasette.absolute_url(request, "/").rstrip("/")  # scheme and host, joined once

    def absolute(link: str) -> str:
        """A link as an absolute address; "/..." is a path within this Datasette (the same
        as absolute_url gives, without joining every entry's link to the request's URL)."""
        if link.startswith("/") and not link.startswith("//"):
            return root + datasette.urls.path(link)
        return datasette.absolute_url(request, link)

    self_url = datasette.absolute_url(request, request.full_path)
    html_path = request.path.rsplit(".atom", 1)[0]
    if request.query_string:
        html_path += "?" + request.query_string
    body = feed_xml(
        title=title or site,
        feed_id=self_url,
        self_url=self_url,
        html_url=datasette.absolute_url(request, html_path),
        author=site,
        entries=entries,
        absolute=absolute,
    )
    return Response(body, content_type=CONTENT_TYPE)
