"""Excel .xlsx workbooks: one sheet read with openpyxl into the shared grid-to-table rules.

Formulas give their cached values (``data_only``), so a workbook saved by a program that never
calculated them yields "" rather than formula text. Workbooks under 20 MB are loaded in full so
merged cells can be seen: a merged group cell over a header row names its columns ("Rating
Overall"), and merged body cells repeat their value.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import openpyxl

from ..config import SourceConfig
from ..errors import ParseError
from .base import Table
from .csv import Grid, cell_text, table_from_grid

FULL_LOAD_BYTES = 20 * 1024 * 1024


def _load(data: bytes, origin: str) -> Any:
    """The workbook, read-only when large; anything openpyxl cannot open is not a workbook."""
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=len(data) >= FULL_LOAD_BYTES, data_only=True
        )
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors on bad files
        raise ParseError(f"is not an Excel .xlsx workbook ({exc})", file=origin) from exc


def _sheet(workbook: Any, source: SourceConfig, origin: str) -> Any:
    """The configured sheet (a name, or a 0-based index), else the first worksheet."""
    names: list[str] = workbook.sheetnames
    wanted = source.sheet
    listed = ", ".join(repr(name) for name in names)
    if wanted is None:
        if not workbook.worksheets:
            raise ParseError("the workbook has no worksheets", file=origin)
        return workbook.worksheets[0]
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
    sheet = workbook[name]
    if not hasattr(sheet, "iter_rows"):
        raise ParseError(f"sheet {name!r} is a chart, not a worksheet", file=origin)
    return sheet


def _merged(sheet: Any, cells: list[list[str]]) -> frozenset[int]:
    """Fill each merged range with its top-left value; return the indexes of group rows.

    A group row ends a horizontal merge and sits on a non-empty row, which it does not span
    wholly (a merged title across the whole table is preamble, not a group).
    """
    groups = set()
    merged_cells = getattr(sheet, "merged_cells", None)  # read-only sheets do not know them
    ranges = sorted(merged_cells.ranges, key=lambda m: m.bounds) if merged_cells else []
    for merged in ranges:  # fill every range first: detection must not depend on their order
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(cells):
            continue
        value = cells[top][left] if left < len(cells[top]) else ""
        for row in range(top, min(merged.max_row, len(cells))):
            line = cells[row]
            line.extend([""] * (merged.max_col - len(line)))
            for col in range(left, merged.max_col):
                line[col] = value
    for merged in ranges:
        left, below = merged.min_col - 1, merged.max_row  # grid index of the row under it
        if merged.max_col > merged.min_col and below < len(cells):
            filled = [i for i, cell in enumerate(cells[below]) if cell]
            if filled and not (left <= filled[0] and filled[-1] < merged.max_col):
                groups.add(below - 1)
    return frozenset(groups)


def parse_xlsx(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Rows of one worksheet keyed by its header, which may sit below titles or a group row."""
    with warnings.catch_warnings():
        # openpyxl warns about workbook features it drops (data validation, styles): harmless.
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = _load(data, origin)
        try:
            sheet = _sheet(workbook, source, origin)
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # read-only sheets trust a stored size that may be wrong
            cells = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            groups = _merged(sheet, cells)
        except ParseError:
            raise
        except Exception as exc:
            raise ParseError(f"the workbook could not be read ({exc})", file=origin) from exc
        finally:
            workbook.close()
    grid: Grid = list(enumerate(cells, start=1))
    return table_from_grid(grid, source, origin, group_rows=groups)
