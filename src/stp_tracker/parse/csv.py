"""CSV files: decoded, their delimiter sniffed, and read into the shared grid-to-table rules
(grid.py)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ..config import SourceConfig
from ..errors import ParseError
from .base import Table, clean_cell
from .grid import table_from_lines, table_from_records

DELIMITERS = ",;\t|"
_SAMPLE_CHARS = 64 * 1024


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
    once (a few scans in C) so that no row needs checking: no quotes, no whitespace but spaces,
    line ends and the delimiter (nor any other control character), no space beside a delimiter
    or line end, no two spaces together."""
    if '"' in text or text.startswith(" ") or text.endswith(" "):
        return False
    returns = "\r" in text  # found in C at memory speed; counting takes longer
    if returns and text.count("\r") != text.count("\r\n"):  # a return only ends a line
        return False
    allowed = ("\n", "\r", "\t") if delimiter == "\t" else ("\n", "\r")
    if text.isascii():  # the control characters are exactly the line ends (and tabs)
        controls = len(text) - len(text.encode("ascii").translate(None, _CONTROLS))
        if controls != sum(text.count(c) for c in allowed if returns or c != "\r"):
            return False
    else:
        printed = text
        for character in allowed:
            printed = printed.replace(character, "")
        if not printed.isprintable():
            return False
    return _spaced(delimiter).search(text) is None


_CONTROLS = bytes(range(32)) + b"\x7f"


@lru_cache(maxsize=8)
def _spaced(delimiter: str) -> re.Pattern[str]:
    """A space next to a space, the delimiter or a line end. The pattern starts with its space,
    so the search skips from space to space in C."""
    d = re.escape(delimiter)
    return re.compile(f" (?:[ {d}\r\n]|(?<=[{d}\n] ))")


def read_records(text: str, delimiter: str, origin: str) -> tuple[list[int], list[list[str]]]:
    """The CSV records, cleaned where a record needs it, and the line each starts on (a quoted
    field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbers: list[int] = []
    records: list[list[str]] = []
    start = 1
    try:
        for record in reader:
            numbers.append(start)
            records.append([clean_cell(cell) for cell in record] if untidy(record) else record)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(f"is not readable CSV: {exc}", file=origin, row=start) from exc
    return numbers, records


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
    if tidy_text(text, delimiter):  # no quotes, nothing to clean: each line is a record
        return table_from_lines(text.splitlines(), delimiter, source, origin)
    return table_from_records(*read_records(text, delimiter, origin), source, origin)
