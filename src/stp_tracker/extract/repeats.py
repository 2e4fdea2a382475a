"""Rows that repeat an organisation within one release: combine them, or say where they differ.

Real lookups name an organisation on many rows (a trust-to-STP lookup names each STP once per
trust, with the trust's own columns unmapped), so repeating an organisation is no error. By
default the rows must agree: an attribute several rows state must have the same value once
normalised ("Red" and "Needs most improvement" agree), and the first row's statement (its
spelling, publisher and note) is the one kept; a blank cell states nothing, so it never
disagrees. A source may declare how rows combine instead (`aggregate`):

- ``"sum"``: `metric.*` values are added up (the rows are parts of the organisation: one per
  trust, say); every other attribute must still agree.
- ``"last"``: for every attribute, the last row that states it wins (a file whose later rows
  supersede earlier ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..config import AGGREGATES
from ..model import Statement
from .normalise import number


@dataclass(frozen=True)
class Clash:
    """Two rows that state different values of one attribute of one organisation."""

    attribute: str
    kept: Statement
    new: Statement
    rows: tuple[int, int] = (0, 0)  # the row that stated `kept`, and the one stating `new`
    how: str | None = None

    def describe(self, organisation: str, effective: str) -> str:
        """What a person reads about the two rows, and what they can do about it."""
        if self.how == "sum":
            advice = 'aggregate = "sum" adds up metrics only; other values must agree'
        else:
            advice = (
                "rows that repeat an organisation must agree, unless the source sets "
                'aggregate = "sum" (metrics) or aggregate = "last"'
            )
        return (
            f"{organisation} is on rows {self.rows[0]} and {self.rows[1]} of the release of "
            f"{effective} with different values of {self.attribute}: {self.kept.value!r} and "
            f"{self.new.value!r}; {advice}"
        )


class Repeats:
    """The rows of one file that repeat an organisation, combined as the source says, with
    the row that stated each attribute remembered for messages."""

    def __init__(self, how: str | None) -> None:
        self.how = how
        self.stated_on: dict[object, dict[str, int]] = {}  # group -> attribute -> row

    def add(
        self, group: object, seen: tuple[int, tuple[Statement, ...]], row: int,
        stated: tuple[Statement, ...],
    ) -> tuple[tuple[Statement, ...], Clash | None]:  # fmt: skip
        """The statements of `group` so far (`seen`: its first row and statements) combined
        with those of another `row`, or the clash that stops them combining."""
        rows = self.stated_on.setdefault(group, {s.attribute: seen[0] for s in seen[1]})
        merged, clash = combine(seen[1], stated, self.how)
        if clash is not None:
            pair = (rows.get(clash.attribute, seen[0]), row)
            return merged, Clash(clash.attribute, clash.kept, clash.new, pair, self.how)
        for statement in stated:
            if self.how == "last":
                rows[statement.attribute] = row
            else:
                rows.setdefault(statement.attribute, row)
        return merged, None


def combine(
    kept: tuple[Statement, ...], new: tuple[Statement, ...], how: str | None
) -> tuple[tuple[Statement, ...], Clash | None]:
    """The statements of an organisation stated by an earlier row (`kept`) and a repeat of it
    (`new`), combined as `how` says (None: they must agree); or the first clash."""
    merged = {statement.attribute: statement for statement in kept}
    for statement in new:
        before = merged.get(statement.attribute)
        if before is None or how == "last":
            merged[statement.attribute] = statement
        elif how == "sum" and statement.attribute.startswith("metric."):
            merged[statement.attribute] = _added(before, statement)
        elif before.value_key != statement.value_key:
            return kept, Clash(statement.attribute, before, statement)
    return tuple(merged.values()), None


def _added(before: Statement, statement: Statement) -> Statement:
    """A metric statement whose value is the sum of two, in exact decimal arithmetic."""
    total = Decimal(repr(before.value_num)) + Decimal(repr(statement.value_num))
    text = str(int(total)) if total == total.to_integral_value() else str(total.normalize())
    value, key, value_num = number(text)
    return before._replace(value=value, value_key=key, value_num=value_num)


__all__ = ["AGGREGATES", "Clash", "Repeats", "combine"]
