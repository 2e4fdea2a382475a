"""Pure derivation of valid-time history from what a source's releases stated.

Given a source's releases in effective order and what each stated about one organisation's
attribute, `intervals` yields the facts (value, valid_from, valid_to) and `changes_of` the
changes those facts imply. Being pure functions of the set of releases, they make the store
order-independent and idempotent by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .model import Statement


@dataclass(frozen=True)
class ReleaseStamp:
    """A release's place in its source's history."""

    id: int
    effective: str
    complete: bool
    fetch_id: int | None


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
    """A change in a source's valid-time history: from None is a first value, to None an end."""

    org_code: str
    attribute: str
    old_value: str | None
    new_value: str | None
    effective: str
    fetch_id: int | None
    direction: str | None
    publisher: str | None


def intervals(
    releases: Sequence[ReleaseStamp], stated: dict[int, tuple[Statement, int | None]]
) -> list[StatedFact]:
    """The facts implied by `stated` (release id -> statement and its fetch) over `releases`.

    A statement of a different value starts a new interval; a complete release that does not
    state the attribute ends the current one; any other release's silence changes nothing.
    """
    facts: list[StatedFact] = []
    current: tuple[Statement, str, int | None] | None = None
    for release in releases:
        entry = stated.get(release.id)
        if entry is not None:
            statement, fetch_id = entry
            if current is not None and current[0].value_key == statement.value_key:
                continue
            if current is not None:
                facts.append(_fact(current, release.effective))
            current = (statement, release.effective, fetch_id)
        elif release.complete and current is not None:
            facts.append(_fact(current, release.effective))
            current = None
    if current is not None:
        facts.append(_fact(current, None))
    return facts


def _fact(current: tuple[Statement, str, int | None], valid_to: str | None) -> StatedFact:
    statement, valid_from, fetch_id = current
    return StatedFact(
        statement.org_code,
        statement.attribute,
        statement.value,
        statement.value_key,
        statement.value_num,
        valid_from,
        valid_to,
        fetch_id,
        statement.publisher,
        statement.note,
    )


def direction(attribute: str, old: float | None, new: float | None) -> str | None:
    """'improved' or 'declined' for a move between ranked rating bands, else None."""
    if not attribute.startswith("rating.") or old is None or new is None or old == new:
        return None
    return "improved" if new > old else "declined"


def changes_of(
    facts: Iterable[StatedFact], release_fetch: dict[str, int | None]
) -> list[DerivedChange]:
    """The changes a key's facts imply, in valid-time order.

    The first value is a change from None; a value that ends with nothing after it is a change
    to None; restating a value is never a change because intervals already merged it.
    `release_fetch` maps an effective date to the fetch of the release at that date.
    """
    found: list[DerivedChange] = []
    previous: StatedFact | None = None
    for fact in sorted(facts, key=lambda f: f.valid_from):
        if previous is not None and previous.valid_to == fact.valid_from:
            found.append(
                DerivedChange(
                    fact.org_code,
                    fact.attribute,
                    previous.value,
                    fact.value,
                    fact.valid_from,
                    fact.fetch_id,
                    direction(fact.attribute, previous.value_num, fact.value_num),
                    fact.publisher,
                )
            )
        else:
            if previous is not None and previous.valid_to is not None:
                found.append(_ended(previous, release_fetch))
            found.append(
                DerivedChange(
                    fact.org_code,
                    fact.attribute,
                    None,
                    fact.value,
                    fact.valid_from,
                    fact.fetch_id,
                    None,
                    fact.publisher,
                )
            )
        previous = fact
    if previous is not None and previous.valid_to is not None:
        found.append(_ended(previous, release_fetch))
    return found


def _ended(fact: StatedFact, release_fetch: dict[str, int | None]) -> DerivedChange:
    assert fact.valid_to is not None
    return DerivedChange(
        fact.org_code,
        fact.attribute,
        fact.value,
        None,
        fact.valid_to,
        release_fetch.get(fact.valid_to),
        None,
        None,
    )


def change_kind(attribute: str) -> str:
    """The `changes.kind` of an attribute: rating, leader, metric or organisation."""
    prefix = attribute.split(".", 1)[0]
    return {"rating": "rating", "leader": "leader", "metric": "metric"}.get(prefix, "organisation")
