"""A workbook's size checked before any spreadsheet library reads it, so a bomb fails fast.

A zipped workbook (.xlsx, .ods) can unpack a few megabytes into gigabytes of XML, or declare
millions of rows, and the reader (calamine) builds a sheet's whole used range in memory: one
cell far down and to the right costs rows × columns. So the parts the reader will open are
unpacked here first, a megabyte at a time, counting bytes, rows and cells and measuring the used
range, and reading stops at the first limit passed, with an error naming the limit and the
source setting that raises it. Nothing is kept but the counts.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from ..config import SourceConfig
from ..errors import ParseError

CHUNK = 1 << 20
INDEX_CHUNKS = 16  # the sheet index of a workbook is a few kilobytes; 16 MB is not an index
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")


def _megabytes(count: int) -> str:
    return f"{count / (1 << 20):,.0f} MB"


@dataclass
class Budget:
    """What a source allows one workbook to unpack, and what has been unpacked so far."""

    source: SourceConfig
    origin: str
    unpacked: int = 0

    def fail(self, what: str, setting: str, value: int) -> ParseError:
        """The error for a limit passed: what was found, the limit, and how to raise it."""
        return ParseError(
            f"{what} ({setting} = {value}); if the file is genuine, raise {setting} in the "
            "source's configuration",
            file=self.origin,
        )

    def chunks(self, archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
        """A part's bytes a megabyte at a time, counted against max_decompressed_bytes."""
        limit = self.source.max_decompressed_bytes
        try:
            with archive.open(name) as part:
                while chunk := part.read(CHUNK):
                    self.unpacked += len(chunk)
                    if self.unpacked > limit:
                        allowed = _megabytes(limit)
                        raise self.fail(
                            f"unpacks to more than the {allowed} allowed, reading {name}",
                            "max_decompressed_bytes",
                            limit,
                        )
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError) as exc:  # bad CRC, truncated, lying sizes
            raise ParseError(f"is a damaged workbook ({name}: {exc})", file=self.origin) from exc

    def read(self, archive: zipfile.ZipFile, name: str) -> bytes:
        """A small part (the workbook's index) read whole, still counted; at most 16 MB."""
        parts = []
        for chunk in self.chunks(archive, name):
            parts.append(chunk)
            if len(parts) > INDEX_CHUNKS:
                raise ParseError(f"is a damaged workbook ({name} is over 16 MB)", file=self.origin)
        return b"".join(parts)


@dataclass
class SheetSize:
    """A sheet's size as counted in its XML: rows, cells, and the used range they span."""

    rows: int = 0
    cells: int = 0
    last_row: int = 0
    last_column: int = 0

    def check(self, budget: Budget, sheet: str) -> None:
        """Raise when the sheet passes max_rows or max_cells (counted cells or used range)."""
        source = budget.source
        rows = max(self.rows, self.last_row)
        if rows > source.max_rows:
            raise budget.fail(
                f"sheet {sheet!r} has more than the {source.max_rows:,} rows allowed", "max_rows",
                source.max_rows,
            )  # fmt: skip
        area = rows * max(self.last_column, 1)
        if max(self.cells, area) > source.max_cells:
            what = (
                f"{self.cells:,} cells"
                if self.cells >= area
                else f"a used range of {rows:,} rows × {self.last_column:,} columns"
            )
            raise budget.fail(
                f"sheet {sheet!r} has {what}, more than the {source.max_cells:,} cells allowed",
                "max_cells",
                source.max_cells,
            )


class _XlsxPatterns:
    """Byte patterns for one sheet's tags, with the namespace prefix its writer used."""

    def __init__(self, prefix: bytes) -> None:
        p, escaped = prefix, re.escape(prefix)
        self.rows = (b"<" + p + b"row ", b"<" + p + b"row>", b"<" + p + b"row/>")
        self.cells = (b"<" + p + b"c ", b"<" + p + b"c>", b"<" + p + b"c/>")
        cell = b"<" + escaped + rb'c\s[^>]*?\br="'  # a cell's reference, A1, is where it goes
        self.columns = re.compile(cell + rb"([A-Z]+)[0-9]")
        self.row_numbers = re.compile(cell + rb"[A-Z]+([0-9]+)")
        self.unreferenced = re.compile(b"<" + escaped + rb"c(?:/?>|\s(?![^>]*\br=))")
        self.row_end = b"</" + p + b"row>"


def _column_number(letters: bytes) -> int:
    """A column's number from its letters: A is 1, AA is 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _largest(numbers: list[bytes]) -> int:
    """The largest of many numbers as digits, without converting each one."""
    longest = max(map(len, numbers))
    return int(max(n for n in numbers if len(n) == longest))


def _extent(size: SheetSize, patterns: _XlsxPatterns, chunk: bytes, cells: int) -> None:
    """Widen `size`'s used range by the cells of `chunk`, as the reader places them: by a
    cell's reference (A1) when it has one, else next to the cell before it. (Rows without
    cells take no room, so only cells count.)"""
    columns = patterns.columns.findall(chunk)
    if columns:
        size.last_column = max(size.last_column, *map(_column_number, set(columns)))
        size.last_row = max(size.last_row, _largest(patterns.row_numbers.findall(chunk)))
    if len(columns) < cells and patterns.unreferenced.search(chunk):
        widest = max(
            sum(row.count(tag) for tag in patterns.cells) for row in chunk.split(patterns.row_end)
        )
        size.last_column = max(size.last_column, widest)
        size.last_row = max(size.last_row, size.rows)


def _tags(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks re-cut after a '>', so that no tag is split between two of them (a chunk
    with no tag end in its last 64 KB, such as a run of padding, is cut anywhere)."""
    tail = b""
    for chunk in chunks:
        chunk = tail + chunk
        cut = chunk.rfind(b">") + 1
        if len(chunk) - cut > 1 << 16:
            cut = len(chunk) - 256
        tail = chunk[cut:]
        yield chunk[:cut]
    if tail:
        yield tail


def measure_xlsx_sheet(budget: Budget, archive: zipfile.ZipFile, part: str, sheet: str) -> None:
    """Count one worksheet part's rows and cells and measure its used range, stopping early."""
    size, patterns = SheetSize(), None
    for chunk in _tags(budget.chunks(archive, part)):
        if patterns is None:
            found = _PREFIX.search(chunk)
            patterns = _XlsxPatterns((found.group(1) or b"") if found else b"")
        size.rows += sum(chunk.count(tag) for tag in patterns.rows)
        cells = sum(chunk.count(tag) for tag in patterns.cells)
        size.cells += cells
        _extent(size, patterns, chunk, cells)
        size.check(budget, sheet)


_ODS_TOKEN = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
    rb"|</table:table-row>"
)
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return int(found.group(1)) if found else 1


@dataclass
class _OdsTable:
    """One ODS table being measured: its size so far and the row being read."""

    name: str
    size: SheetSize = field(default_factory=SheetSize)
    position: int = 0  # rows passed so far, repeats included
    row_repeat: int = 1
    column: int = 0
    row_width: int = 0  # the columns up to the row's last cell with a value
    row_cells: int = 0

    def end_row(self, budget: Budget) -> None:
        """Close a row. Rows and cells count once per repeat, empty ones (a spreadsheet writes
        a million of them) only when a row with values follows, as the reader sees them."""
        size = self.size
        self.position += self.row_repeat
        if self.row_width:
            size.last_row = self.position
            size.cells += self.row_cells * self.row_repeat
            size.last_column = max(size.last_column, self.row_width)
            size.check(budget, self.name)
        self.row_repeat, self.column, self.row_width, self.row_cells = 1, 0, 0, 0


def measure_ods(budget: Budget, archive: zipfile.ZipFile) -> list[str]:
    """Measure every table of an OpenDocument spreadsheet (the reader loads them all at once);
    return the tables' names in order."""
    names: list[str] = []
    table: _OdsTable | None = None
    for chunk in _tags(budget.chunks(archive, "content.xml")):
        for match in _ODS_TOKEN.finditer(chunk):
            tag, attributes, empty = match.groups()
            if tag == b"table":
                name = _ODS_NAME.search(attributes)
                names.append(name.group(1).decode("utf-8", "replace") if name else "")
                table = _OdsTable(names[-1])
            elif table is None:
                continue
            elif tag is None:  # </table:table-row>
                table.end_row(budget)
            elif tag == b"table-row":
                table.row_repeat = _repeat(_ROWS_REPEATED, attributes)
                if empty:
                    table.end_row(budget)
            else:
                repeat = _repeat(_COLUMNS_REPEATED, attributes)
                table.column += repeat
                if b"office:value-type=" in attributes or not empty:
                    table.row_width, table.row_cells = table.column, table.row_cells + repeat
    return names


def xlsx_sheets(budget: Budget, archive: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """The workbook's sheets in order: (name, part, is a worksheet)."""
    try:
        index = ElementTree.fromstring(budget.read(archive, "xl/workbook.xml"))
        links = ElementTree.fromstring(budget.read(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as exc:
        raise ParseError(
            f"is a damaged workbook (its sheet index: {exc})", file=budget.origin
        ) from exc
    targets = {
        link.get("Id"): (link.get("Target") or "", link.get("Type") or "")
        for link in links.iter(_PKG_REL)
    }
    sheets = []
    for sheet in index.iter(f"{_MAIN}sheet"):
        target, kind = targets.get(sheet.get(_OFFICE_REL), ("", ""))
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        sheets.append((sheet.get("name") or "", part, kind.endswith("/worksheet")))
    return sheets


def check_xlsx(budget: Budget, archive: zipfile.ZipFile, part: str, sheet: str) -> None:
    """Measure what the reader will open of an .xlsx: shared strings, styles and one sheet."""
    names = set(archive.namelist())
    for common in ("xl/sharedStrings.xml", "xl/styles.xml"):
        if common in names:
            for _ in budget.chunks(archive, common):
                pass
    if part not in names:
        raise ParseError(f"is a damaged workbook (sheet {sheet!r} has no part)", file=budget.origin)
    measure_xlsx_sheet(budget, archive, part, sheet)


def open_zip(data: IO[bytes], origin: str) -> zipfile.ZipFile:
    """The workbook's zip archive, or a ParseError saying it is damaged."""
    try:
        return zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(f"is a damaged workbook (not a readable zip: {exc})", file=origin) from exc


__all__ = ["Budget", "SheetSize", "check_xlsx", "measure_ods", "open_zip", "xlsx_sheets"]
