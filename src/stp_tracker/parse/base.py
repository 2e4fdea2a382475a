"""What every parser returns: a table of text cells with the row numbers a person would see."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple


class Row(NamedTuple):
    """One data row: `number` is its 1-based line or row number in the file, for messages."""

    number: int
    cells: dict[str, str]


class LazyRows(Sequence[Row]):
    """A table's rows read afresh from the file on each pass instead of kept in a list.

    A large spreadsheet's rows then pass to extraction one at a time, and a bad row stops the
    pass that reaches it. The count is known once a pass has read to the end.
    """

    __slots__ = ("_count", "_read")

    def __init__(self, read: Callable[[], Iterator[Row]]) -> None:
        self._read = read
        self._count: int | None = None

    def __iter__(self) -> Iterator[Row]:
        count = 0
        for row in self._read():
            count += 1
            yield row
        self._count = count

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self._read())
        return self._count

    def __bool__(self) -> bool:
        return self._count != 0 and next(iter(self._read()), None) is not None

    def __getitem__(self, index: Any) -> Any:
        return tuple(self)[index]

    def __repr__(self) -> str:
        return f"LazyRows({'unread' if self._count is None else self._count})"


class Records(NamedTuple):
    """A table's data rows as plain lists of cells, exactly one per column and in column order,
    with their row numbers: what a parser that reads them so hands to extraction, which then
    reads a row's cells by position instead of building a dict for it. A tidy CSV's rows are
    also its `lines` (each row's cells are its line split at `delimiter`), so a row can be
    recognised by its text before it is split."""

    numbers: Sequence[int]
    cells: Sequence[list[str]]
    lines: Sequence[str] | None = None
    delimiter: str = ""


class SplitLines(Sequence[list[str]]):
    """The cells of lines that hold no quotes: each line split at the delimiter when read."""

    __slots__ = ("delimiter", "lines")

    def __init__(self, lines: Sequence[str], delimiter: str) -> None:
        self.lines, self.delimiter = lines, delimiter

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[list[str]]:
        return map(str.split, self.lines, repeat(self.delimiter))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [line.split(self.delimiter) for line in self.lines[index]]
        return self.lines[index].split(self.delimiter)


class RecordRows(Sequence[Row]):
    """A table's rows made from its records on demand, one `Row` at a time."""

    __slots__ = ("columns", "records")

    def __init__(self, columns: tuple[str, ...], records: Records) -> None:
        self.columns, self.records = columns, records

    def __len__(self) -> int:
        return len(self.records.cells)

    def __iter__(self) -> Iterator[Row]:
        columns = self.columns
        for number, cells in zip(self.records.numbers, self.records.cells, strict=True):
            yield Row(number, dict(zip(columns, cells, strict=True)))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self)[index]
        cells = self.records.cells[index]
        return Row(self.records.numbers[index], dict(zip(self.columns, cells, strict=True)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RecordRows({len(self)} rows)"


@dataclass(frozen=True)
class Table:
    """A parsed file: the header names in order and the data rows beneath them; `records`,
    when the parser has them, are the same rows as plain lists of cells."""

    columns: tuple[str, ...]
    rows: Sequence[Row]
    records: Records | None = field(default=None, compare=False, repr=False)


def clean_cell(value: object) -> str:
    """A cell's text with surrounding whitespace and non-breaking spaces tidied away."""
    if value is None:
        return ""
    text = str(value).replace("\u00a0", " ").replace("\r\n", "\n")
    return (
        " ".join(text.split())
        if "\n" not in text
        else "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    )
