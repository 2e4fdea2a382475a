"""Lines of succession: whether the organisations a person's words name are one organisation
over time (Devon STP, then NHS Devon ICB) or unrelated ones.

A name or code used at different times can mean several organisations; when each of them
became the next (directly or through others), they are one line of succession and a lookup
by a person shows them all, oldest first, instead of failing as ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise


def succession(
    candidates: Iterable[str],
    links: Iterable[tuple[str, str]],
    lifetimes: dict[str, tuple[str | None, str | None]],
) -> list[str] | None:
    """`candidates` in order of succession when each one led (through lineage `links`, pairs
    of predecessor and successor) to the next, else None. `lifetimes` orders them first."""
    found = sorted(set(candidates), key=lambda c: (*_bounds(lifetimes.get(c)), c))
    if len(found) < 2:
        return found
    successors: dict[str, set[str]] = defaultdict(set)
    for predecessor, successor in links:
        successors[predecessor].add(successor)
    for earlier, later in pairwise(found):
        if not _reaches(successors, earlier, later):
            return None
    return found


def _bounds(lifetime: tuple[str | None, str | None] | None) -> tuple[str, str]:
    start, end = lifetime or (None, None)
    return start or "", end or "9999"


def _reaches(successors: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether lineage leads from `start` to `goal`."""
    todo, seen = [start], {start}
    while todo:
        for successor in successors.get(todo.pop(), ()):
            if successor == goal:
                return True
            if successor not in seen:
                seen.add(successor)
                todo.append(successor)
    return False


__all__ = ["succession"]
