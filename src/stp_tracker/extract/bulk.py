"""Reading a file's rows in bulk, from what the run remembers (memo.py).

A file whose parser gives its rows as lists of cells or as lines (`Table.records`, a wide
layout's) is read here. Each row is looked up in the run's memory by a key: its line less its
date (when the file gives lines and its date, if any, is the first or last column), else its
raw cells. A row found there, on a date its cells identify the same organisation on with
nothing to report, states what it stated then; any other row, or a repeat of an organisation,
is read afresh (`FileReader.read`) and remembered in turn.

When every row has one date (a release's usual shape), the rows are judged a column at a time
and each stretch of rows found between two that must be read afresh enters the release at
once, in C; only the others are read one by one, in file order, so what a file reads as
never depends on which way a row went.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import itemgetter, methodcaller, not_
from typing import Any, NamedTuple

from ..errors import ParseError
from ..parse.base import Records
from .memo import Recalled
from .reader import FileReader, cells_getter

_ORG, _STATED, _ALIAS = itemgetter(0), itemgetter(1), itemgetter(4)  # of a Recalled


class Keyed(NamedTuple):
    """A file's rows with what to look each up by: `keys[i]` in `memory` for row
    `numbers[i]`, whose raw date is `dates[i]` (no dates: the file's date is fixed) and which
    is read from `rows[i]`: a line to split at `split`, or (`split` None) its cells."""

    numbers: Sequence[int]
    keys: list[Any]
    dates: list[str] | None
    rows: Sequence[Any]
    memory: dict[Any, Recalled]
    split: str | None


def read_records(reader: FileReader, records: Records, columns: Sequence[str]) -> None:
    """Read a file's rows into `reader`, each from memory or afresh (see the module)."""
    keyed = keyed_rows(reader, records, columns)
    found = list(map(keyed.memory.get, keyed.keys))
    effective = _one_date(reader, keyed)
    if effective is None:
        for index in range(len(found)):
            _take(reader, keyed, found[index], index, columns)
    else:
        good = [r is not None and r[2] <= effective < r[3] for r in found]
        start = 0
        for end in [*compress(range(len(good)), map(not_, good)), len(good)]:
            _take_stretch(reader, keyed, found, start, end, effective, columns)
            if end < len(found):
                _take(reader, keyed, found[end], end, columns)
            start = end + 1
    reader.remembered.trim()


def keyed_rows(reader: FileReader, records: Records, columns: Sequence[str]) -> Keyed:
    """Each row's key, raw date and what to read it from: by line when the file gives lines
    and its date, if any, is its first or last column; else by cells."""
    reader.key_of_cells = cells_getter([columns.index(c) for c in reader.key_columns])
    at = None if reader.dates.fixed else columns.index(reader.dates.column or "")
    numbers, lines, delimiter = records.numbers, records.lines, records.delimiter
    if lines is not None and at in (None, 0, len(columns) - 1):
        memory = reader.remembered.by_line((tuple(columns), delimiter, at))
        if at is None:
            return Keyed(numbers, list(lines), None, lines, memory, delimiter)
        keys, dates = _lines_less_dates(list(lines), delimiter, first=at == 0)
        return Keyed(numbers, keys, dates, lines, memory, delimiter)
    cells = records.cells
    by_cells = list(map(reader.key_of_cells, cells))
    dated = None if at is None else list(map(itemgetter(at), cells))
    return Keyed(numbers, by_cells, dated, cells, reader.remembered.rows, None)


def _lines_less_dates(
    lines: list[str], delimiter: str, *, first: bool
) -> tuple[list[str], list[str]]:
    """Each line less its date (its first or last cell), and the date: cut off by length when
    every line has the first line's date (checked in one pass in C), else split off at the
    first or last delimiter."""
    if lines:
        cut = lines[0].partition(delimiter)[0] if first else lines[0].rpartition(delimiter)[2]
        if first and all(map(str.startswith, lines, repeat(cut + delimiter))):
            rest = slice(len(cut) + 1, None)
            return list(map(itemgetter(rest), lines)), [cut] * len(lines)
        if not first and all(map(str.endswith, lines, repeat(delimiter + cut))):
            rest = slice(0, -len(cut) - 1)
            return list(map(itemgetter(rest), lines)), [cut] * len(lines)
    parts = list(map(methodcaller("partition" if first else "rpartition", delimiter), lines))
    date, rest_at = (0, 2) if first else (2, 0)
    return list(map(itemgetter(rest_at), parts)), list(map(itemgetter(date), parts))


def _one_date(reader: FileReader, keyed: Keyed) -> str | None:
    """The date of every row, when they have one (parsed now if the run has not yet read it),
    else None."""
    if keyed.dates is None:
        return reader.dates.fixed
    if not keyed.dates or len(distinct := set(keyed.dates)) != 1:
        return None
    (raw,) = distinct
    try:
        return reader.dates.of({reader.dates.column or "": raw}, keyed.numbers[0], required=True)
    except ParseError:  # every row fails alike, each read afresh to say so
        return None


def _take_stretch(
    reader: FileReader, keyed: Keyed, found: list[Recalled | None], start: int, end: int,
    effective: str, columns: Sequence[str],
) -> None:  # fmt: skip
    """Rows `start` to `end` (each found, holding on `effective`) into the release at once,
    unless one repeats an organisation; then one by one."""
    if start == end:
        return
    stretch: list[Recalled] = found[start:end]  # type: ignore[assignment]  # all found
    orgs = list(map(_ORG, stretch))
    by_org = reader.statements[effective]
    if len(set(orgs)) != len(orgs) or not by_org.keys().isdisjoint(orgs):
        for index in range(start, end):
            _take(reader, keyed, found[index], index, columns)
        return
    numbered = zip(keyed.numbers[start:end], map(_STATED, stretch), strict=True)
    by_org.update(zip(orgs, numbered, strict=True))
    reader.identifier.found.used.update(filter(None, map(_ALIAS, stretch)))


def _take(
    reader: FileReader, keyed: Keyed, recalled: Recalled | None, index: int,
    columns: Sequence[str],
) -> None:  # fmt: skip
    """One row: as found in memory (`recalled`), else by its cells, else afresh."""
    number = keyed.numbers[index]
    raw = None if keyed.dates is None else keyed.dates[index]
    if recalled is not None and _recalled(reader, number, recalled, raw):
        return
    row = keyed.rows[index]
    if keyed.split is None:  # the key was the row's cells
        _afresh(reader, number, row, raw, columns, None)
        return
    cells = row.split(keyed.split)  # the key was the row's line: its cells are looked up next
    kept = _afresh(reader, number, cells, raw, columns, reader.key_of_cells(cells))
    if kept is not None:
        keyed.memory[keyed.keys[index]] = kept


def _recalled(reader: FileReader, number: int, recalled: Recalled, raw: str | None) -> bool:
    """Take a row as what the memory recalls of it, if that holds on the row's date and its
    organisation has no row in the release yet."""
    org, stated, low, high, alias, _ = recalled
    effective = reader.dates.fixed or reader.dates.parsed.get(raw)  # type: ignore[arg-type]
    if effective is None or not low <= effective < high:
        return False
    by_org = reader.statements[effective]
    if org in by_org:
        return False
    by_org[org] = (number, stated)
    if alias is not None:
        reader.identifier.found.used.add(alias)
    return True


def _afresh(
    reader: FileReader, number: int, cells: list[str], raw: str | None, columns: Sequence[str],
    key: tuple[str, ...] | None,
) -> Recalled | None:  # fmt: skip
    """A row recognised by its cells `key` (when given) or read afresh; what the memory keeps
    of it."""
    if key is not None:
        recalled = reader.remembered.rows.get(key)
        if recalled is not None and _recalled(reader, number, recalled, raw):
            return recalled
    return reader.attempt(number, dict(zip(columns, cells, strict=True)))
