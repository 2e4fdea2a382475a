"""The grid-to-table rules every tabular format shares (CSV, spreadsheets, HTML tables).

A *grid* is the file's rows as lists of cleaned text, each with the row number a person sees.
`table_from_grid` finds the header in it (configured, guessed from the mapped column names, or
none at all with ``header_row = 0``), skips preamble, blank, totals and footnote rows, and
checks no row runs past the header. It reads the grid once, front to back, holding only the
first rows (where the header is) and any trailing one-cell rows that may yet prove footnotes,
so a spreadsheet's rows can stream through it (`streamed_table`) without a copy of the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from itertools import repeat as repeat_
from operator import itemgetter

from ..config import SourceConfig
from ..errors import ParseError
from .base import LazyRows, RecordRows, Records, Row, SplitLines, Table, clean_cell

Grid = list[tuple[int, list[str]]]
GridRows = Iterable[tuple[int, list[str]]]
HEADER_SCAN_ROWS = 100  # the header is looked for among the first 100 rows that are not blank
_TOTALS = re.compile(r"^(?:(?:grand\s+)?totals?\b|notes?\b|source\s*:)", re.IGNORECASE)
# The same after any newline, searched in the first cells (or lines) each after a newline: it
# finds every first cell _TOTALS matches (and perhaps more, which only sends a file the slower
# way). Led by its newline, the search skips from line to line in C.
_TOTALS_LINES = re.compile("\n" + _TOTALS.pattern.removeprefix("^"), re.IGNORECASE)


def cell_text(value: object) -> str:
    """A cell value as text: whole floats without ".0", dates as ISO ``YYYY-MM-DD``, None as ""."""
    if value.__class__ is str:  # most cells: skip the clean-up when there is nothing to clean
        text: str = value  # type: ignore[assignment]
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
        return clean_cell(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_cell(value)


def trimmed(cells: Sequence[str]) -> list[str]:
    """The cells without trailing empty ones, so ragged rows compare by their real width."""
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def combine_header(top: Sequence[str], lower: Sequence[str]) -> list[str]:
    """Column names from a group row over a header row: "Rating" over "Overall" is "Rating Overall".

    The lower name stands alone when the top cell is empty or repeats it (a cell merged down).
    """
    width = max(len(top), len(lower))
    top, lower = [*top, *[""] * width][:width], [*lower, *[""] * width][:width]
    return [
        b if not a or a == b else a if not b else f"{a} {b}"
        for a, b in zip(top, lower, strict=True)
    ]


def _column_names(cells: Sequence[str]) -> tuple[str, ...]:
    """Unique header names: a blank one becomes "column N", a repeat gets " (2)", " (3)"..."""
    names: list[str] = []
    for index, cell in enumerate(trimmed(cells), start=1):
        name = cell or f"column {index}"
        base, count = name, 1
        while name in names:
            count += 1
            name = f"{base} ({count})"
        names.append(name)
    return tuple(names)


def position_names(width: int) -> tuple[str, ...]:
    """The names of a headerless file's columns: "1", "2", ... as `[source.columns]` gives them."""
    return tuple(str(index) for index in range(1, width + 1))


def _head(rows: Iterator[tuple[int, list[str]]], source: SourceConfig) -> Grid:
    """The first rows, where the header is: up to the configured header row, else the first
    HEADER_SCAN_ROWS rows that are not blank (and the blank ones among them)."""
    head: Grid = []
    filled = 0
    for number, cells in rows:
        head.append((number, cells))
        if source.header_row:
            if number >= source.header_row:
                break
            continue
        filled += any(cells)
        if filled >= HEADER_SCAN_ROWS:
            break
    return head


def _header_index(
    grid: Grid, source: SourceConfig, origin: str, group_rows: frozenset[int], header_at: int | None
) -> int:
    """Where the header is: `header_row` if set, else the row naming most mapped columns."""
    if source.header_row is not None:
        for index, (number, cells) in enumerate(grid):
            if number == source.header_row:
                if not any(cells):
                    raise ParseError("header_row is blank", file=origin, row=number)
                return index
        raise ParseError(f"header_row {source.header_row} is past the end of the file", file=origin)
    if header_at is not None:
        return header_at
    wanted = {clean_cell(name).casefold() for name in source.columns}
    best, best_score = None, 0
    for index in range(len(grid)):
        names = _header_cells(grid, index, group_rows)
        score = len(wanted & {name.casefold() for name in names if name})
        if score > best_score:
            best, best_score = index, score
    if best is not None:
        return best
    candidates = [i for i, (_, cells) in enumerate(grid) if any(cells) and i not in group_rows]
    for index in candidates:  # a title line has one cell; prefer the first row with more
        if sum(1 for cell in grid[index][1] if cell) > 1:
            return index
    if candidates:
        return candidates[0]
    raise ParseError("the file is empty (no header row)", file=origin)


def _header_cells(grid: Grid, index: int, group_rows: frozenset[int]) -> list[str]:
    """The header names at `index`, joined with the group row above when there is one."""
    if index - 1 in group_rows:
        return combine_header(grid[index - 1][1], grid[index][1])
    return grid[index][1]


def _footnote(cells: list[str]) -> bool:
    """Whether a row under the data is a footnote: one cell of prose, not a bare code like QE1."""
    if cells.count("") < len(cells) - 1:
        return False  # several cells: the usual data row, told without a loop
    filled = [cell for cell in cells if cell]
    if len(filled) != 1:
        return False
    text = filled[0]
    return len(text) > 12 or any(ch.isspace() for ch in text) or not text[0].isalnum()


@dataclass(frozen=True)
class _Header:
    """What the data rows are read against: the column names, and where the header was."""

    columns: tuple[str, ...]
    number: int | None  # the header's row number; None for a headerless file
    cells: list[str]  # the header's own cells, to skip a repeat of it

    def too_wide(self, cells: Sequence[str], number: int, origin: str) -> ParseError:
        """The error for a row with cells past the header's last column."""
        return ParseError(
            f"has {len(trimmed(cells))} cells but the header (row {self.number}) "
            f"has {len(self.columns)}",
            file=origin,
            row=number,
        )


def _data_rows(
    rows: Iterable[tuple[int, list[str]]], header: _Header, origin: str
) -> Iterator[Row]:
    """The data rows under `header`: blank, totals and repeated-header rows skipped, one-cell
    footnotes dropped at the end (held back until a later row shows they were data)."""
    columns, headerless = header.columns, header.number is None
    width, blank, totals = len(columns), [""] * len(columns), _TOTALS.match
    header_cells, header_first = trimmed(header.cells), trimmed(header.cells)[:1]
    several = False  # whether a data row so far has more than one filled cell
    held: list[tuple[Row, bool, list[str]]] = []  # trailing one-cell rows: (row, too wide, cells)
    for number, cells in rows:
        first = next(filter(None, cells), None)
        if (
            first is None
            or totals(first)
            or (cells[:1] == header_first and trimmed(cells) == header_cells)
        ):
            continue
        wide = len(cells) > width and any(cells[width:])
        if headerless and wide:
            row = Row(number, dict(zip(position_names(len(cells)), cells, strict=True)))
            wide = False  # a headerless file's columns are wherever its rows reach
        else:
            padded = cells + blank[len(cells) :] if len(cells) < width else cells
            row = Row(number, dict(zip(columns, padded, strict=False)))
        if _footnote(cells):
            held.append((row, wide, cells))
            continue
        for kept, kept_wide, kept_cells in held:  # not the end: they were data after all
            if kept_wide:
                raise header.too_wide(kept_cells, kept.number, origin)
            yield kept
        held.clear()
        if wide:
            raise header.too_wide(cells, number, origin)
        several = several or cells.count("") < len(cells) - 1
        yield row
    if width > 1 and several:
        return  # what is held is footnotes under the data
    for kept, kept_wide, kept_cells in held:
        if kept_wide:
            raise header.too_wide(kept_cells, kept.number, origin)
        yield kept


def _read_header(
    head: Grid,
    source: SourceConfig,
    origin: str,
    group_rows: frozenset[int],
    header_at: int | None,
) -> tuple[_Header, int]:
    """The header found in the first rows, and how many rows it and what is above it take."""
    if source.header_row == 0:  # no header: columns are named by position
        width = max((len(cells) for _, cells in head if any(cells)), default=0)
        if not width:
            raise ParseError("the file is empty", file=origin)
        return _Header(position_names(width), None, []), 0
    index = _header_index(head, source, origin, group_rows, header_at)
    cells = _header_cells(head, index, group_rows)
    return _Header(_column_names(cells), head[index][0], cells), index + 1


def table_from_grid(
    grid: GridRows,
    source: SourceConfig,
    origin: str,
    *,
    group_rows: frozenset[int] = frozenset(),
    header_at: int | None = None,
) -> Table:
    """The table in a grid: header, then data rows with blank, totals and footnote rows dropped.

    Totals and notes rows (first cell "Total", "Grand total", "Notes", "Source:") go wherever
    they are; one-cell footnotes only at the end, after the last row with several cells.
    With ``header_row = 0`` there is no header and columns are named "1", "2", ... by position.

    `group_rows` are grid indexes of merged group rows that sit above a header row; `header_at`
    is a header index the format already knows (an HTML ``<thead>``), used unless `header_row`
    is configured. Column j of the table is always column j of the grid.
    """
    rows = iter(grid)
    head = _head(rows, source)
    header, skip = _read_header(head, source, origin, group_rows, header_at)
    body = chain(head[skip:], rows)
    return Table(header.columns, tuple(_data_rows(body, header, origin)))


def table_from_records(
    numbers: Sequence[int], records: list[list[str]], source: SourceConfig, origin: str
) -> Table:
    """`table_from_grid` of rows already in memory (row `numbers[i]` has cells `records[i]`).

    When every row under the header is a plain data row (`_plain`), the records themselves are
    the table's rows, read by position (`Table.records`) with no copy made; otherwise the rows
    go through `table_from_grid`'s rules one by one.
    """
    rows = zip(numbers, records, strict=True)
    head = _head(rows, source)
    header, skip = _read_header(head, source, origin, frozenset(), None)
    body = records[skip:]
    if _plain(body, header):
        found = Records(numbers[skip:], body)
        return Table(header.columns, RecordRows(header.columns, found), found)
    return Table(header.columns, tuple(_data_rows(chain(head[skip:], rows), header, origin)))


def _plain(body: list[list[str]], header: _Header) -> bool:
    """Whether `_data_rows` would keep every row of `body` as it is: each row exactly as wide
    as the header, its first cell filled and no totals, notes or header cell, and a second
    cell filled (so no footnote). Judged a column or a count at a time, in C."""
    width = len(header.columns)
    if width < 2 or not body or set(map(len, body)) != {width}:
        return False
    firsts = list(map(itemgetter(0), body))
    if "" in firsts or _TOTALS_LINES.search("\n" + "\n".join(firsts)) is not None:
        return False
    repeat = trimmed(header.cells)[:1]
    if repeat and repeat[0] in firsts:
        return False
    if "" not in map(itemgetter(1), body):  # every second cell filled: no footnote
        return True
    return max(map(list.count, body, repeat_("", len(body)))) < width - 1


def table_from_lines(lines: list[str], delimiter: str, source: SourceConfig, origin: str) -> Table:
    """`table_from_records` of the lines of a text without quotes, whose records are its lines
    split at `delimiter`. When every line under the header is a plain data row
    (`_plain_lines`), the lines are the table's rows (`Records.lines`), and only the lines
    extraction asks for are split; otherwise every line is split and read as records."""
    rows = zip(range(1, len(lines) + 1), map(_split, lines, repeat_(delimiter)), strict=True)
    head = _head(rows, source)
    header, skip = _read_header(head, source, origin, frozenset(), None)
    body = lines[skip:]
    if _plain_lines(body, header, delimiter):
        cells = SplitLines(body, delimiter)
        found = Records(range(skip + 1, len(lines) + 1), cells, body, delimiter)
        return Table(header.columns, RecordRows(header.columns, found), found)
    records = list(map(_split, lines, repeat_(delimiter)))
    return table_from_records(range(1, len(lines) + 1), records, source, origin)


def _split(line: str, delimiter: str) -> list[str]:
    """A line's cells as the csv module reads a line without quotes (a blank line has none)."""
    return line.split(delimiter) if line else []


def _plain_lines(body: list[str], header: _Header, delimiter: str) -> bool:
    """`_plain` judged on lines without quotes, a line at a time in C: as many delimiters as
    the header has columns less one, no delimiter first (first cell filled), no line that is
    its first cell and delimiters (a footnote), no totals, notes or header line."""
    width = len(header.columns)
    if width < 2 or not body or set(map(str.count, body, repeat_(delimiter))) != {width - 1}:
        return False
    if any(map(str.startswith, body, repeat_(delimiter))):
        return False
    if any(map(str.endswith, body, repeat_(delimiter * (width - 1)))):
        return False
    repeat = trimmed(header.cells)[:1]
    if repeat and any(map(str.startswith, body, repeat_(repeat[0] + delimiter))):
        return False
    return _TOTALS_LINES.search("\n" + "\n".join(body)) is None


def streamed_table(
    read: Callable[[], Iterator[tuple[int, list[str]]]],
    source: SourceConfig,
    origin: str,
    *,
    group_rows: Callable[[Grid], frozenset[int]] | None = None,
) -> Table:
    """The table in a grid that `read` yields afresh each time, with rows read on demand.

    The header is found once in the first rows (`group_rows` says which of them are merged
    group rows); each pass over the table's rows reads the grid again, so no copy of it is
    kept, and a bad row fails the pass that reaches it.
    """
    head = _head(read(), source)
    groups = group_rows(head) if group_rows else frozenset()
    header, skip = _read_header(head, source, origin, groups, None)

    def rows() -> Iterator[Row]:
        grid = read()
        for _ in range(skip):
            next(grid, None)
        return _data_rows(grid, header, origin)

    return Table(header.columns, LazyRows(rows))


__all__ = [
    "Grid",
    "cell_text",
    "combine_header",
    "position_names",
    "streamed_table",
    "table_from_grid",
    "table_from_lines",
    "table_from_records",
    "trimmed",
]
