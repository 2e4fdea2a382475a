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

from dataclasses import dataclass, field, replace
from itertools import chain
from operator import itemgetter

from ..config import Kinds, Scale, SourceConfig
from ..errors import ParseError
from ..model import Release, RowStatements, Statement
from ..parse import Table
from ..resolve.resolver import Resolver
from .bulk import read_records
from .identify import FuzzyMatch, Identities, Skipped, Unmatched
from .memo import Memory
from .normalise import org_name
from .reader import FileReader, RowDates, Statements

_STATED = itemgetter(1)  # a row's statements, after its number


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
    memory = memory or Memory()
    fixed = _fixed_date(source, as_of, published, origin)
    dates = RowDates(fixed, source.effective_column, origin, memory.dates)
    reader = FileReader(source, columns, origin, resolver, scale, kinds or Kinds(), dates, memory)
    if table.records is not None and source.layout == "wide":
        read_records(reader, table.records, table.columns)
    else:
        reader.read_all(table.rows)
    found = reader.identifier.found
    if found.created and (found.unmatched or reader.problems):  # the run fails: none is created
        reader.remembered.forget(found.created)
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


def _releases(
    source: SourceConfig, statements: Statements, created: dict[str, str], fetch_id: int | None
) -> list[Release]:
    """One release per effective date, with the organisations it is the first to create."""
    origin_tag = f"source:{source.name}"
    releases = []
    for effective, by_key in sorted(statements.items()):
        by_org: dict[str, tuple[Statement, ...]] | None = None
        if source.layout == "wide":  # grouped by organisation code
            by_org = dict(zip(by_key, map(_STATED, by_key.values()), strict=True))  # type: ignore[arg-type]
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


__all__ = [
    "Extracted",
    "FuzzyMatch",
    "Skipped",
    "Unmatched",
    "check_columns",
    "extract",
    "org_name",
]
