"""Which areas the map draws on a date, and with which boundary.

The map draws the organisations that existed on the date (their lifetimes in `organisations`)
and can be mapped: those with a boundary, or formed (by the date) from predecessors. Each is
drawn with its own boundary when it has one that is not older than its last change of
territory; otherwise, when the lineage says it was formed from whole predecessors (a merger, a
rename), as the union of their areas the day before; otherwise it is listed as not drawn, with
the reason (a predecessor split between successors has no boundary for its parts), and the old
areas it covers are offered as context. Organisations with neither a boundary nor
predecessors are only counted (`UNMAPPED`), so a map of thousands of them reads none of them.
Plain functions over rows, so the rules are testable without a server.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .geometry import dissolve, polygons_of

MAX_DEPTH = 8  # lineage is a few steps deep; this only stops a cycle in bad data

# The organisations an `Areas` needs: those with a boundary or in the lineage.
RELATED = (
    "select code, name, kind, valid_from, valid_to from organisations "
    "where code in (select code from boundaries) or code in (select predecessor from lineage) "
    "or code in (select successor from lineage)"
)
# How many organisations of each kind existed on :d with no boundary and no predecessor by
# then: the ones `Areas.mappable` leaves out, counted without reading them.
UNMAPPED = (
    "select kind, count(*) as n from organisations "
    "where coalesce(valid_from, '') <= :d and (valid_to is null or :d < valid_to) "
    "and code not in (select code from boundaries) "
    "and code not in (select successor from lineage where effective != '' and effective <= :d) "
    "group by kind"
)


@dataclass(frozen=True)
class Organisation:
    """An organisation with its kind and lifetime."""

    code: str
    name: str
    kind: str
    valid_from: str | None
    valid_to: str | None

    def existed_on(self, date: str) -> bool:
        """Whether it existed on `date`: from valid_from (or always), until valid_to."""
        return (self.valid_from or "") <= date and (self.valid_to is None or date < self.valid_to)


@dataclass(frozen=True)
class Link:
    """One lineage row: `predecessor` became (part of) `successor` on `effective`."""

    predecessor: str
    successor: str
    effective: str
    kind: str


@dataclass(frozen=True)
class Boundary:
    """A stored boundary, dated by its file; of two with the same date, the lower `rank`
    wins (a fetched source before a bundled one, then the latest fetch)."""

    code: str
    source: str
    geometry: str
    effective: str | None
    rank: tuple[int, int]


class Undrawable(Exception):
    """An area with no boundary to draw: why, and the older areas it is made from."""

    def __init__(self, reason: str, territory: Iterable[str] = ()) -> None:
        super().__init__(reason)
        self.reason, self.territory = reason, list(territory)


@dataclass
class MapPlan:
    """What to draw on a date: geometries by organisation, the ones not drawn and why, and
    the older areas (by code) that lie under those not drawn."""

    drawn: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_drawn: dict[str, str] = field(default_factory=dict)
    context: dict[str, dict[str, Any]] = field(default_factory=dict)


def _day_before(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


class Areas:
    """The organisations, lineage and boundaries the map works from."""

    def __init__(
        self,
        organisations: Iterable[Organisation],
        links: Iterable[Link],
        boundaries: Iterable[Boundary],
    ) -> None:
        self.organisations = {o.code: o for o in organisations}
        self.into: dict[str, list[Link]] = defaultdict(list)
        for link in links:
            if link.effective and link.predecessor in self.organisations:
                self.into[link.successor].append(link)
        self.boundaries: dict[str, list[Boundary]] = defaultdict(list)
        for boundary in boundaries:
            self.boundaries[boundary.code].append(boundary)

    def boundary(self, code: str, date: str) -> Boundary | None:
        """The boundary to draw `code` with on `date`: from the latest file dated on or before
        it, else the earliest file there is."""
        found = self.boundaries.get(code)
        if not found:
            return None
        dated = [b for b in found if (b.effective or "") <= date]
        if dated:
            latest = max(b.effective or "" for b in dated)
            return min((b for b in dated if (b.effective or "") == latest), key=_rank)
        return min(found, key=lambda b: (b.effective or "", b.rank))

    def name(self, code: str) -> str:
        """An organisation's name with its code, for messages."""
        known = self.organisations.get(code)
        return f"{known.name} ({code})" if known else code

    def mappable(self, code: str, date: str) -> bool:
        """Whether `code` has a boundary, or was formed from predecessors by `date`: else
        there is nothing to draw it with, nor any reason to give but that."""
        return code in self.boundaries or any(
            link.effective <= date for link in self.into.get(code, ())
        )

    def existing(self, date: str) -> list[Organisation]:
        """The organisations that existed on `date`, by name."""
        found = [o for o in self.organisations.values() if o.existed_on(date)]
        return sorted(found, key=lambda o: (o.name, o.code))

    def area(self, code: str, date: str, depth: int = 0) -> list[Any]:
        """The polygons of `code`'s area on `date`, or Undrawable."""
        if depth > MAX_DEPTH:
            raise Undrawable("its lineage is too deep to follow")
        own = self.boundary(code, date)
        changes = [link for link in self.into.get(code, ()) if link.effective <= date]
        latest = max((link.effective for link in changes), default=None)
        if own is not None and (latest is None or (own.effective or "") >= latest):
            return polygons_of(json.loads(own.geometry))
        if latest is None:
            raise Undrawable("no boundary is known for it")
        group = sorted((link for link in changes if link.effective == latest), key=_by_code)
        split = [link.predecessor for link in group if link.kind == "split"]
        if split:
            parts = ", ".join(self.name(c) for c in split)
            raise Undrawable(
                f"on {latest} it took in parts of {parts}, split between successors, "
                "whose boundaries are not known",
                [link.predecessor for link in group],
            )
        before = _day_before(latest)
        polygons: list[Any] = []
        organisation = self.organisations.get(code)
        if organisation is not None and (organisation.valid_from or "") < latest:
            polygons += self._part(code, before, depth)  # its own area before it grew
        for link in group:
            polygons += self._part(link.predecessor, before, depth)
        return dissolve(polygons)

    def _part(self, code: str, date: str, depth: int) -> list[Any]:
        try:
            return self.area(code, date, depth + 1)
        except Undrawable as exc:
            raise Undrawable(f"{self.name(code)} cannot be drawn: {exc.reason}", [code]) from exc

    def plan(self, date: str, kind: str) -> MapPlan:
        """What the map of `kind` areas on `date` draws, of those it can map."""
        plan = MapPlan()
        for organisation in self.existing(date):
            if organisation.kind != kind or not self.mappable(organisation.code, date):
                continue
            try:
                polygons = self.area(organisation.code, date)
            except Undrawable as exc:
                plan.not_drawn[organisation.code] = exc.reason
                for old in exc.territory:
                    self._context(plan, old, date)
                continue
            plan.drawn[organisation.code] = _geometry(polygons)
        return plan

    def _context(self, plan: MapPlan, code: str, date: str) -> None:
        """Offer an older area lying under an area not drawn, when it can be drawn itself."""
        if code in plan.context:
            return
        link = next(
            (lk for links in self.into.values() for lk in links if lk.predecessor == code), None
        )
        when = _day_before(link.effective) if link and link.effective <= date else date
        try:
            plan.context[code] = _geometry(self.area(code, when))
        except Undrawable:
            return


def _by_code(link: Link) -> str:
    return link.predecessor


def _rank(boundary: Boundary) -> tuple[int, int]:
    return boundary.rank


def _geometry(polygons: list[Any]) -> dict[str, Any]:
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


__all__ = [
    "RELATED",
    "UNMAPPED",
    "Areas",
    "Boundary",
    "Link",
    "MapPlan",
    "Organisation",
    "Undrawable",
]
