"""The derivation: a key's valid-time facts from what its source's releases stated, and the
changes those facts imply. The only place either is computed.

Both are pure functions of the releases, which makes the store order-independent and
idempotent by construction; `apply.py` compares what they give with what is believed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .runs import Run

OPEN = "9999-12-31"  # the `last` of a run the source's newest release states; after any date


class StatedFact(NamedTuple):
    """One interval of valid time over which a source held one value."""

    org_code: str
    attribute: str
    value: str
    value_key: str
    value_num: float | None
    valid_from: str
    valid_to: str | None
    fetch_id: int | None
    publisher: str | None
    note: str | None


class DerivedChange(NamedTuple):
    """A change in a source's valid-time history: from nothing (`old` None) is a first value,
    to nothing (`new` None) an ending."""

    old: StatedFact | None
    new: StatedFact | None
    effective: str
    fetch_id: int | None
    direction: str | None

    def identity(self) -> tuple:
        """What makes two changes the same change: the columns `changes` shows."""
        return (
            None if self.old is None else self.old.value,
            None if self.new is None else self.new.value,
            self.effective,
            self.fetch_id,
            self.direction,
            None if self.new is None else self.new.publisher,
        )


def direction(attribute: str, old: float | None, new: float | None) -> str | None:
    """'improved' or 'declined' for a move between ranked rating bands, else None."""
    if not attribute.startswith("rating.") or old is None or new is None or old == new:
        return None
    return "improved" if new > old else "declined"


def facts_from_runs(runs: Iterable[Run], complete_dates: Sequence[str]) -> list[StatedFact]:
    """The valid-time facts a key's runs imply.

    A value holds from the first release that stated it until a different value is stated or
    a complete release no longer states it; a release that merely stays silent changes nothing.
    """
    runs = sorted(runs, key=lambda r: r.first)
    facts: list[StatedFact] = []
    current: Run | None = None
    start = stated_until = ""
    for run in runs:
        if current is not None:
            end = first_complete_after(complete_dates, stated_until)
            if end is not None and end < run.first:
                facts.append(_fact(current, start, end))
                current = None
            elif current.statement.value_key == run.statement.value_key:
                stated_until = run.last
                continue
            else:
                facts.append(_fact(current, start, run.first))
                current = None
        current, start, stated_until = run, run.first, run.last
    if current is not None:
        facts.append(_fact(current, start, first_complete_after(complete_dates, stated_until)))
    return facts


def first_complete_after(complete_dates: Sequence[str], date: str) -> str | None:
    """The first of the (sorted) complete release dates after `date`, if any."""
    index = bisect_right(complete_dates, date)
    return complete_dates[index] if index < len(complete_dates) else None


def _fact(run: Run, valid_from: str, valid_to: str | None) -> StatedFact:
    s = run.statement
    return StatedFact(
        s.org_code, s.attribute, s.value, s.value_key, s.value_num, valid_from, valid_to,
        run.fetch_id, s.publisher, s.note,
    )  # fmt: skip


def changes_of(
    facts: Sequence[StatedFact], release_fetch: dict[str, int | None]
) -> list[DerivedChange]:
    """The changes a key's facts (in valid-time order) imply.

    The first value is a change from nothing; a value that ends with nothing after it is a
    change to nothing; restating a value is never a change because intervals already merged it.
    `release_fetch` maps an effective date to the fetch of the release at that date.
    """
    found: list[DerivedChange] = []
    previous: StatedFact | None = None
    for fact in facts:
        if previous is not None and previous.valid_to == fact.valid_from:
            moved = direction(fact.attribute, previous.value_num, fact.value_num)
            found.append(DerivedChange(previous, fact, fact.valid_from, fact.fetch_id, moved))
        else:
            if previous is not None and previous.valid_to is not None:
                found.append(_ended(previous, release_fetch))
            found.append(DerivedChange(None, fact, fact.valid_from, fact.fetch_id, None))
        previous = fact
    if previous is not None and previous.valid_to is not None:
        found.append(_ended(previous, release_fetch))
    return found


def _ended(fact: StatedFact, release_fetch: dict[str, int | None]) -> DerivedChange:
    assert fact.valid_to is not None
    return DerivedChange(fact, None, fact.valid_to, release_fetch.get(fact.valid_to), None)
