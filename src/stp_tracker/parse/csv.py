"""CSV files, and the grid-to-table rules every tabular format shares.

A *grid* is the file's rows as lists of cleaned text, each with the row number a person sees.
`table_from_grid` finds the header in it (configured, or guessed from the mapped column names),
skips preamble, blank, totals and footnote rows, and checks no row runs past the header.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Sequence

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table, clean_cell

Grid = list[tuple[int, list[str]]]
DELIMITERS = ",;\t|"
_SAMPLE_CHARS = 64 * 1024
_HEADER_SCAN_ROWS = 100
_TOTALS = re.compile(r"^(?:(?:grand\s+)?totals?\b|notes?\b|source\s*:)", re.IGNORECASE)


def cell_text(value: object) -> str:
    """A cell value as text: whole floats without ".0", dates as ISO ``YYYY-MM-DD``, None as ""."""
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
    for index in range(min(len(grid), _HEADER_SCAN_ROWS)):
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


def _footnote(cells: Sequence[str]) -> bool:
    """Whether a row under the data is a footnote: one cell of prose, not a bare code like QE1."""
    filled = [cell for cell in cells if cell]
    if len(filled) != 1:
        return False
    text = filled[0]
    return len(text) > 12 or any(ch.isspace() for ch in text) or not text[0].isalnum()


def table_from_grid(
    grid: Grid,
    source: SourceConfig,
    origin: str,
    *,
    group_rows: frozenset[int] = frozenset(),
    header_at: int | None = None,
) -> Table:
    """The table in a grid: header, then data rows with blank, totals and footnote rows dropped.

    Totals and notes rows (first cell "Total", "Grand total", "Notes", "Source:") go wherever
    they are; one-cell footnotes only at the end, after the last row with several cells.

    `group_rows` are grid indexes of merged group rows that sit above a header row; `header_at`
    is a header index the format already knows (an HTML ``<thead>``), used unless `header_row`
    is configured. Column j of the table is always column j of the grid.
    """
    index = _header_index(grid, source, origin, group_rows, header_at)
    header_number, header = grid[index][0], _header_cells(grid, index, group_rows)
    columns = _column_names(header)
    header_cells, header_first = trimmed(header), trimmed(header)[:1]
    width, blank, totals = len(columns), [""] * len(columns), _TOTALS.match
    rows: list[Row] = []
    kept: list[list[str]] = []  # each row's cells as read, for the footnote rule
    too_wide: int | None = None  # index of the first row with cells past the header
    for number, cells in grid[index + 1 :]:
        first = next(filter(None, cells), None)
        if (
            first is None
            or totals(first)
            or (cells[:1] == header_first and trimmed(cells) == header_cells)
        ):
            continue
        kept.append(cells)
        if len(cells) < width:
            cells = cells + blank[len(cells) :]
        elif too_wide is None and len(cells) > width and any(cells[width:]):
            too_wide = len(rows)
        rows.append(Row(number, dict(zip(columns, cells, strict=False))))
    if width > 1 and any(sum(1 for c in cells if c) > 1 for cells in kept):
        while kept and _footnote(kept[-1]):
            kept.pop()
            rows.pop()
    if too_wide is not None and too_wide < len(rows):
        raise ParseError(
            f"has {len(trimmed(kept[too_wide]))} cells but the header (row {header_number}) "
            f"has {width}",
            file=origin,
            row=rows[too_wide].number,
        )
    return Table(columns, tuple(rows))


def decode(data: bytes, source: SourceConfig, origin: str) -> str:
    """The file's text: the configured encoding, else UTF-8 (with or without BOM), else cp1252."""
    if source.encoding:
        encodings = [source.encoding]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            error = error or exc
        except LookupError:
            raise ParseError(f"unknown encoding {encoding!r}", file=origin) from None
    line = data[: error.start].count(b"\n") + 1 if error else None
    raise ParseError(
        f"cannot be decoded as {' or '.join(encodings)}; set the source's encoding",
        file=origin,
        row=line,
    ) from error


def _consistency(lines: list[str], delimiter: str) -> int:
    """How well `delimiter` splits lines: rows of the commonest width times cells beyond one."""
    try:
        widths = [len(record) for record in csv.reader(lines, delimiter=delimiter) if record]
    except csv.Error:
        return 0
    common = Counter(w for w in widths if w > 1).most_common(1)
    return common[0][1] * (common[0][0] - 1) if common else 0


def _plain_delimiter(sample: str) -> str | None:
    """The delimiter when only one of , ; tab | occurs in the sample's non-blank lines and
    nothing is quoted.

    Every such line holding it splits into several cells, so the full sniffing could choose
    nothing else, and csv.Sniffer (slow on a large sample) need not run."""
    if '"' in sample:
        return None
    text = "\n".join(line for line in sample.splitlines() if line.strip())  # as sniffing reads it
    found = [d for d in DELIMITERS if d in text]
    return found[0] if len(found) == 1 else None


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that the sample uses.

    csv.Sniffer's guess stands unless it fails or another delimiter splits more rows into a
    consistent number of cells (title lines above the header can mislead the Sniffer).
    """
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    return _plain_delimiter(sample) or _sniffed(sample)


def _sniffed(sample: str) -> str:
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    lines = [line for line in sample.splitlines() if line.strip()]
    scores = {d: _consistency(lines, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: scores[d])
    if sniffed in scores and scores[sniffed] >= scores[best]:
        return sniffed
    return best if scores[best] else ","


def untidy(record: Sequence[str]) -> bool:
    """Whether clean_cell might change a cell of `record`: whitespace other than a space (or
    any unprintable character), a space at either end of a cell, or two in a row. String
    methods rather than a regex, since every row of every file passes through here."""
    line = "|".join(record)
    return (
        not line.isprintable()
        or "  " in line
        or "| " in line
        or " |" in line
        or line.startswith(" ")
        or line.endswith(" ")
    )


def tidy_text(text: str, delimiter: str) -> bool:
    """Whether every cell of an unquoted file is already clean, judged on the whole text at
    once (a few scans in C) so that no row needs checking: no quotes, no whitespace but
    spaces and line ends, no space beside a delimiter or line end, no two spaces together."""
    text = text.replace("\r\n", "\n")
    return (
        '"' not in text
        and text.replace("\n", "").isprintable()
        and "  " not in text
        and f" {delimiter}" not in text
        and f"{delimiter} " not in text
        and " \n" not in text
        and "\n " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def read_grid(text: str, delimiter: str, origin: str) -> Grid:
    """The CSV records with the line each starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: Grid = []
    start = 1
    check = untidy if not tidy_text(text, delimiter) else None
    try:
        for record in reader:
            if check is not None and check(record):
                record = [clean_cell(cell) for cell in record]
            grid.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(f"is not readable CSV: {exc}", file=origin, row=start) from exc
    return grid


def parse_csv(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Rows of a CSV file keyed by its header, which may sit below title lines."""
    text = decode(data, source, origin)
    if not text.strip():
        raise ParseError("the file is empty", file=origin)
    delimiter = source.delimiter or sniff_delimiter(text)
    if delimiter.lower() in ("tab", "\\t"):
        delimiter = "\t"
    if len(delimiter) != 1:
        raise ParseError(f"delimiter {delimiter!r} must be one character", file=origin)
    return table_from_grid(read_grid(text, delimiter, origin), source, origin)
