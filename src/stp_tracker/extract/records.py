"""From a parsed table to releases: map columns to attributes, resolve organisations,
normalise values and group rows by effective date, checking the release is well formed.

A row naming its organisation only by a name that no rule resolves is matched by fuzzy matching
when one organisation is a clear, close winner (`Resolver.fuzzy_match`); the match travels with
the release as an alias to record, so it is kept (for review) only if the release is applied.
Every problem is reported against the file, row and field it came from.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import itemgetter

from ..config import ROW_TARGETS, Scale, SourceConfig
from ..errors import ParseError
from ..model import Event, Release, RowStatements, Statement
from ..parse import Table
from ..resolve.resolver import Candidate, Resolver
from ..store.reingest import code_digest
from .dates import parse_date
from .memo import normaliser, row_memo, scale_key, unchanged_statements
from .normalise import org_name

_ATTRIBUTE = re.compile(r"^(rating|metric|leader)\.[a-z0-9_]+$")


@dataclass(frozen=True)
class Unmatched:
    """A name or code in a source that no rule resolved, with the closest known names."""

    file: str
    row: int
    field: str
    name: str
    candidates: tuple[Candidate, ...]
    reason: str = "matches no organisation"

    def describe(self) -> str:
        """One line for the user, naming the closest candidates."""
        close = ", ".join(f"{c.name} ({c.code}, {c.score:.0f}%)" for c in self.candidates)
        hint = f"; closest: {close}" if close else ""
        return (
            f"{self.file}: row {self.row}: field {self.field!r}: {self.name!r} {self.reason}{hint}"
        )


@dataclass
class Extracted:
    """Releases read from one file, plus the names that could not be resolved."""

    releases: list[Release]
    unmatched: list[Unmatched] = field(default_factory=list)
    records: int = 0


def check_columns(table: Table, source: SourceConfig, origin: str) -> None:
    """Fail with the columns actually seen when a mapped column is missing (schema drift)."""
    wanted = list(source.columns)
    if source.effective_column and not source.effective:
        wanted.append(source.effective_column)
    missing = [column for column in wanted if column not in table.columns]
    if missing:
        seen = ", ".join(repr(c) for c in table.columns if c) or "none"
        names = ", ".join(repr(m) for m in missing)
        raise ParseError(
            f"mapped column {names} not found (source {source.name!r}); columns seen: {seen}",
            file=origin,
            field=missing[0],
        )


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
) -> Extracted:
    """Turn a parsed `table` into releases of `source`, one per effective date."""
    check_columns(table, source, origin)
    if not table.rows:
        raise ParseError("the file has a header but no data rows", file=origin)
    column = source.column_for
    code_col, name_col = column("org.code"), column("org.name")
    statements: dict[str, dict[object, tuple[int, tuple[Statement, ...]]]] = defaultdict(dict)
    events: list[Event] = []
    unmatched: list[Unmatched] = []
    created: dict[str, str] = {}  # code -> name of each organisation the source creates
    fuzzy: dict[str, str] = {}  # name as written -> organisation it was matched to
    fixed = as_of or (published if source.effective == "published" else source.effective)
    if source.effective == "published" and not fixed:
        raise ParseError("the source takes its date from Last-Modified; give --as-of", file=origin)
    if not fixed and not source.effective_column:
        raise ParseError(
            f"source {source.name!r} has no effective date: give --as-of, or set effective "
            "or effective_column in its configuration",
            file=origin,
        )

    def fail(message: str, row: int, field: str | None = None) -> ParseError:
        return ParseError(message, file=origin, row=row, field=field)

    publisher_col, note_col, kind_col = column("publisher"), column("note"), column("kind")
    attribute_col, value_col, reported_col = (
        column("attribute"),
        column("value"),
        column("reported_on"),
    )
    targets = [target for target in source.columns.values() if target not in ROW_TARGETS]
    raw_columns = [col for col, target in source.columns.items() if target not in ROW_TARGETS]
    if source.creates and name_col:
        targets.append("org.name")
        raw_columns.append(name_col)
    read_raw = _reader(raw_columns)
    (memo, keys), (earlier, earlier_keys) = row_memo(
        (source.name, scale_key(scale), source.layout, tuple(targets))
    )
    normalise = normaliser(scale)
    dates: dict[str, str] = {}
    digests: dict[str, list[str]] = defaultdict(list)

    creates, long_layout, default_publisher = (
        source.creates,
        source.layout == "long",
        source.publisher,
    )
    for row in table.rows:
        cells = row.cells
        code = cells.get(code_col, "") if code_col else ""
        name = cells.get(name_col, "") if name_col else ""
        if not code and not name:
            raise fail("no organisation code or name", row.number, code_col or name_col)
        org = _resolve(resolver, source, code, name)
        if org is None and creates and code:
            org = code
            if code not in created:
                created[code] = name or code
        if org is None and name and not code and not resolver.by_name(name):
            match = resolver.fuzzy_match(name)
            if match is not None:
                org = fuzzy.setdefault(" ".join(name.split()), match.code)
        if org is None:
            unmatched.append(
                _unmatched(resolver, origin, row.number, code_col, name_col, code, name)
            )
            continue
        publisher = (publisher_col and cells.get(publisher_col)) or default_publisher
        note = (note_col and cells.get(note_col)) or None
        if long_layout:
            attribute = cells.get(attribute_col or "", "").strip()
            if not _ATTRIBUTE.match(attribute):
                raise fail(
                    f"{attribute!r} is not an attribute like rating.overall or leader.chair",
                    row.number,
                    attribute_col,
                )
            value = cells.get(value_col or "", "")
            if cells.get(kind_col or "", "").strip().lower() == "event":
                reported = cells.get(reported_col or "", "")
                events.append(
                    Event(
                        org,
                        attribute,
                        value,
                        _date(reported, origin, row.number, reported_col) if reported else None,
                        publisher,
                        note,
                    )
                )
                continue
            raw: tuple[str, ...] = (attribute, value)
            group: object = (org, attribute)
        else:
            raw = read_raw(cells)
            group = org
        if fixed:
            effective = fixed
        else:
            raw_date = cells.get(source.effective_column or "", "")
            if not raw_date:
                raise fail("no effective date", row.number, source.effective_column)
            effective = dates.get(raw_date) or dates.setdefault(
                raw_date, _date(raw_date, origin, row.number, source.effective_column)
            )
        seen = statements[effective].get(group)
        if seen is not None:
            raise fail(
                f"{resolver.display.get(org, org)} ({org}) appears twice in the release of "
                f"{effective} (also row {seen[0]})",
                row.number,
                code_col or name_col,
            )
        # One string keys the memory and feeds the digest. Cleaned cells never hold the
        # separator (clean_cell treats \x1f as whitespace), so distinct rows give distinct keys.
        row_key = "\x1f".join((org, publisher or "", note or "", *raw))
        stated = earlier.get(row_key) or memo.get(row_key)
        if stated is None:
            if long_layout:
                pairs, kept = [(raw[0], raw[1], value_col)], None
            else:
                pairs = list(zip(targets, raw, raw_columns, strict=True))
                kept = unchanged_statements(earlier, earlier_keys.get(org), row_key, targets)
            stated = _statements(org, pairs, publisher, note, normalise, fail, row.number, kept)
        memo[row_key] = stated
        keys[org] = row_key
        statements[effective][group] = (row.number, stated)
        digests[effective].append(row_key)
    # The raw cells state the same values only under the same configuration and code.
    fingerprint = repr((source.name, scale_key(scale), source.layout, targets, code_digest()))
    origin_tag = f"source:{source.name}"
    releases = []
    for effective, by_key in sorted(statements.items()):
        by_org = None
        if source.layout == "wide":
            by_org = {org: stated for org, (_, stated) in by_key.items()}
        digest = hashlib.sha256(
            "\x1e".join([fingerprint, *sorted(digests[effective])]).encode()
        ).hexdigest()
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
                digest=digest,
            )
        )
    if events:
        if releases:
            last = releases[-1]
            releases[-1] = replace(last, events=tuple(events))
        else:
            effective = fixed or max((e.reported_on or "" for e in events), default="")
            releases.append(
                Release(source.name, effective, False, (), tuple(events), fetch_id=fetch_id)
            )
    if fuzzy and releases:
        releases[0] = replace(releases[0], aliases=tuple(sorted(fuzzy.items())))
    return Extracted(releases, unmatched, records=len(table.rows))


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


def _resolve(resolver: Resolver, source: SourceConfig, code: str, name: str) -> str | None:
    """The one organisation a row names; a source that creates organisations goes by code."""
    if code:
        found = resolver.by_code(code)
        if len(found) == 1:
            return next(iter(found))
        if found or not name or source.creates:
            return None
    found = resolver.by_name(name) if name else set()
    return next(iter(found)) if len(found) == 1 else None


def _unmatched(
    resolver: Resolver,
    origin: str,
    row: int,
    code_col: str | None,
    name_col: str | None,
    code: str,
    name: str,
) -> Unmatched:
    by_code, by_name = (resolver.by_code(code) if code else set()), resolver.by_name(name)
    ambiguous = by_code if len(by_code) > 1 else by_name if len(by_name) > 1 else set()
    if ambiguous:
        candidates = tuple(Candidate(c, resolver.display[c], 100.0) for c in sorted(ambiguous))
        reason = f"matches {len(ambiguous)} organisations"
    else:
        candidates = tuple(resolver.candidates(name or code))
        reason = f"matches no {resolver.entity if resolver.entity != 'any' else 'organisation'}"
    field_name = (code_col if code and not name else name_col) or code_col or ""
    return Unmatched(origin, row, field_name, name or code, candidates, reason)


__all__ = ["Extracted", "Unmatched", "check_columns", "extract", "org_name"]
