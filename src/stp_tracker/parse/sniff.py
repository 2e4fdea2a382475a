"""A cheap look at a body before parsing, to name the usual failure plainly.

Sources that move or expire often serve an HTML error or login page with status 200; parsing
that as CSV yields nonsense rows and as xlsx a zip error. Checking the first bytes lets the
message say what actually arrived.
"""

from __future__ import annotations

from ..config import SourceConfig
from ..errors import ParseError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
EXPECTED = {
    "csv": "a CSV file",
    "xlsx": "an Excel .xlsx workbook",
    "json": "a JSON document",
}


def _start(data: bytes) -> bytes:
    """The body with a byte-order mark and leading whitespace removed."""
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            break
    return data.lstrip()


def looks_like_html(data: bytes) -> bool:
    """Whether the body is an HTML page: it opens with an HTML tag or has <html near the top."""
    head = _start(data)[:1024].lower()
    if head.startswith(b"\x00") or b"\x00" in head[:64]:
        head = head.replace(b"\x00", b"")  # UTF-16 text
    return head.startswith(_HTML_STARTS) or b"<html" in head


def check_content(data: bytes, source: SourceConfig, origin: str) -> None:
    """Raise ParseError when `data` is plainly not the source's format (empty, HTML, not zip)."""
    fmt = source.format
    start = _start(data)
    if not start:
        raise ParseError("the file is empty", file=origin)
    if fmt == "xlsx":
        if start.startswith(ZIP_MAGIC):
            return
        if looks_like_html(data):
            raise ParseError(_html_message(fmt), file=origin)
        hint = (
            " (it is an old binary .xls file; save it as .xlsx)"
            if data.startswith(OLE_MAGIC)
            else ""
        )
        raise ParseError(f"is not an Excel .xlsx workbook{hint}", file=origin)
    if fmt == "json":
        if start[:1] in (b"{", b"["):
            return
        if looks_like_html(data):
            raise ParseError(_html_message(fmt), file=origin)
        shown = start[:20].decode("utf-8", "replace")
        raise ParseError(f"is not JSON (it starts with {shown!r})", file=origin)
    if fmt == "csv" and looks_like_html(data):
        raise ParseError(_html_message(fmt), file=origin)


def _html_message(fmt: str) -> str:
    """The message for an HTML page served in place of `fmt`."""
    return f"HTML was served where {EXPECTED[fmt]} was expected (an error or login page?)"
