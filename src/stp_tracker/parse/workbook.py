"""Spreadsheets (.xlsx, .xlsm, .xls, .ods): one sheet read with calamine, row by row.

Only the configured sheet is read. Its size is checked first (limits.py), so a workbook bomb
fails fast; then calamine (Rust) loads the sheet, and its rows pass one at a time through the
shared grid-to-table rules into extraction, with no copy of the sheet in Python. Formulas give
their cached values, so a workbook saved by a program that never calculated them yields "".
Merged cells repeat their value across the range, and a merged group cell over a header row
names its columns ("Rating Overall").
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import python_calamine

from ..config import SourceConfig
from ..errors import ParseError
from .base import Table
from .grid import Grid, cell_text, streamed_table
from .limits import Budget, SheetSize, check_xlsx, measure_ods, open_zip, xlsx_sheets
from .sniff import workbook_kind

Range = tuple[tuple[int, int], tuple[int, int]]  # (first row, first column), (last, last): 0-based


def choose_sheet(sheets: list[tuple[str, bool]], wanted: str | int | None, origin: str) -> str:
    """The configured sheet among (name, is a worksheet): a name (any case), a 0-based index,
    or else the first worksheet."""
    names = [name for name, _ in sheets]
    listed = ", ".join(repr(name) for name in names)
    if wanted is None:
        first = next((name for name, worksheet in sheets if worksheet), None)
        if first is None:
            raise ParseError("the workbook has no worksheets", file=origin)
        return first
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        if not 0 <= wanted < len(names):
            raise ParseError(
                f"sheet {wanted} is out of range; the workbook has {len(names)} sheets: {listed}",
                file=origin,
            )
        name = names[wanted]
    else:
        matches = [n for n in names if n.strip().casefold() == str(wanted).strip().casefold()]
        if not matches:
            raise ParseError(f"no sheet named {wanted!r}; the workbook has: {listed}", file=origin)
        name = str(wanted) if str(wanted) in names else matches[0]
    if not dict(sheets)[name]:
        raise ParseError(f"sheet {name!r} is a chart, not a worksheet", file=origin)
    return name


def _checked_sheet(kind: str, data: bytes, source: SourceConfig, origin: str) -> str | None:
    """Measure a zipped workbook's parts against the source's limits; the sheet to read
    (None for .xls, whose sheets only calamine can list)."""
    if kind == "xls":
        return None
    budget = Budget(source, origin)
    with open_zip(io.BytesIO(data), origin) as archive:
        if kind == "ods":
            return choose_sheet(
                [(n, True) for n in measure_ods(budget, archive)], source.sheet, origin
            )
        sheets = xlsx_sheets(budget, archive)
        name = choose_sheet([(n, worksheet) for n, _, worksheet in sheets], source.sheet, origin)
        check_xlsx(budget, archive, next(part for n, part, _ in sheets if n == name), name)
    return name


def _load(data: bytes, kind: str, name: str | None, source: SourceConfig, origin: str) -> Any:
    """The calamine sheet to read; its errors are the workbook's, never a crash."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if name is None:
            sheets = [
                (meta.name, meta.typ == python_calamine.SheetTypeEnum.WorkSheet)
                for meta in workbook.sheets_metadata
            ]
            name = choose_sheet(sheets, source.sheet, origin)
        sheet = workbook.get_sheet_by_name(name)
    except python_calamine.PasswordError as exc:
        raise ParseError(
            "is protected by a password; save an unprotected copy", file=origin
        ) from exc
    except MemoryError as exc:
        raise _out_of_memory(origin) from exc
    except python_calamine.CalamineError as exc:
        raise ParseError(f"is a damaged {kind} workbook ({exc})", file=origin) from exc
    if kind == "xls":  # the format bounds a sheet to 65,536 × 256; check it against the limits
        size = SheetSize(last_row=sheet.height, last_column=sheet.width)
        size.check(Budget(source, origin), name)
    return sheet


def _out_of_memory(origin: str) -> ParseError:
    return ParseError(
        "ran out of memory reading the workbook; lower the source's max_cells so such a "
        "sheet is refused before it is read, or give the service more memory",
        file=origin,
    )


def _clip(ranges: list[Range] | None, sheet: Any) -> list[Range]:
    """The merged ranges cut to the sheet's used range (a merge may reach far past the data)."""
    if not ranges or sheet.start is None:
        return []
    last_row, last_column = sheet.end
    return [
        ((top, left), (min(bottom, last_row), min(right, last_column)))
        for (top, left), (bottom, right) in ranges
        if top <= last_row and left <= last_column
    ]


def _grid(sheet: Any, merged: list[Range], origin: str) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows as text, numbered as the spreadsheet numbers them, merged ranges filled
    with their top-left value. Columns left of the used range are blank, so column j is the
    sheet's column j."""
    indent = [""] * (sheet.start[1] if sheet.start else 0)
    starting: dict[int, list[Range]] = defaultdict(list)
    for merge in merged:
        starting[merge[0][0]].append(merge)
    active: list[tuple[int, int, int, str]] = []  # last row, first column, last column, value
    try:
        for index, values in enumerate(sheet.iter_rows()):
            cells = [*indent, *map(cell_text, values)] if indent else list(map(cell_text, values))
            for (_, left), (bottom, right) in starting.get(index, ()):
                value = cells[left] if left < len(cells) else ""
                active.append((bottom, left, right, value))
            if active:
                active = [merge for merge in active if merge[0] >= index]
                for _, left, right, value in active:
                    if len(cells) <= right:
                        cells.extend([""] * (right + 1 - len(cells)))
                    cells[left : right + 1] = [value] * (right + 1 - left)
            yield index + 1, cells
    except MemoryError as exc:
        raise _out_of_memory(origin) from exc


def _group_rows(merged: list[Range]) -> Any:
    """Which of the first rows are merged group rows: a horizontal merge over a non-empty row
    that it does not span wholly (a title merged across the whole table is not a group)."""

    def groups(head: Grid) -> frozenset[int]:
        found = set()
        for (_, left), (bottom, right) in merged:
            below = bottom + 1  # index of the row under the merge
            if right > left and below < len(head):
                filled = [i for i, cell in enumerate(head[below][1]) if cell]
                if filled and not (left <= filled[0] and filled[-1] <= right):
                    found.add(bottom)
        return frozenset(found)

    return groups


def parse_workbook(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Rows of one sheet keyed by its header, which may sit below titles or a group row."""
    kind = workbook_kind(data, origin)
    name = _checked_sheet(kind, data, source, origin)
    sheet = _load(data, kind, name, source, origin)
    try:
        merged = _clip(sheet.merged_cell_ranges, sheet)
    except python_calamine.CalamineError:
        merged = []  # formats without merged cells
    return streamed_table(
        lambda: _grid(sheet, merged, origin), source, origin, group_rows=_group_rows(merged)
    )


__all__ = ["choose_sheet", "parse_workbook"]
