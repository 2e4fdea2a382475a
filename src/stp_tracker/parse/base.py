"""What every parser returns: a table of text cells with the row numbers a person would see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Row(NamedTuple):
    """One data row: `number` is its 1-based line or row number in the file, for messages."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    """A parsed file: the header names in order and the data rows beneath them."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]


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
