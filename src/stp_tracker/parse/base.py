"""What every parser returns: a table of text cells with the row numbers a person would see."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Table:
    """A parsed file: the header names in order and the data rows beneath them."""

    columns: tuple[str, ...]
    rows: Sequence[Row]


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
