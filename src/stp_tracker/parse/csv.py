"""CSV files: decoding, header row, and the rows beneath it."""

from __future__ import annotations

import csv
import io

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table, clean_cell


def decode(data: bytes, source: SourceConfig, origin: str) -> str:
    """The file's text: the configured encoding, else UTF-8 (with or without BOM), else cp1252."""
    encodings = [source.encoding] if source.encoding else ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise ParseError(f"unknown encoding {encoding!r}", file=origin) from None
    raise ParseError(f"cannot be decoded as {encodings[0]}", file=origin)


def parse_csv(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Rows of a CSV file keyed by its header (on line `header_row`, default 1)."""
    text = decode(data, source, origin)
    lines = list(csv.reader(io.StringIO(text), delimiter=source.delimiter or ","))
    header_index = (source.header_row or 1) - 1
    if len(lines) <= header_index:
        raise ParseError("the file is empty (no header row)", file=origin)
    columns = tuple(clean_cell(c) for c in lines[header_index])
    rows = []
    for number, line in enumerate(lines[header_index + 1 :], start=header_index + 2):
        cells = [clean_cell(c) for c in line]
        if not any(cells):
            continue
        rows.append(Row(number, dict(zip(columns, cells + [""] * (len(columns) - len(cells))))))
    return Table(columns, tuple(rows))
