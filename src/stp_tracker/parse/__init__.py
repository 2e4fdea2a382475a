"""Parsers: bytes from a source, read by its format into a Table of text cells."""

from __future__ import annotations

from collections.abc import Callable

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table
from .csv import parse_csv
from .html import parse_html_table
from .json import parse_json
from .sniff import check_content
from .xlsx import parse_xlsx

Parser = Callable[[bytes, SourceConfig, str], Table]
PARSERS: dict[str, Parser] = {
    "csv": parse_csv,
    "xlsx": parse_xlsx,
    "html-table": parse_html_table,
    "json": parse_json,
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
