"""A cheap look at a body before parsing, to name the usual failure plainly.

Sources that move or expire often serve an HTML error or login page with status 200; parsing
that as CSV yields nonsense rows and as xlsx a zip error. Checking the first bytes lets the
message say what actually arrived.
"""

from __future__ import annotations

import io
import zipfile

from ..config import SPREADSHEETS, SourceConfig
from ..errors import ParseError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
EXPECTED = {
    "csv": "a CSV file",
    "xlsx": "a spreadsheet (.xlsx, .xls or .ods)",
    "xls": "a spreadsheet (.xlsx, .xls or .ods)",
    "spreadsheet": "a spreadsheet (.xlsx, .xls or .ods)",
    "json": "a JSON document",
    "geojson": "a GeoJSON document",
}
# Other zipped office files, by a part only they have, named in the error.
_NOT_WORKBOOKS = {
    "xl/workbook.bin": "an Excel binary .xlsb workbook (save it as .xlsx)",
    "word/document.xml": "a Word document",
    "ppt/presentation.xml": "a PowerPoint presentation",
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
    if fmt in SPREADSHEETS:
        if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
            return
        if looks_like_html(data):
            raise ParseError(_html_message(fmt), file=origin)
        shown = start[:20].decode("utf-8", "replace")
        raise ParseError(
            f"is not a spreadsheet (.xlsx, .xls or .ods): it starts with {shown!r}", file=origin
        )
    if fmt in ("json", "geojson"):
        if start[:1] in (b"{", b"["):
            return
        if looks_like_html(data):
            raise ParseError(_html_message(fmt), file=origin)
        shown = start[:20].decode("utf-8", "replace")
        raise ParseError(f"is not JSON (it starts with {shown!r})", file=origin)
    if fmt == "csv" and looks_like_html(data):
        raise ParseError(_html_message(fmt), file=origin)


def workbook_kind(data: bytes, origin: str) -> str:
    """Which reader a workbook needs: "xlsx" (also .xlsm), "ods" or "xls", from its bytes."""
    if data.startswith(OLE_MAGIC):
        return "xls"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype")[:100].strip() == ODS_MIMETYPE:
                return "ods"
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(f"is a damaged workbook (not a readable zip: {exc})", file=origin) from exc
    other = next((what for part, what in _NOT_WORKBOOKS.items() if part in names), None)
    listed = ", ".join(sorted(names)[:5]) or "nothing"
    raise ParseError(
        f"is {other}, not a workbook" if other else f"is a zip archive, not a workbook ({listed})",
        file=origin,
    )


def _html_message(fmt: str) -> str:
    """The message for an HTML page served in place of `fmt`."""
    return f"HTML was served where {EXPECTED[fmt]} was expected (an error or login page?)"
