"""What extraction remembers between the files of one run, so a backfill does each distinct
piece of work once.

A `Memory` belongs to one run (the pipeline makes one per ingest): nothing outlives it, so no
test or long-running service has anything to clear. Normalised values are kept per scale and
kind of attribute. Rows are kept for two files per source configuration (this one and the
previous), keyed by the organisation and raw cells: an unchanged row yields the identical
statements tuple, which the store recognises without comparing values, and a changed row reuses
the statements of its unchanged cells.
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import Scale
from ..model import Statement
from .normalise import value_for

Normalised = tuple[str, str, float | None] | ValueError
# The statements by row key, and each organisation's row key, of one file.
Generation = tuple[dict[str, tuple[Statement, ...]], dict[str, str]]


class Memory:
    """What one run has read: normalised values, and the rows of its last two files."""

    def __init__(self) -> None:
        self._values: dict[tuple | None, dict[str, dict[str, Normalised]]] = {}
        self._rows: dict[tuple, list[Generation]] = {}

    def rows(self, scope: tuple) -> tuple[Generation, Generation]:
        """A fresh memory for this file's rows, and the previous file's (the one to consult)."""
        generations = self._rows.setdefault(scope, [({}, {})])
        generations[:] = [({}, {}), generations[0]]
        return generations[0], generations[1]

    def normaliser(self, scale: Scale | None) -> Callable[[str, str], Normalised]:
        """value_for, remembering each distinct (kind of attribute, raw text) it normalised:
        a backfill restates most values."""
        by_kind = self._values.setdefault(scale_key(scale), {})
        tables: dict[str, dict[str, Normalised]] = {}

        def normalise(attribute: str, raw: str) -> Normalised:
            table = tables.get(attribute)
            if table is None:  # one memory per kind (rating, metric, ...), found once per attribute
                table = tables[attribute] = by_kind.setdefault(attribute.split(".", 1)[0], {})
            found = table.get(raw)
            if found is None:
                if len(table) > 1_000_000:  # bounded, whatever a run reads
                    table.clear()
                try:
                    found = value_for(attribute, raw, scale)
                except ValueError as exc:
                    found = exc
                table[raw] = found
            return found

        return normalise


def unchanged_statements(
    earlier: dict[str, tuple[Statement, ...]], before: str | None, row_key: str,
    targets: list[str],
) -> dict[str, Statement] | None:  # fmt: skip
    """The statements of the organisation's previous row whose cells this row repeats, by
    attribute, so a row with one changed cell makes one new statement, not one per cell."""
    if before is None or before not in earlier:
        return None
    then, now = before.split("\x1f"), row_key.split("\x1f")
    if then[:3] != now[:3] or len(then) != len(now):
        return None
    same = {target for target, a, b in zip(targets, then[3:], now[3:], strict=True) if a == b}
    return {s.attribute: s for s in earlier[before] if s.attribute in same}


def scale_key(scale: Scale | None) -> tuple | None:
    """A hashable stand-in for a scale, to key the memories by."""
    return (scale.name, scale.labels, tuple(sorted(scale.synonyms.items()))) if scale else None
