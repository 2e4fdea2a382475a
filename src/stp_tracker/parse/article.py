"""Read one news article: its main text, title, date and publisher, from HTML or plain text.

An HTML page's main text is taken by trafilatura (navigation, adverts and comments dropped; no
site-specific rules), with the publication date and site name from the page's own metadata
only, never guessed from its text. A plain-text body is the article's text as it is, with any
HTML entities it kept ("&amp;") read as the characters they stand for.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..errors import ParseError
from .sniff import looks_like_html


@dataclass(frozen=True)
class Article:
    """An article's main text and what its page says about itself (None where it says nothing)."""

    text: str
    title: str | None = None
    date: str | None = None  # ISO date of publication, from the page's metadata
    publisher: str | None = None  # the site's name, from the page's metadata


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-16 with a byte-order mark, else UTF-8, else Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_article(data: bytes, origin: str) -> Article:
    """The article in `data` (an HTML page or plain text), or ParseError when it has no text."""
    if not data.strip():
        raise ParseError("the file is empty", file=origin)
    if looks_like_html(data):
        return _from_html(data, origin)
    # A copy taken from a page's source keeps its entities ("South Yorkshire &amp; Bassetlaw").
    text = html.unescape(decode_text(data)).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("the file has no text", file=origin)
    return Article(text=text)


def _from_html(data: bytes, origin: str) -> Article:
    """The main text and metadata of an HTML page."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura wraps lxml, which raises many kinds of error
        raise ParseError(f"cannot read the HTML page ({exc})", file=origin) from exc
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise ParseError("no article text found in the HTML page", file=origin)
    return Article(
        text=text,
        title=getattr(document, "title", None) or None,
        date=_iso_date(getattr(document, "date", None)),
        publisher=getattr(document, "sitename", None) or None,
    )


def _iso_date(text: str | None) -> str | None:
    """The YYYY-MM-DD part of a metadata date, if it is one."""
    if text and len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return text[:10]
    return None
