"""Boundary files: which organisation each feature's area belongs to, on the file's date.

Codes are reused across reorganisations: E54000008 is the Cheshire and Merseyside STP of 2017
and the GSS code of the ICB that replaced it. So a feature's code means an organisation of the
file's *kind* that *existed on the file's date*:

- the kind is the one its code property names (``STP21CD`` is an STP, ``ICB22CD`` an ICB), else
  the source's `entity`;
- the date is the source's `effective` date (or `--as-of`, or Last-Modified for "published"),
  else 1 July of the year the property names (``STP21CD``: 2021-07-01), as ONS name their files.

A code that names no such organisation, or several (never a guess), is skipped and reported in
the summary with the candidates; a file none of whose codes matches fails. `AreaCodes` asks the
time-aware resolver (codes and aliases with the intervals they held, organisations with their
lifetimes), as a release's rows do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..config import SourceConfig
from ..errors import ParseError
from ..parse import Table
from ..parse.geojson import GEOMETRY
from ..resolve.resolver import Resolver
from .records import Extracted

_PROPERTY = re.compile(r"^([A-Za-z]+?)(\d{2})?(CDH|CD|NM|CODE|NAME)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Known:
    """An organisation as a boundary file's summary names it."""

    name: str
    kind: str


@dataclass
class AreaCodes:
    """Which organisations a code or name in a boundary file may mean: the time-aware resolver
    (resolve/resolver.py), asked among the file's kind on the file's date, as a release's
    names are."""

    db: Any
    organisations: dict[str, Known]
    resolvers: dict[str, Resolver] = field(default_factory=dict)  # by kind ("any": all)

    @classmethod
    def from_db(cls, db: Any) -> AreaCodes:
        """The organisations of the database, with a resolver built per kind when asked."""
        rows = db.execute("select code, name, kind from organisations")
        return cls(db, {code: Known(name, kind) for code, name, kind in rows})

    @property
    def kinds(self) -> set[str]:
        """The kinds of organisation known."""
        return {organisation.kind for organisation in self.organisations.values()}

    def named(self, value: str, *, by_code: bool, kind: str | None, date: str | None) -> list[str]:
        """The organisations of `kind` (any kind for None) that existed on `date` and whose
        code (or, with by_code false, name) is `value`: those it meant then, else at another
        time."""
        entity = kind or "any"
        if entity not in self.resolvers:
            self.resolvers[entity] = Resolver.from_db(self.db, entity)
        resolver = self.resolvers[entity]
        found = resolver.by_code(value, date) if by_code else resolver.by_name(value, date)
        return sorted(found)


@dataclass
class BoundaryFile:
    """The areas one boundary file gives: organisation code -> (name in the file, geometry)."""

    source: str
    origin: str
    kind: str | None
    effective: str | None
    fetch_id: int | None
    areas: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)  # geometries
    kinds: Counter[str] = field(default_factory=Counter)  # features matched, by kind
    skipped: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # value -> candidates

    def summary(self) -> str:
        """One line for the command's summary and the log: what matched which kind."""
        matched = ", ".join(f"{n} {kind}" for kind, n in sorted(self.kinds.items())) or "none"
        when = f" on {self.effective}" if self.effective else ""
        line = f"{sum(self.kinds.values())} features matched ({matched}){when}"
        if self.skipped:
            shown = ", ".join(self.skipped[:10]) + (" ..." if len(self.skipped) > 10 else "")
            what = self.kind or "organisation"
            line += f"; {len(self.skipped)} skipped, naming no {what} that existed then: {shown}"
        for value, candidates in self.ambiguous.items():
            line += f"; {value} skipped, naming {len(candidates)}: {', '.join(candidates)}"
        return line


@dataclass
class BoundaryExtract(Extracted):
    """What extraction makes of a boundary file: no releases, one BoundaryFile."""

    boundaries: BoundaryFile | None = None


def _column(table: Table, wanted: str | None) -> str | None:
    """The table's column named `wanted`, matched without regard to case (ONS varies it)."""
    if wanted is None:
        return None
    return next((c for c in table.columns if c.casefold() == wanted.casefold()), None)


def property_kind(column: str, kinds: Iterable[str]) -> str | None:
    """The kind of organisation an ONS property names (``STP21CD``: stp), if a known one."""
    match = _PROPERTY.match(column)
    prefix = match.group(1).lower() if match else ""
    return prefix if prefix in set(kinds) else None


def property_date(column: str) -> str | None:
    """1 July of the year an ONS property names (``ICB22CD``: 2022-07-01), if it names one."""
    match = _PROPERTY.match(column)
    return f"20{match.group(2)}-07-01" if match and match.group(2) else None


def _name_column(table: Table, source: SourceConfig, key: str) -> str | None:
    """The column giving the area's name: mapped to org.name, else the code's NM partner."""
    mapped = _column(table, source.column_for("org.name"))
    if mapped:
        return mapped
    partner = re.sub(r"CDH?$", "NM", key, flags=re.IGNORECASE)
    return _column(table, partner) if partner != key else None


def _add(found: BoundaryFile, code: str, name: str | None, geometry: str) -> None:
    """Add one feature's area to its organisation's (two features make one MultiPolygon)."""
    known_name, geometries = found.areas.get(code, (None, []))
    found.areas[code] = (known_name or name, [*geometries, geometry])


def extract_boundaries(
    table: Table,
    source: SourceConfig,
    *,
    origin: str,
    codes: AreaCodes,
    as_of: str | None = None,
    published: str | None = None,
    fetch_id: int | None = None,
) -> BoundaryExtract:
    """Each feature's area, keyed by the organisation its code (or name) means on the file's
    date among the file's kind; skipped codes are listed, ambiguous ones fail the run."""
    wanted = source.column_for("org.code") or source.column_for("org.name") or ""
    key = _column(table, wanted)
    if key is None:
        seen = ", ".join(repr(c) for c in table.columns if c != GEOMETRY) or "none"
        raise ParseError(
            f"no feature property {wanted!r} (source {source.name!r}); properties seen: {seen}",
            file=origin,
            field=wanted,
        )
    by_code = source.column_for("org.code") is not None
    kind = property_kind(key, codes.kinds) or (None if source.entity == "any" else source.entity)
    fixed = as_of or (published if source.effective == "published" else source.effective)
    found = BoundaryFile(source.name, origin, kind, fixed or property_date(key), fetch_id)
    name_column = _name_column(table, source, key)
    for row in table.rows:
        value = row.cells.get(key, "").strip()
        if not value:
            raise ParseError("the feature has no code", file=origin, row=row.number, field=key)
        matches = codes.named(value, by_code=by_code, kind=kind, date=found.effective)
        if len(matches) > 1:
            found.ambiguous[value] = [f"{codes.organisations[c].name} ({c})" for c in matches]
            continue
        if not matches:
            found.skipped.append(value)
            continue
        name = row.cells.get(name_column, "") if name_column else ""
        _add(found, matches[0], name or None, row.cells[GEOMETRY])
        found.kinds[codes.organisations[matches[0]].kind] += 1
    if not found.areas:
        what = f"{kind} that existed on {found.effective}" if kind else "known organisation"
        first = [*found.skipped, *found.ambiguous][0]
        raise ParseError(
            f"none of the {len(table.rows)} features' {key!r} values names one {what} "
            f"(first: {first})",
            file=origin,
        )
    return BoundaryExtract([], records=len(table.rows), boundaries=found)


__all__ = ["AreaCodes", "BoundaryExtract", "BoundaryFile", "extract_boundaries"]
