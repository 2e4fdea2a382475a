"""Belief: compare what the derivation gives for the keys an apply moved with what is stored,
and say what to write. Facts are matched as whole versions, changes by the columns `changes`
shows (so a change that several versions in turn imply stays one change).
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from typing import TYPE_CHECKING

from .derive import DerivedChange, StatedFact, changes_of, facts_from_runs
from .versions import (
    Record,
    Version,
    Writes,
    believed_records,
    believed_versions,
    stored_fetch,
)

if TYPE_CHECKING:
    from .apply import ApplyResult
    from .source import Source

_DIRECTION = {"improved": 1, "declined": -1}
_DIRECTION_NAME = {1: "improved", -1: "declined"}


def rederive(
    source: Source, affected: set[tuple[str, str]], result: ApplyResult, *, first: bool
) -> Writes:
    """Derive the facts and changes of `affected` keys afresh and say how belief moves.

    `first` says the source had no releases before, so nothing is believed yet.
    """
    writes = Writes()
    if not affected:
        return writes
    ids = source.ids
    keys = {(ids.org(org), ids.attr(attribute)): (org, attribute) for org, attribute in affected}
    versions: dict[tuple[int, int], list[Version]] = defaultdict(list)
    records: dict[tuple[int, int], list[Record]] = defaultdict(list)
    closed: dict = {}
    if not first:
        found = believed_versions(source.conn, source.dates_by_id, keys)
        for version in found:
            versions[version.org, version.attr].append(version)
        for record in believed_records(source.conn, source.dates_by_id, keys):
            records[record.org, record.attr].append(record)
        if source.open_only:
            closed = source.closed_runs(keys, found)
    complete = source.state.complete_dates()
    for key in sorted(keys, key=keys.__getitem__):  # by name: numbering follows it
        named = keys[key]
        runs = closed.get(named, []) + source.state.runs.get(named, [])
        facts = facts_from_runs(runs, complete)
        _Key(source, key, writes, result).settle(
            facts, changes_of(facts, source.state.fetches), versions[key], records[key]
        )
    return writes


class _Key:
    """Settles one key: which versions and changes are kept, closed, retired or new."""

    def __init__(self, source: Source, key: tuple[int, int], writes: Writes,
                 result: ApplyResult) -> None:  # fmt: skip
        self.source, self.key, self.writes, self.result = source, key, writes, result
        self.ids = source.ids
        self.retiring: set[int] = set()  # ids of believed versions retired now
        self.changed: dict[int, Version] = {}
        self.inserted: dict[tuple[int, int], Version] = {}  # (value, valid_from) -> new version

    def settle(self, facts: list[StatedFact], changes: list[DerivedChange],
               believed: list[Version], records: list[Record]) -> None:  # fmt: skip
        self._facts(facts, believed)
        self._changes(changes, believed, records)
        self.writes.changed.extend(self.changed.values())

    def _target(self, fact: StatedFact) -> tuple[int, int, int | None, int | None]:
        value = self.ids.value_of(fact.value, fact.value_key, fact.value_num, fact.publisher,
                                  fact.note)  # fmt: skip
        valid_to = None if fact.valid_to is None else self.source.release_id(fact.valid_to)
        return value, self.source.release_id(fact.valid_from), valid_to, fact.fetch_id

    def _facts(self, facts: list[StatedFact], believed: list[Version]) -> None:
        source, result = self.source, self.result
        exact = {(v.value, v.valid_from, v.valid_to, source.fetch_of(v)): v for v in believed}
        rest = []
        for fact in facts:
            target = self._target(fact)
            if exact.pop(target, None) is None:
                rest.append(target)
        openers = {(v.value, v.valid_from, source.fetch_of(v)): v
                   for v in exact.values() if v.valid_to is None}  # fmt: skip
        for value, valid_from, valid_to, fetch_id in rest:
            version = openers.pop((value, valid_from, fetch_id), None) if valid_to else None
            if version is not None:  # an open-ended version the new history ends
                del exact[(value, valid_from, None, fetch_id)]
                version.valid_to, version.closed = valid_to, self.ids.apply()
                self.changed[version.id] = version
                result.facts_recorded += 1
                result.facts_retired += 1
                continue
            first_fetch = source.releases[source.dates_by_id[valid_from]].first_fetch_id
            new = Version(*self.key, valid_from, self.ids.apply(), valid_to, value, None,
                          stored_fetch(fetch_id, first_fetch), False)  # fmt: skip
            self.inserted[value, valid_from] = new
            self.writes.new.append(new)
            result.facts_recorded += 1
        for version in exact.values():
            version.retired = self.ids.apply()
            self.retiring.add(version.id)
            self.changed[version.id] = version
            result.facts_retired += 1

    def _changes(self, changes: list[DerivedChange], believed: list[Version],
                 records: list[Record]) -> None:  # fmt: skip
        standing: dict[tuple, list[Version | Record]] = defaultdict(list)
        for version in believed:
            if version.plain:
                standing[self._plain_identity(version)].append(version)
        for record in records:
            standing[self._record_identity(record)].append(record)
        for change in changes:
            kept = standing.get(change.identity())
            if kept:
                held = kept.pop()
                if isinstance(held, Version) and held.id in self.retiring:
                    self._to_record(held, retired=None)  # the change outlives its version
                continue
            self._record(change)
        for held in (h for found in standing.values() for h in found):
            self.result.changes_retired += 1
            if isinstance(held, Record):
                held.retired = self.ids.apply()
                self.writes.retired_records.append(held)
            elif held.id not in self.retiring:
                self._to_record(held, retired=self.ids.apply())

    def _plain_identity(self, version: Version) -> tuple:
        value, _, _, publisher, _ = self.ids.value_rows[version.value]
        date = self.source.dates_by_id[version.valid_from]
        return (None, value, date, self.source.fetch_of(version), None, publisher)

    def _record_identity(self, record: Record) -> tuple:
        rows = self.ids.value_rows
        old = None if record.old is None else rows[record.old][0]
        new, publisher = (
            (None, None) if record.new is None else (rows[record.new][0], rows[record.new][3])
        )
        date = self.source.dates_by_id[record.effective]
        return (old, new, date, record.fetch_id, _DIRECTION_NAME.get(record.direction or 0),
                publisher)  # fmt: skip

    def _to_record(self, version: Version, retired: int | None) -> None:
        """Keep a version's plain start as a record of its own: it is believed for a
        different time than the version from now on."""
        version.plain = False
        self.changed[version.id] = version
        self.writes.new_records.append(Record(
            *self.key, version.valid_from, version.recorded, None, version.value,
            self.source.fetch_of(version), None, version.id, retired,
        ))  # fmt: skip

    def _record(self, change: DerivedChange) -> None:
        """A change the stored history does not hold yet."""
        self.result.changes_recorded += 1
        self.result.changes_by_fetch[change.fetch_id] += 1
        new = change.new
        if change.old is None and new is not None:
            version = self.inserted.get(self._target(new)[:2])
            if version is not None and not version.plain:
                version.plain = True
                return
        self.writes.new_records.append(Record(
            *self.key, self.source.release_id(change.effective), self.ids.apply(),
            None if change.old is None else self._target(change.old)[0],
            None if new is None else self._target(new)[0],
            change.fetch_id, _DIRECTION.get(change.direction or ""), 0,
        ))  # fmt: skip


def add_pending(source: Source, writes: Writes, result: ApplyResult) -> None:
    """The facts of organisations first stated by this apply's complete releases and not
    changed since: each statement holds from its release, open-ended, from nothing. They are
    written as groups, one per organisation, without a version object each."""
    state, ids = source.state, source.ids
    if not state.pending:
        return
    apply = ids.apply()
    shapes: dict[tuple[str, ...], tuple[int, ...]] = {}
    for org, (first, row, fetch_id) in state.pending.items():
        org_id, release = ids.org(org), source.releases[first]
        fetch = stored_fetch(fetch_id, release.first_fetch_id)
        names = tuple(map(itemgetter(1), row))
        attrs = shapes.get(names) or shapes.setdefault(names, tuple(map(ids.attr, names)))
        values = ids.values_of(row)
        if fetch is None and len(row) > 1:
            writes.groups.append((org_id, release.id, apply, attrs, values))
        else:
            writes.new.extend(
                Version(org_id, attr, release.id, apply, None, value, None, fetch, True)
                for attr, value in zip(attrs, values, strict=True)
            )
        result.facts_recorded += len(row)
        result.changes_recorded += len(row)
        result.changes_by_fetch[fetch_id] += len(row)
