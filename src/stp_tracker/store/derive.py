"""The facts and changes of valid-time history, and the changes a key's facts imply.

`runs.facts_from_runs` derives a key's facts from what its source's releases stated;
`changes_of` turns them into changes. Both are pure functions of the releases, which makes the
store order-independent and idempotent by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


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
    facts = list(facts)
    if len(facts) > 1:
        facts.sort(key=lambda f: f.valid_from)
    for fact in facts:
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
