"""HTML tables: one ``<table>`` picked by a CSS selector, its spans expanded into a plain grid.

Header cells spanning columns over a second header row name them as merged spreadsheet headers
do ("Rating Overall"); a body cell spanning rows repeats down them. A column whose cells hold
links gains a sibling "<header> [href]" column with each cell's first link.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table, clean_cell
from .csv import decode
from .grid import Grid, table_from_grid

_MAX_SPAN = 1000


@dataclass
class _Line:
    """One ``<tr>`` after span expansion: texts and hrefs by column, and how it looked."""

    number: int
    texts: list[str]
    hrefs: list[str]
    thead: bool  # in <thead>
    head: bool  # in <thead>, or only <th> cells
    spans: list[int]  # the colspan of each cell written in this row


def _pick_table(data: bytes, source: SourceConfig, origin: str) -> LexborNode:
    """The configured table: the selector's match (or the first table inside it), else the first."""
    tree = LexborHTMLParser(decode(data, source, origin))
    tables = tree.css("table")
    if not source.selector:
        if not tables:
            raise ParseError("the page has no <table>", file=origin)
        return tables[0]
    try:
        node = tree.css_first(source.selector)
    except SelectolaxError as exc:
        raise ParseError(f"selector {source.selector!r} is not valid CSS", file=origin) from exc
    if node is None:
        raise ParseError(
            f"selector {source.selector!r} matches nothing; the page has {len(tables)} table(s)",
            file=origin,
        )
    if node.tag != "table":
        inner = node.css_first("table")
        if inner is None:
            raise ParseError(
                f"selector {source.selector!r} matches a <{node.tag}> with no table inside",
                file=origin,
            )
        node = inner
    return node


def _span(cell: LexborNode, name: str) -> int:
    """A colspan/rowspan attribute as a count from 1 to 1000 (bad or zero values count as 1)."""
    try:
        return min(max(int(str(cell.attributes.get(name) or "1").strip()), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _text(cell: LexborNode) -> str:
    """A cell's visible text: all whitespace, line breaks and block boundaries read as spaces."""
    for node in cell.css("br"):
        node.replace_with(" ")
    for node in cell.css("p, div, li"):
        node.insert_after(" ")
    return clean_cell(" ".join(cell.text(deep=True, separator="").split()))


def _rows(table: LexborNode) -> list[tuple[str, LexborNode]]:
    """The table's own rows in order with their section, leaving nested tables alone."""
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(("tbody", child))
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend((child.tag, tr) for tr in child.iter() if tr.tag == "tr")
    return rows


def _lines(table: LexborNode) -> list[_Line]:
    """Rows expanded so each spanned column and row holds the spanning cell's text and link."""
    lines: list[_Line] = []
    carry: dict[int, tuple[int, str, str]] = {}  # column -> (rows still to fill, text, href)
    section = ""
    for number, (part, tr) in enumerate(_rows(table), start=1):
        if part != section:
            carry, section = {}, part  # rowspan does not cross <thead>/<tbody>/<tfoot>
        filled = {col: (text, href) for col, (_, text, href) in carry.items()}
        carry = {col: (left - 1, t, h) for col, (left, t, h) in carry.items() if left > 1}
        cells = [node for node in tr.iter() if node.tag in ("td", "th")]
        col, spans = 0, []
        for cell in cells:
            while col in filled:
                col += 1
            link = cell.css_first("a[href]")
            value = (_text(cell), str(link.attributes.get("href") or "").strip() if link else "")
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            spans.append(colspan)
            for offset in range(colspan):
                filled[col + offset] = value
                if rowspan > 1:
                    carry[col + offset] = (rowspan - 1, *value)
            col += colspan
        if part == "tfoot":
            continue  # a footer holds totals or notes, not data
        width = max(filled, default=-1) + 1
        texts = [filled.get(i, ("", ""))[0] for i in range(width)]
        hrefs = [filled.get(i, ("", ""))[1] for i in range(width)]
        head = part == "thead" or (bool(cells) and all(c.tag == "th" for c in cells))
        lines.append(_Line(number, texts, hrefs, part == "thead", head, spans))
    return lines


def _header(lines: list[_Line]) -> tuple[int | None, frozenset[int]]:
    """The header's index when the markup marks it, and the group rows over header rows.

    The header is the last ``<thead>`` row, else the first leading ``<th>``-only row that is
    neither a group row nor a title spanning the whole table; else None (guess from the text).
    """
    width = max((len(line.texts) for line in lines), default=0)

    def title(line: _Line) -> bool:
        return len(line.spans) == 1 and width > 1 and line.spans[0] >= width

    groups = frozenset(
        i
        for i, line in enumerate(lines[:-1])
        if line.head
        and not title(line)
        and any(span > 1 for span in line.spans)
        and lines[i + 1].head
        and any(lines[i + 1].texts)
    )
    thead = [i for i, line in enumerate(lines) if line.thead and any(line.texts)]
    if thead:
        return thead[-1], groups
    for i, line in enumerate(lines):
        if not line.head:
            break
        if i not in groups and not title(line) and any(line.texts):
            return i, groups
    return None, groups


def parse_html_table(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Rows of one HTML table keyed by its header, plus "<header> [href]" link columns."""
    lines = _lines(_pick_table(data, source, origin))
    if not any(any(line.texts) for line in lines):
        raise ParseError("the table has no rows", file=origin)
    header_at, groups = _header(lines)
    grid: Grid = [(line.number, line.texts) for line in lines]
    table = table_from_grid(grid, source, origin, group_rows=groups, header_at=header_at)
    hrefs = {line.number: line.hrefs for line in lines}
    linked = {
        j
        for j in range(len(table.columns))
        if any(j < len(hrefs[row.number]) and hrefs[row.number][j] for row in table.rows)
    }
    if not linked:
        return table
    columns: list[str] = []
    for j, name in enumerate(table.columns):
        columns += [name, f"{name} [href]"] if j in linked else [name]
    rows = []
    for row in table.rows:
        links = hrefs[row.number]
        cells: dict[str, str] = {}
        for j, name in enumerate(table.columns):
            cells[name] = row.cells[name]
            if j in linked:
                cells[f"{name} [href]"] = links[j] if j < len(links) else ""
        rows.append(Row(row.number, cells))
    return Table(tuple(columns), tuple(rows))
