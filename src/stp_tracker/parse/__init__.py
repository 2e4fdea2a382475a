"""Parsers: bytes from a source, read by its format into a Table of text cells."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table
from .sniff import check_content

Parser = Callable[[bytes, SourceConfig, str], Table]


def _on_first_use(module: str, name: str) -> Parser:
    """A parser whose module (calamine, selectolax...) is imported only when a file needs it,
    so a command that reads CSV does not pay for the spreadsheet library."""

    def parser(data: bytes, source: SourceConfig, origin: str) -> Table:
        found: Parser = getattr(import_module(f"{__package__}.{module}"), name)
        return found(data, source, origin)

    parser.__name__ = name
    return parser


PARSERS: dict[str, Parser] = {
    "csv": _on_first_use("csv", "parse_csv"),
    "xlsx": _on_first_use("workbook", "parse_workbook"),
    "xls": _on_first_use("workbook", "parse_workbook"),
    "spreadsheet": _on_first_use("workbook", "parse_workbook"),
    "html-table": _on_first_use("html", "parse_html_table"),
    "json": _on_first_use("json", "parse_json"),
    "geojson": _on_first_use("geojson", "parse_geojson"),
}


def parse(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Read `data` (from the file or URL named by `origin`) with the source's format parser.

    The body is checked first, so an empty file or an HTML error page served in place of a
    spreadsheet is reported as such rather than as a confusing parse failure.
    """
    try:
        parser = PARSERS[source.format]
    except KeyError:
        raise ParseError(f"no parser for format {source.format!r} yet", file=origin) from None
    check_content(data, source, origin)
    return parser(data, source, origin)


__all__ = ["PARSERS", "Row", "Table", "check_content", "parse"]
