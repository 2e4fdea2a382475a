"""Runs: what a source's releases stated, kept as stretches of consecutive releases.

A run says "every release of this source from `first` to `last` stated this value for this
organisation's attribute". Runs are maximal, and a release that does not state the attribute
breaks them, so they record exactly what each release said. `apply_release` updates the runs
of one source in memory for one release, in any order, and says which keys may have moved. A
run the newest release still states is open: its `last` is `OPEN`.

An organisation first stated by a complete release appended to a complete source is *pending*:
its keys have one open run from that release each, kept as the release's row rather than a run
per key; a later release that changes some of them turns just those into runs. Most values
never change, so a large first load costs one entry per organisation; `derive.facts_from_runs`
of a pending key is the one open fact from `first`. Likewise an append to a complete source
reads the source's open facts as one row per organisation (`held`), compared with the
release's row by what they state; only an organisation the release changes or drops becomes
runs.
"""

from __future__ import annotations

from bisect import insort
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from ..model import Release, Statement
from .derive import OPEN, first_complete_after

Key = tuple[str, str]  # (org_code, attribute)
Row = tuple[Statement, ...]


@dataclass(slots=True)
class Run:
    """One stretch of releases stating `statement`."""

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
    # org -> (first, row, fetch) of an organisation whose keys all have one open run
    pending: dict[str, tuple[str, Row, int | None]] = field(default_factory=dict)
    # org -> the statements the newest release made about it; None when not known yet
    newest: dict[str, Row] | None = None
    # An append to a complete source reads its open facts as rows, not runs (see `held`):
    # org -> what its open facts state, and how to sign a release's row the same way.
    held: dict[str, frozenset] = field(default_factory=dict)
    sign: Callable[[Row], frozenset | None] = lambda row: None
    unhold: Callable[[str], list[tuple[str, Run]]] = lambda org: []

    @property
    def latest(self) -> str | None:
        """The effective date of the source's newest release."""
        return self.dates[-1] if self.dates else None

    def complete_dates(self) -> list[str]:
        """The dates of the source's complete releases, in order."""
        return [date for date in self.dates if self.complete[date]]

    def release_held(self, org: str) -> Row:
        """Turn a held organisation's open facts into runs; return what they state."""
        del self.held[org]
        stated = []
        for attribute, run in self.unhold(org):
            self.runs.setdefault((org, attribute), []).append(run)
            stated.append(run.statement)
        return tuple(stated)

    def materialise(self, org: str) -> set[Key]:
        """Turn a pending organisation into a run per key; return its keys."""
        first, row, fetch_id = self.pending.pop(org)
        keys = set()
        for statement in row:
            key = (org, statement.attribute)
            self.runs.setdefault(key, []).append(Run(first, OPEN, statement, fetch_id))
            keys.add(key)
        return keys


def apply_release(state: SourceRuns, release: Release) -> set[Key]:
    """Make `state` reflect `release` (new, backfilled or a correction); return the keys
    whose facts may have changed (a pending organisation's keys are not among them)."""
    effective = release.effective
    is_new = effective not in state.complete
    appended = is_new and (state.latest is None or effective > state.latest)
    if appended and (state.latest is None or state.complete[state.latest] or not release.complete):
        return _append(state, release)
    affected: set[Key] = set()
    for org in list(state.pending):
        affected |= state.materialise(org)
    for org in list(state.held):
        state.release_held(org)
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
        complete_before = [d for d in state.complete_dates() if d != effective]
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
    end = first_complete_after(complete_before, last)
    return end is None or end > effective


def _without(state: SourceRuns, run: Run, before: str | None, after: str | None) -> list[Run]:
    """`run` with the release at the date between `before` and `after` taken out of it."""
    pieces = []
    if before is not None and run.first <= before:
        pieces.append(Run(run.first, before, run.statement, run.fetch_id))
    if after is not None and run.last >= after:
        pieces.append(Run(after, run.last, run.statement, state.fetches.get(after)))
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
    elif right is not None and right.statement.value_key == same:
        right.first, right.statement, right.fetch_id = effective, statement, fetch_id
    else:
        runs.append(Run(effective, last, statement, fetch_id))
        runs.sort(key=lambda r: r.first)


def _append(state: SourceRuns, release: Release) -> set[Key]:
    """Add a release newer than every other (the common case): only values that differ from
    the newest release's, and keys it stated that this one does not, move."""
    before, effective, fetch_id = state.latest, release.effective, release.fetch_id
    pend = release.complete and all(state.complete.values())
    state.dates.append(effective)
    state.complete[effective] = release.complete
    state.fetches[effective] = fetch_id
    newest = dict(state.newest) if state.newest is not None else _open_statements(state)
    rows = release.by_org if release.by_org is not None else _by_org(release.statements)
    affected: set[Key] = set()
    runs_of, pending = state.runs, state.pending
    held = state.held
    for org, row in rows.items():
        stated_before = newest.pop(org, None)
        if row is stated_before:
            continue
        previous = stated_before or ()
        if org in held:  # open facts read as a row: the same row is no change at all
            if state.sign(row) == held[org]:
                continue
            previous = state.release_held(org)
        elif not previous and pend:  # a complete source's new organisation: see the docstring
            pending[org] = (effective, row, fetch_id)
            continue
        still = _keep_pending(state, org, row) if org in pending else ()
        stated = {s.attribute for s in row}
        for statement in row:
            if statement.attribute in still:
                continue
            key = (org, statement.attribute)
            runs = runs_of.get(key)
            if runs is None:  # a list display holds one run exactly; append would reserve four
                runs_of[key] = [Run(effective, OPEN, statement, fetch_id)]
                affected.add(key)
                continue
            if runs and runs[-1].last == OPEN:
                if runs[-1].statement.value_key == statement.value_key:
                    continue
                runs[-1].last = before  # type: ignore[assignment]
            runs.append(Run(effective, OPEN, statement, fetch_id))
            affected.add(key)
        for statement in previous:
            if statement.attribute not in stated:
                key = (org, statement.attribute)
                runs_of[key][-1].last = before  # type: ignore[assignment]
                affected.add(key)
    for org in [org for org in held if org not in rows]:  # held ones it no longer states
        newest[org] = state.release_held(org)
    for org, previous in newest.items():  # organisations this release no longer states
        if org in pending:
            affected |= state.materialise(org)
        for statement in previous:
            key = (org, statement.attribute)
            runs_of[key][-1].last = before  # type: ignore[assignment]
            affected.add(key)
    state.newest = rows
    return affected


def _keep_pending(state: SourceRuns, org: str, row: Row) -> Collection[str]:
    """The attributes of a pending organisation whose value `row` restates, which stay
    pending; the others become runs, for the release to close or change."""
    first, pending, fetch_id = state.pending.pop(org)
    now = {s.attribute: s.value_key for s in row}
    kept = tuple(s for s in pending if now.get(s.attribute, now) == s.value_key)
    for statement in pending:
        if now.get(statement.attribute, now) != statement.value_key:
            runs = state.runs.setdefault((org, statement.attribute), [])
            runs.append(Run(first, OPEN, statement, fetch_id))
    if kept:
        state.pending[org] = (first, kept, fetch_id)
    return {s.attribute for s in kept}


def _open_statements(state: SourceRuns) -> dict[str, Row]:
    """What the newest release stated, by organisation, read from the open runs."""
    found = _by_org(r[-1].statement for r in state.runs.values() if r and r[-1].last == OPEN)
    for org, (_, row, _) in state.pending.items():
        found[org] = row
    return found


def _by_org(statements: Iterable[Statement]) -> dict[str, Row]:
    grouped: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        grouped[statement.org_code].append(statement)
    return {org: tuple(row) for org, row in grouped.items()}
