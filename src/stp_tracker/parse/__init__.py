"""Parsers: bytes from a source, read by its format into a Table of text cells."""

from __future__ import annotations

from collections.abc import Callable

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table
from .csv import parse_csv

Parser = Callable[[bytes, SourceConfig, str], Table]
PARSERS: dict[str, Parser] = {"csv": parse_csv}


def parse(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Read `data` (from the file or URL named by `origin`) with the source's format parser."""
    try:
        parser = PARSERS[source.format]
    except KeyError:
        raise ParseError(f"no parser for format {source.format!r} yet", file=origin) from None
    return parser(data, source, origin)


__all__ = ["PARSERS", "Row", "Table", "parse"]
