"""What extraction remembers between the files of one run, so a backfill does each distinct
piece of work once.

A `Memory` belongs to one run (the pipeline makes one per ingest): nothing outlives it, so no
test or long-running service has anything to clear. Normalised values are kept per scale and
kind of attribute. Rows are kept per source configuration and resolver (`RowMemory`), by their
raw cells: what a row's cells identified and stated, and the dates on which those cells
identify the same organisation with nothing to report (`Recalled`). A row whose cells the run
has read before is then taken whole, before any identification, normalisation or statement is
made, and yields the identical statements tuple, which the store recognises without comparing
values; a changed row reuses the statements of its unchanged cells.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from operator import is_
from typing import NamedTuple

from ..config import Scale
from ..model import Statement
from .normalise import value_for

Normalised = tuple[str, str, float | None] | ValueError
TRIM_SPARE = 10_000  # rows remembered beyond two per organisation before the memory is trimmed


class Recalled(NamedTuple):
    """What one row's raw `cells` read as: the organisation and the statements it made. The
    same cells identify `org` with nothing to report (no organisation created, no fuzzy match)
    on every date from `low` until before `high`; an empty interval (low == high) means they
    must be identified again. `used` is the people's alias they resolved by, if any."""

    org: str
    stated: tuple[Statement, ...]
    low: str
    high: str
    used: tuple[str, str] | None
    cells: tuple[str, ...]


class RowMemory:
    """The rows one source configuration's files have stated in a run: by their raw cells, and
    the latest row read afresh for each organisation (to reuse its unchanged cells)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, ...], Recalled] = {}
        self.orgs: dict[str, Recalled] = {}
        # (header, delimiter, date column) -> a line (less its date) -> what its row read as
        self.lines: dict[tuple, dict[str, Recalled]] = {}

    def by_line(self, layout: tuple) -> dict[str, Recalled]:
        """The rows remembered by their lines, for files of one `layout` (a line's cells
        depend on the header and the delimiter; the date column is left out of it)."""
        return self.lines.setdefault(layout, {})

    def keep(self, recalled: Recalled) -> None:
        """Remember a row read afresh."""
        self.rows[recalled.cells] = recalled
        self.orgs[recalled.org] = recalled

    def forget(self, orgs: Collection[str]) -> None:
        """Forget the rows of `orgs`: organisations a file that failed would have created, so
        never learned by the run."""
        self.rows = {cells: r for cells, r in self.rows.items() if r.org not in orgs}
        for lines in self.lines.values():
            for line in [line for line, r in lines.items() if r.org in orgs]:
                del lines[line]
        for org in orgs:
            self.orgs.pop(org, None)

    def trim(self) -> None:
        """Keep the memory bounded whatever the run reads: once it holds many more rows than
        organisations, only each organisation's latest row read afresh stays."""
        bound = 2 * len(self.orgs) + TRIM_SPARE
        if len(self.rows) > bound:
            self.rows = {recalled.cells: recalled for recalled in self.orgs.values()}
        if sum(map(len, self.lines.values())) > bound:
            self.lines.clear()


class Memory:
    """What one run has read: normalised values, dates, and rows by source configuration."""

    def __init__(self) -> None:
        self._values: dict[tuple | None, dict[str, dict[str, Normalised]]] = {}
        self._rows: dict[tuple, RowMemory] = {}
        self._scoped: list[object] = []  # what the scopes name by id, kept so no id is reused
        self.dates: dict[str, str] = {}  # a date cell's text -> the ISO date it reads as

    def rows(self, scope: tuple, *owners: object) -> RowMemory:
        """The rows remembered for `scope`, a tuple naming the source configuration; `owners`
        are objects the scope names by id (the resolver), kept alive with the memory."""
        found = self._rows.get(scope)
        if found is None:
            found = self._rows[scope] = RowMemory()
            self._scoped.extend(owners)
        return found

    def normaliser(self, scale: Scale | None) -> Normaliser:
        """value_for, remembering what it normalised for this run (per scale)."""
        return Normaliser(self._values.setdefault(scale_key(scale), {}), scale)


class Normaliser:
    """value_for, remembering each distinct (kind of attribute, raw text) it normalised: a
    backfill restates most values. Blank text is never normalised, so never remembered."""

    def __init__(self, by_kind: dict[str, dict[str, Normalised]], scale: Scale | None) -> None:
        self.by_kind, self.scale = by_kind, scale
        self.by_attribute: dict[str, dict[str, Normalised]] = {}
        self.by_attributes: dict[tuple[str, ...], list[dict[str, Normalised]]] = {}

    def table(self, attribute: str) -> dict[str, Normalised]:
        """What values of `attribute`'s kind (rating, metric, ...) normalised to so far."""
        table = self.by_attribute.get(attribute)
        if table is None:
            kind = attribute.split(".", 1)[0]
            table = self.by_attribute[attribute] = self.by_kind.setdefault(kind, {})
        return table

    def known(self, attributes: tuple[str, ...], values: Sequence[str]) -> list[Normalised | None]:
        """What each of a row's values (of `attributes`) normalised to before, or None (new or
        blank): looked up in C, a row at a time."""
        tables = self.by_attributes.get(attributes)
        if tables is None:
            tables = self.by_attributes[attributes] = list(map(self.table, attributes))
        return list(map(dict.get, tables, values))

    def __call__(self, attribute: str, raw: str) -> Normalised:
        table = self.table(attribute)
        found = table.get(raw)
        if found is None:
            if len(table) > 1_000_000:  # bounded, whatever a run reads
                table.clear()
            try:
                found = value_for(attribute, raw, self.scale)
            except ValueError as exc:
                found = exc
            table[raw] = found
        return found


def unchanged_statements(
    before: Recalled | None, cells: tuple[str, ...], context: int, targets: Sequence[str]
) -> dict[str, Statement] | None:
    """The statements of an organisation's previous row (`before`) whose cells this row's
    `cells` repeat, by attribute, so a row with one changed cell makes one new statement, not
    one per cell. The first `context` cells (publisher, note) must be the same; the last
    cells are the targets' values."""
    if before is None or before.cells[:context] != cells[:context]:
        return None
    count = len(targets)
    then, now = before.cells[-count:] if count else (), cells[-count:] if count else ()
    same = {target for target, a, b in zip(targets, then, now, strict=True) if a == b}
    return {s.attribute: s for s in before.stated if s.attribute in same}


def same_row(stated: tuple[Statement, ...], before: Recalled | None) -> tuple[Statement, ...]:
    """`before`'s statements tuple itself when `stated` holds exactly its statements (the same
    objects, in order), so the store sees an unchanged row as the same tuple; else `stated`."""
    if before is None or len(stated) != len(before.stated):
        return stated
    return before.stated if all(map(is_, stated, before.stated)) else stated


def scale_key(scale: Scale | None) -> tuple | None:
    """A hashable stand-in for a scale, to key the memories by."""
    return (scale.name, scale.labels, tuple(sorted(scale.synonyms.items()))) if scale else None
