"""Runs: what a source's releases stated, kept as stretches of consecutive releases.

A run says "every release of this source from `first` to `last` stated this value for this
organisation's attribute". Runs are maximal, and a release that does not state the attribute
breaks them, so they record exactly what each release said while costing one row per stretch
rather than one per release. `apply_release` updates the runs of one source in memory for one
release, in any order; `facts_from_runs` turns a key's runs into valid-time facts. Both are pure.
A run the newest release still states is open: its `last` is `OPEN` (stored as null), so
appending a release that restates a value touches nothing.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Release, Statement
from .derive import StatedFact

Key = tuple[str, str]  # (org_code, attribute)
OPEN = "9999-12-31"  # the `last` of a run the source's newest release states; after any date


@dataclass(slots=True)
class Run:
    """One stretch of releases stating `statement`; `id` is its row, None until written."""

    id: int | None
    first: str
    last: str
    statement: Statement
    fetch_id: int | None


@dataclass
class SourceRuns:
    """A source's release dates (with completeness and fetch) and the runs of its keys."""

    dates: list[str]
    complete: dict[str, bool]
    fetches: dict[str, int | None]
    runs: dict[Key, list[Run]]
    removed: list[int] = field(default_factory=list)
    # org -> the statements the newest release made about it; None when not known yet
    newest: dict[str, tuple[Statement, ...]] | None = None

    @property
    def latest(self) -> str | None:
        """The effective date of the source's newest release."""
        return self.dates[-1] if self.dates else None


def apply_release(state: SourceRuns, release: Release) -> set[Key]:
    """Make `state` reflect `release` (new, backfilled or a correction); return the keys
    whose facts may have changed."""
    effective = release.effective
    is_new = effective not in state.complete
    appended = is_new and (state.latest is None or effective > state.latest)
    if appended and (state.latest is None or state.complete[state.latest] or not release.complete):
        return _append(state, release)
    state.newest = None
    was_complete = state.complete.get(effective, False)
    if appended:  # after an incomplete release, by a complete one: every open run closes first
        for runs in state.runs.values():
            if runs and runs[-1].last == OPEN:
                runs[-1].last = state.latest  # type: ignore[assignment]
    if is_new:
        insort(state.dates, effective)
    state.complete[effective] = release.complete
    state.fetches[effective] = release.fetch_id
    index = state.dates.index(effective)
    before = state.dates[index - 1] if index > 0 else None
    after = state.dates[index + 1] if index + 1 < len(state.dates) else None
    stated = {(s.org_code, s.attribute): s for s in release.statements}
    affected: set[Key] = set()
    kept_fetch: dict[Key, tuple[str, int | None]] = {}
    if not appended:
        for key, runs in state.runs.items():
            for position, run in enumerate(runs):
                if run.first <= effective <= run.last:
                    if not is_new:
                        kept_fetch[key] = (run.statement.value_key, run.fetch_id)
                    runs[position : position + 1] = _without(state, run, before, after)
                    affected.add(key)
                    break
    if release.complete or was_complete:
        complete_before = [d for d in state.dates if state.complete[d] and d != effective]
        for key, runs in state.runs.items():
            if key not in stated and _ends_at(runs, effective, complete_before):
                affected.add(key)  # a complete release now ends (or no longer ends) its fact
    for key, statement in stated.items():
        fetch_id = release.fetch_id
        if key in kept_fetch and kept_fetch[key][0] == statement.value_key:
            fetch_id = kept_fetch[key][1]
        _add(state, key, statement, effective, before, after, fetch_id)
        affected.add(key)
    return affected


def _ends_at(runs: list[Run], effective: str, complete_before: list[str]) -> bool:
    """True when the key's fact, stated until before `effective`, reaches `effective`
    without an earlier complete release ending it."""
    earlier = [run for run in runs if run.last < effective]
    if not earlier:
        return False
    last = max(earlier, key=lambda run: run.last).last
    end = _first_complete_after(complete_before, last)
    return end is None or end > effective


def _without(state: SourceRuns, run: Run, before: str | None, after: str | None) -> list[Run]:
    """`run` with the release at the date between `before` and `after` taken out of it."""
    pieces = []
    if before is not None and run.first <= before:
        pieces.append(Run(run.id, run.first, before, run.statement, run.fetch_id))
    if after is not None and run.last >= after:
        right_id = None if pieces else run.id
        pieces.append(Run(right_id, after, run.last, run.statement, state.fetches.get(after)))
    if not pieces and run.id is not None:
        state.removed.append(run.id)
    return pieces


def _add(
    state: SourceRuns, key: Key, statement: Statement, effective: str, before: str | None,
    after: str | None, fetch_id: int | None,
) -> None:  # fmt: skip
    """Record that the release at `effective` stated `statement`, joining the runs beside it
    when they state the same value."""
    runs = state.runs.setdefault(key, [])
    left = next((r for r in runs if before is not None and r.last == before), None)
    right = next((r for r in runs if after is not None and r.first == after), None)
    same = statement.value_key
    last = OPEN if effective == state.latest else effective
    if left is not None and left.statement.value_key == same:
        left.last = last
        if right is not None and right.statement.value_key == same:
            left.last = right.last
            runs.remove(right)
            if right.id is not None:
                state.removed.append(right.id)
    elif right is not None and right.statement.value_key == same:
        right.first, right.statement, right.fetch_id = effective, statement, fetch_id
    else:
        runs.append(Run(None, effective, last, statement, fetch_id))
        runs.sort(key=lambda r: r.first)


def _append(state: SourceRuns, release: Release) -> set[Key]:
    """Add a release newer than every other (the common case): only values that differ from
    the newest release's, and keys it stated that this one does not, move."""
    before, effective, fetch_id = state.latest, release.effective, release.fetch_id
    state.dates.append(effective)
    state.complete[effective] = release.complete
    state.fetches[effective] = fetch_id
    newest = dict(state.newest) if state.newest is not None else _open_statements(state)
    rows = release.by_org if release.by_org is not None else _by_org(release.statements)
    affected: set[Key] = set()
    runs_of = state.runs
    for org, row in rows.items():
        previous = newest.pop(org, ())
        if row is previous:
            continue
        stated = {s.attribute for s in row}
        for statement in row:
            key = (org, statement.attribute)
            runs = runs_of.get(key)
            if runs is None:  # a list display holds one run exactly; append would reserve four
                runs_of[key] = [Run(None, effective, OPEN, statement, fetch_id)]
                affected.add(key)
                continue
            if runs and runs[-1].last == OPEN:
                if runs[-1].statement.value_key == statement.value_key:
                    continue
                runs[-1].last = before  # type: ignore[assignment]
            runs.append(Run(None, effective, OPEN, statement, fetch_id))
            affected.add(key)
        for statement in previous:
            if statement.attribute not in stated:
                key = (org, statement.attribute)
                runs_of[key][-1].last = before  # type: ignore[assignment]
                affected.add(key)
    for org, previous in newest.items():  # organisations this release no longer states
        for statement in previous:
            key = (org, statement.attribute)
            runs_of[key][-1].last = before  # type: ignore[assignment]
            affected.add(key)
    state.newest = rows
    return affected


def _open_statements(state: SourceRuns) -> dict[str, tuple[Statement, ...]]:
    """What the newest release stated, by organisation, read from the open runs."""
    return _by_org(r[-1].statement for r in state.runs.values() if r and r[-1].last == OPEN)


def _by_org(statements: Iterable[Statement]) -> dict[str, tuple[Statement, ...]]:
    grouped: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        grouped[statement.org_code].append(statement)
    return {org: tuple(row) for org, row in grouped.items()}


def facts_from_runs(runs: Iterable[Run], complete_dates: list[str]) -> list[StatedFact]:
    """The valid-time facts a key's runs imply.

    A value holds from the first release that stated it until a different value is stated or
    a complete release no longer states it; a release that merely stays silent changes nothing.
    """
    runs = list(runs)
    if len(runs) == 1:  # most keys: one stretch, one fact
        (run,) = runs
        return [_fact(run, run.first, _first_complete_after(complete_dates, run.last))]
    facts: list[StatedFact] = []
    current: Run | None = None
    start = ""
    stated_until = ""
    runs.sort(key=lambda r: r.first)
    for run in runs:
        if current is not None:
            end = _first_complete_after(complete_dates, stated_until)
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
        facts.append(_fact(current, start, _first_complete_after(complete_dates, stated_until)))
    return facts


def _first_complete_after(complete_dates: list[str], date: str) -> str | None:
    index = bisect_right(complete_dates, date)
    return complete_dates[index] if index < len(complete_dates) else None


def _fact(run: Run, valid_from: str, valid_to: str | None) -> StatedFact:
    s = run.statement
    return StatedFact(
        s.org_code, s.attribute, s.value, s.value_key, s.value_num, valid_from, valid_to,
        run.fetch_id, s.publisher, s.note,
    )  # fmt: skip
