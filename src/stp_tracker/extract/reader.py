"""Reading one file's rows into statements by effective date: each row identified on its date
(identify.py), its values normalised, repeated organisations combined (repeats.py).

A row is read afresh by `FileReader.read`, and what it read is kept in the run's memory
(memo.py), from which `bulk.py` takes the rows a later file repeats.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter

from ..config import ROW_TARGETS, Kinds, Scale, SourceConfig
from ..errors import ParseError
from ..model import Event, Statement
from ..resolve.resolver import Resolver
from .dates import parse_date
from .identify import Identified, Identifier
from .memo import Memory, Normaliser, Recalled, same_row, scale_key, unchanged_statements
from .normalise import fold
from .repeats import Clash, Repeats

_ATTRIBUTE = re.compile(r"^(rating|metric|leader)\.[a-z0-9_]+$")
KEPT_PROBLEMS = 20  # row problems a file's error keeps; the rest are counted
Statements = dict[str, dict[object, tuple[int, tuple[Statement, ...]]]]
_NEW = tuple.__new__  # a named tuple made in C (its own __new__ is Python)


class RowDates:
    """Each row's effective date: the fixed one, else its effective_column parsed (once per
    distinct text in a run: `parsed` is the run's memory of dates)."""

    def __init__(
        self, fixed: str | None, column: str | None, origin: str, parsed: dict[str, str]
    ) -> None:
        self.fixed, self.column, self.origin, self.parsed = fixed, column, origin, parsed

    def of(self, cells: dict[str, str], row: int, *, required: bool) -> str | None:
        if self.fixed:
            return self.fixed
        raw = cells.get(self.column or "", "")
        if not raw:
            if not required:
                return None
            raise ParseError("no effective date", file=self.origin, row=row, field=self.column)
        found = self.parsed.get(raw)
        if found is None:
            found = self.parsed[raw] = read_date(raw, self.origin, row, self.column)
        return found


class FileReader:
    """Reads one file's rows into statements by effective date, and events."""

    def __init__(
        self, source: SourceConfig, columns: dict[str, str], origin: str, resolver: Resolver,
        scale: Scale | None, kinds: Kinds, dates: RowDates, memory: Memory,
    ) -> None:  # fmt: skip
        self.source, self.origin, self.resolver, self.dates = source, origin, resolver, dates
        self.column = column = columns.get
        self.code_col, self.name_col = column("org.code"), column("org.name")
        # Columns of row targets; a name no column has when unmapped, so a lookup finds nothing.
        unmapped = "\x00unmapped"
        self.kind_col, self.reported_col = column("kind", unmapped), column("reported_on", unmapped)
        self.publisher_col, self.note_col = column("publisher", unmapped), column("note", unmapped)
        self.attribute_col = column("attribute", unmapped)
        self.value_col = column("value", unmapped)
        self.identifier = Identifier(
            resolver, source, kinds, origin, (self.code_col, self.name_col)
        )
        mapped = [(t, c) for t, c in columns.items() if t not in ROW_TARGETS]
        if source.creates and self.name_col:
            mapped.append(("org.name", self.name_col))
        self.targets = tuple(t for t, _ in mapped)
        self.raw_columns = [c for _, c in mapped]
        # A row's raw cells as the memory keys it: publisher and note (the context every
        # statement carries), code and name, then the targets' values.
        context = [c for c in (column("publisher"), column("note")) if c]
        self.context = len(context)
        names = [c for c in (self.code_col, self.name_col) if c]
        self.key_columns = [*context, *names, *self.raw_columns]
        self.key_of = cells_getter(self.key_columns)
        self.key_of_cells = self.key_of  # by position, for a file read by bulk.py
        scope = (id(source), id(resolver), scale_key(scale), source.layout, self.targets,
                 self.context, len(names))  # fmt: skip
        self.remembered = memory.rows(scope, source, resolver)
        self.normalise = memory.normaliser(scale)
        self.statements: Statements = defaultdict(dict)
        self.events: list[Event] = []
        self.long_layout = source.layout == "long"
        self.repeats = Repeats(source.aggregate)
        self.problems: list[ParseError] = []
        self.problem_count = 0

    def fail(self, message: str, row: int, field: str | None = None) -> ParseError:
        return ParseError(message, file=self.origin, row=row, field=field)

    def read_all(self, rows: Iterable[tuple[int, dict[str, str]]]) -> None:
        """Read every row afresh."""
        for number, cells in rows:
            self.attempt(number, cells)

    def attempt(self, number: int, cells: dict[str, str]) -> Recalled | None:
        """Read a row afresh; a row that cannot be read is kept as a problem and the rest are
        still read, so every name problem in the file is reported at once. Returns what the
        memory keeps of a wide row."""
        try:
            return self.read(number, cells)
        except ParseError as problem:
            self.problem_count += 1
            if len(self.problems) < KEPT_PROBLEMS:
                self.problems.append(problem)
        return None

    def read(self, number: int, cells: dict[str, str]) -> Recalled | None:
        """Identify one row's organisation on its date and keep what it states; returns what
        the memory keeps of a wide row."""
        code = cells.get(self.code_col, "") if self.code_col else ""
        name = cells.get(self.name_col, "") if self.name_col else ""
        if not code and not name:
            raise self.fail("no organisation code or name", number, self.code_col or self.name_col)
        event = self.long_layout and cells.get(self.kind_col, "").strip().lower() == "event"
        effective = self.dates.fixed or self.dates.of(cells, number, required=not event)
        reported = cells.get(self.reported_col, "") if event else ""
        if reported:
            reported = read_date(reported, self.origin, number, self.reported_col)
        identified = self.identifier.identify(number, code, name, effective or reported or None)
        if identified is None:
            return None
        publisher = cells.get(self.publisher_col) or self.source.publisher
        note = cells.get(self.note_col) or None
        if not self.long_layout:
            assert effective is not None  # required for every row that is not an event
            recalled = self._wide(
                number, identified, effective, self.key_of(cells), publisher, note
            )
            self._state(number, identified.org, identified.org, effective, recalled.stated)
            return recalled
        org = identified.org
        attribute = cells.get(self.attribute_col, "").strip()
        if not _ATTRIBUTE.match(attribute):
            raise self.fail(
                f"{attribute!r} is not an attribute like rating.overall or leader.chair",
                number,
                self.attribute_col,
            )
        value = cells.get(self.value_col, "")
        if event:
            self.events.append(Event(org, attribute, value, reported or None, publisher, note))
            return None
        assert effective is not None
        stated = statements_of(org, (attribute,), (value,), (self.column("value"),), publisher,
                               note, self.normalise, self.fail, number)  # fmt: skip
        self._state(number, org, (org, attribute), effective, stated)
        return None

    def _wide(
        self, number: int, identified: Identified, effective: str, cells: tuple[str, ...],
        publisher: str | None, note: str | None,
    ) -> Recalled:  # fmt: skip
        """The statements a wide row makes, reusing what the run remembers of the same cells or
        of the organisation's previous row, and remembered in turn."""
        org, remembered = identified.org, self.remembered
        same = remembered.rows.get(cells)
        if same is not None and same.org == org:
            stated = same.stated  # the same cells of the same organisation
        else:
            before = remembered.orgs.get(org)
            kept = unchanged_statements(before, cells, self.context, self.targets)
            values = cells[len(cells) - len(self.targets) :]
            stated = statements_of(org, self.targets, values, self.raw_columns, publisher, note,
                                   self.normalise, self.fail, number, kept)  # fmt: skip
            if identified.code is not None:  # a recoded organisation states its code
                code = identified.code
                stated = (*stated, Statement(org, "org.code", code, fold(code), None, publisher,
                                             note))  # fmt: skip
            stated = same_row(stated, before)
        low, high = identified.low, identified.high
        recalled: Recalled = _NEW(Recalled, (org, stated, low, high, identified.used, cells))
        remembered.keep(recalled)
        return recalled

    def _state(
        self, number: int, org: str, group: object, effective: str,
        stated: tuple[Statement, ...],
    ) -> None:  # fmt: skip
        """Keep the statements a row makes in its release, combined with an earlier row's of
        the same organisation."""
        seen = self.statements[effective].get(group)
        if seen is not None:  # a row repeating the organisation: combine, or say where they differ
            stated, clash = self.repeats.add((effective, group), seen, number, stated)
            if clash is not None:
                display = f"{self.resolver.display.get(org, org)} ({org})"
                raise self.fail(clash.describe(display, effective), number, self._column_of(clash))
            number = seen[0]
        self.statements[effective][group] = (number, stated)

    def _column_of(self, clash: Clash) -> str | None:
        """The file's column that states the attribute rows disagree about."""
        if clash.attribute == "org.code" or self.long_layout:
            return self.code_col if clash.attribute == "org.code" else self.column("value")
        return self.raw_columns[self.targets.index(clash.attribute)]


def cells_getter(keys: Sequence[object]) -> Callable[[object], tuple[str, ...]]:
    """A function giving a row's cells at `keys` (names of a dict's, positions of a list's) as
    a tuple (itemgetter, in C)."""
    if len(keys) == 1:
        only = keys[0]
        return lambda cells: (cells[only],)  # type: ignore[index]
    if not keys:
        return lambda cells: ()
    return itemgetter(*keys)  # type: ignore[return-value]


def statements_of(
    org: str, attributes: tuple[str, ...], values: Sequence[str], columns: Sequence[str | None],
    publisher: str | None, note: str | None, normalise: Normaliser,
    fail: Callable[..., ParseError], row: int, kept: dict[str, Statement] | None = None,
) -> tuple[Statement, ...]:  # fmt: skip
    """The statements one row makes: each attribute's value (from its column), normalised,
    blanks skipped; `kept` holds statements to reuse for cells unchanged since the previous
    row."""
    stated = []
    known = normalise.known(attributes, values)
    for attribute, raw, column, normalised in zip(attributes, values, columns, known, strict=True):
        if kept and attribute in kept:
            stated.append(kept[attribute])
            continue
        if normalised is None:
            if not raw.strip():
                continue
            normalised = normalise(attribute, raw)
        if isinstance(normalised, ValueError):
            raise fail(str(normalised), row, column)
        stated.append(_NEW(Statement, (org, attribute, *normalised, publisher, note)))
    return tuple(stated)


def read_date(text: str, origin: str, row: int, field: str | None) -> str:
    """A date cell as an ISO date, or the error naming its file, row and column."""
    return parse_date(text, file=origin, row=row, field=field)
