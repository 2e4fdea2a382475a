"""From a parsed table to releases: map columns to attributes, identify organisations on each
row's date, normalise values and group rows by effective date, checking the release is well
formed.

Which organisation a row names is decided by `identify.Identifier`: among the organisations of
the source's kind that existed on the row's effective date, with rows that stand for an
aggregate skipped and names no rule resolves matched by fuzzy matching only when one
organisation is a clear, close winner. A fuzzy match travels with the release as an alias to
record, so it is kept (for review) only if the release is applied. Rows that repeat an
organisation in one release are combined (repeats.py). Every problem is reported against the
file, row and field it came from; a row that cannot be read does not stop the others, so one
run reports every name the file uses that does not resolve.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import itemgetter
from typing import cast

from ..config import ROW_TARGETS, Kinds, Scale, SourceConfig
from ..errors import ParseError
from ..model import Event, Release, RowStatements, Statement
from ..parse import Table
from ..resolve.resolver import Resolver
from .dates import parse_date
from .identify import FuzzyMatch, Identifier, Identities, Skipped, Unmatched
from .memo import Memory, scale_key, unchanged_statements
from .normalise import fold, org_name
from .repeats import Clash, Repeats

_ATTRIBUTE = re.compile(r"^(rating|metric|leader)\.[a-z0-9_]+$")
KEPT_PROBLEMS = 20  # row problems a file's error keeps; the rest are counted
_Statements = dict[str, dict[object, tuple[int, tuple[Statement, ...]]]]


@dataclass
class Extracted:
    """Releases read from one file, plus what identifying its rows found: names that could not
    be resolved, organisations it creates, fuzzy matches and skipped rows."""

    releases: list[Release]
    unmatched: list[Unmatched] = field(default_factory=list)
    records: int = 0
    identities: Identities = field(default_factory=Identities)
    # Rows that could not be read (a bad date, a value that is not a band, rows of one
    # organisation that disagree): the first few, and how many there were in all.
    problems: list[ParseError] = field(default_factory=list)
    problem_count: int = 0

    @property
    def created(self) -> dict[str, str]:
        """The organisations the file creates, code -> name."""
        return self.identities.created

    @property
    def fuzzy(self) -> list[FuzzyMatch]:
        """The names fuzzy matching accepted."""
        return list(self.identities.fuzzy.values())

    @property
    def skipped(self) -> list[Skipped]:
        """The rows left out as naming no single organisation."""
        return self.identities.skipped


def check_columns(table: Table, source: SourceConfig, origin: str) -> dict[str, str]:
    """The column a file uses for each mapped target (the first of its alternatives the file
    has); fail with the columns actually seen when a target has none (schema drift)."""
    chosen: dict[str, str] = {}
    missing: list[list[str]] = []
    present = set(table.columns)
    for target, alternatives in source.alternatives().items():
        found = next((column for column in alternatives if column in present), None)
        if found is None:
            missing.append(alternatives)
        else:
            chosen[target] = found
    if source.effective_column and not source.effective and source.effective_column not in present:
        missing.append([source.effective_column])
    if missing:
        seen = "columns seen: " + (", ".join(repr(c) for c in table.columns if c) or "none")
        if source.header_row == 0:  # columns are positions: say so, and how many there are
            seen = "the file has no header row (header_row = 0), so columns are numbered by "
            seen += f"position and it has '1' to '{len(table.columns)}'"
        names = ", ".join(" or ".join(repr(c) for c in columns) for columns in missing)
        raise ParseError(
            f"mapped column {names} not found (source {source.name!r}); {seen}",
            file=origin,
            field=missing[0][0],
        )
    return chosen


def _fixed_date(
    source: SourceConfig, as_of: str | None, published: str | None, origin: str
) -> str | None:
    """The effective date of every row, when the file does not give one per row."""
    fixed = as_of or (published if source.effective == "published" else source.effective)
    if source.effective == "published" and not fixed:
        raise ParseError("the source takes its date from Last-Modified; give --as-of", file=origin)
    if not fixed and not source.effective_column:
        raise ParseError(
            f"source {source.name!r} has no effective date: give --as-of, or set effective "
            "or effective_column in its configuration",
            file=origin,
        )
    return fixed


class _RowDates:
    """Each row's effective date: the fixed one, else its effective_column parsed (once per
    distinct text)."""

    def __init__(self, fixed: str | None, column: str | None, origin: str) -> None:
        self.fixed, self.column, self.origin = fixed, column, origin
        self.parsed: dict[str, str] = {}

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
            found = self.parsed[raw] = _date(raw, self.origin, row, self.column)
        return found


def extract(
    table: Table,
    source: SourceConfig,
    *,
    origin: str,
    resolver: Resolver,
    scale: Scale | None,
    as_of: str | None = None,
    published: str | None = None,
    fetch_id: int | None = None,
    kinds: Kinds | None = None,
    memory: Memory | None = None,
) -> Extracted:
    """Turn a parsed `table` into releases of `source`, one per effective date; `memory` is
    what the run read from earlier files (see memo.py)."""
    columns = check_columns(table, source, origin)
    if not table.rows:
        raise ParseError("the file has a header but no data rows", file=origin)
    reader = _FileReader(source, columns, origin, resolver, scale, kinds or Kinds(), memory)
    reader.dates = _RowDates(
        _fixed_date(source, as_of, published, origin), source.effective_column, origin
    )
    for row in table.rows:
        try:
            reader.read(row.number, row.cells)
        except ParseError as problem:  # keep reading: every name problem is reported at once
            reader.problem_count += 1
            if len(reader.problems) < KEPT_PROBLEMS:
                reader.problems.append(problem)
    found = reader.identifier.found
    if reader.problems:
        return Extracted(
            [], found.unmatched, len(table.rows), found, reader.problems, reader.problem_count
        )
    releases = _releases(source, reader.statements, found.created, fetch_id)
    if reader.events:
        if releases:
            last = releases[-1]
            releases[-1] = replace(last, events=tuple(reader.events))
        else:
            effective = reader.dates.fixed or max(
                (e.reported_on or "" for e in reader.events), default=""
            )
            releases.append(
                Release(source.name, effective, False, (), tuple(reader.events), fetch_id=fetch_id)
            )
    if found.fuzzy and releases:
        releases[0] = replace(releases[0], aliases=tuple(sorted(found.fuzzy)))
    return Extracted(releases, found.unmatched, records=len(table.rows), identities=found)


class _FileReader:
    """Reads one file's rows into statements by effective date, and events."""

    dates: _RowDates

    def __init__(
        self, source: SourceConfig, columns: dict[str, str], origin: str, resolver: Resolver,
        scale: Scale | None, kinds: Kinds, memory: Memory | None = None,
    ) -> None:  # fmt: skip
        self.source, self.origin, self.resolver = source, origin, resolver
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
        self.targets, self.raw_columns = [t for t, _ in mapped], [c for _, c in mapped]
        if source.creates and self.name_col:
            self.targets.append("org.name")
            self.raw_columns.append(self.name_col)
        self.read_raw = _reader(self.raw_columns)
        memory = memory or Memory()
        (self.memo, self.keys), (self.earlier, self.earlier_keys) = memory.rows(
            (source.name, scale_key(scale), source.layout, tuple(self.targets))
        )
        self.normalise = memory.normaliser(scale)
        self.statements: _Statements = defaultdict(dict)
        self.events: list[Event] = []
        self.long_layout = source.layout == "long"
        self.repeats = Repeats(source.aggregate)
        self.problems: list[ParseError] = []
        self.problem_count = 0

    def fail(self, message: str, row: int, field: str | None = None) -> ParseError:
        return ParseError(message, file=self.origin, row=row, field=field)

    def read(self, number: int, cells: dict[str, str]) -> None:
        """Identify one row's organisation on its date and keep what it states."""
        code = cells.get(self.code_col, "") if self.code_col else ""
        name = cells.get(self.name_col, "") if self.name_col else ""
        if not code and not name:
            raise self.fail("no organisation code or name", number, self.code_col or self.name_col)
        event = self.long_layout and cells.get(self.kind_col, "").strip().lower() == "event"
        effective = self.dates.fixed or self.dates.of(cells, number, required=not event)
        reported = cells.get(self.reported_col, "") if event else ""
        if reported:
            reported = _date(reported, self.origin, number, self.reported_col)
        identified = self.identifier.identify(number, code, name, effective or reported or None)
        if identified is None:
            return
        org, stated_code = identified
        publisher = cells.get(self.publisher_col) or self.source.publisher
        note = cells.get(self.note_col) or None
        if not self.long_layout:
            raw = self.read_raw(cells)
            group: object = org
        else:
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
                return
            raw, group = (attribute, value), (org, attribute)
        assert effective is not None  # required for every row that is not an event
        self._state(number, org, group, effective, raw, publisher, note, stated_code)

    def _state(
        self, number: int, org: str, group: object, effective: str, raw: tuple[str, ...],
        publisher: str | None, note: str | None, stated_code: str | None,
    ) -> None:  # fmt: skip
        """Keep the statements a row makes in its release, reusing remembered ones."""
        # One string keys the memory. Cleaned cells never hold the separator (clean_cell
        # treats \x1f as whitespace), so distinct rows give distinct keys.
        row_key = "\x1f".join((org, publisher or "", note or "", *raw))
        stated = self.earlier.get(row_key) or self.memo.get(row_key)
        if stated is None:
            kept = None
            if self.long_layout:
                pairs = [(raw[0], raw[1], self.column("value"))]
            else:
                pairs = list(zip(self.targets, raw, self.raw_columns, strict=True))
                kept = unchanged_statements(
                    self.earlier, self.earlier_keys.get(org), row_key, self.targets
                )
            stated = _statements(
                org, pairs, publisher, note, self.normalise, self.fail, number, kept
            )
        self.memo[row_key] = stated
        self.keys[org] = row_key
        if stated_code is not None and not self.long_layout:  # a recoded organisation's code
            code = Statement(org, "org.code", stated_code, fold(stated_code), None, publisher, note)
            stated = (*stated, code)
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


def _releases(
    source: SourceConfig, statements: _Statements, created: dict[str, str], fetch_id: int | None
) -> list[Release]:
    """One release per effective date, with the organisations it is the first to create."""
    origin_tag = f"source:{source.name}"
    releases = []
    for effective, by_key in sorted(statements.items()):
        by_org: dict[str, tuple[Statement, ...]] | None = None
        if source.layout == "wide":  # grouped by organisation code
            by_org = {cast(str, org): stated for org, (_, stated) in by_key.items()}
        releases.append(
            Release(
                source=source.name,
                effective=effective,
                complete=source.complete,
                statements=RowStatements(by_org)
                if by_org is not None
                else tuple(chain.from_iterable(map(itemgetter(1), by_key.values()))),
                fetch_id=fetch_id,
                organisations=tuple(
                    {
                        "code": code,
                        "name": created[code],
                        "kind": source.entity,
                        "valid_from": effective,
                        "origin": origin_tag,
                    }
                    for code in sorted(
                        (by_org.keys() if by_org is not None else _orgs(by_key)) & created.keys()
                    )
                ),
                by_org=by_org,
            )
        )
    return releases


# scale -> kind of attribute -> raw text -> (value, key, number) or the error it gave
def _orgs(by_key: dict[object, tuple[int, tuple[Statement, ...]]]) -> set[str]:
    return {stated[0].org_code for _, stated in by_key.values() if stated}


def _reader(columns: list[str]) -> Callable[[dict[str, str]], tuple[str, ...]]:
    """A function giving a row's cells in `columns` as a tuple (itemgetter, in C)."""
    if len(columns) == 1:
        only = columns[0]
        return lambda cells: (cells[only],)
    if not columns:
        return lambda cells: ()
    return itemgetter(*columns)


def _statements(
    org: str, pairs: list[tuple[str, str, str | None]], publisher: str | None, note: str | None,
    normalise: Callable[[str, str], tuple[str, str, float | None] | ValueError],
    fail: Callable[..., ParseError], row: int, kept: dict[str, Statement] | None = None,
) -> tuple[Statement, ...]:  # fmt: skip
    """The statements one row makes: (attribute, raw text, column) pairs, blanks skipped;
    `kept` holds statements to reuse for cells unchanged since the previous row."""
    stated = []
    for attribute, raw, column in pairs:
        if kept and attribute in kept:
            stated.append(kept[attribute])
            continue
        if not raw.strip():
            continue
        normalised = normalise(attribute, raw)
        if isinstance(normalised, ValueError):
            raise fail(str(normalised), row, column)
        value, key, number = normalised
        stated.append(Statement(org, attribute, value, key, number, publisher, note))
    return tuple(stated)


def _date(text: str, origin: str, row: int, field: str | None) -> str:
    return parse_date(text, file=origin, row=row, field=field)


__all__ = [
    "Extracted",
    "FuzzyMatch",
    "Skipped",
    "Unmatched",
    "check_columns",
    "extract",
    "org_name",
]
