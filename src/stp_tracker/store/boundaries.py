"""Area boundaries for the map: read a GeoJSON FeatureCollection and store one row per organisation.

ONS publishes STP and ICB boundaries as GeoJSON whose features carry the area's ONS code in a
property such as ``STP17CD`` or ``ICB23CD`` (some downloads spell it in lower case). Each code is
resolved to an organisation: its own code first, then an organisation whose ``ons_code`` it is,
then an alias; where an alias names several organisations (an STP and the ICB that took its
code), the one of the kind the property names (``STP..``, ``ICB..``) wins. Codes matching nothing
are skipped and logged, never invented. Coordinates are rounded to 5 decimals (about a metre),
which is far finer than any generalised boundary and keeps the database small.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..errors import ParseError

log = logging.getLogger(__name__)

AREA_TYPES = ("Polygon", "MultiPolygon")
PRECISION = 5
_KIND_PREFIX = re.compile(r"^([A-Za-z]+)")


@dataclass
class BoundarySet:
    """Boundaries read from one file: geometry by organisation code, and the codes skipped."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def round_coordinates(value: Any, places: int = PRECISION) -> Any:
    """Coordinates (nested lists of numbers) rounded, dropping points repeated by rounding."""
    if isinstance(value, list) and value and isinstance(value[0], (int, float)):
        return [round(float(number), places) for number in value]
    if isinstance(value, list):
        rounded = [round_coordinates(item, places) for item in value]
        is_ring = bool(rounded) and isinstance(rounded[0], list) and bool(rounded[0])
        if is_ring and isinstance(rounded[0][0], float):  # drop points repeated by rounding
            rounded = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        return rounded
    return value


def _polygons(geometry: dict[str, Any]) -> list[Any]:
    """A Polygon or MultiPolygon's polygons, as MultiPolygon coordinates."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


class CodeResolver:
    """Map a boundary's ONS code to an organisation code: its own code; else the one organisation
    whose ons_code or alias it is; else, of several, the one of the property's kind; else the one
    whose ons_code it is."""

    def __init__(self, db: Database, code_property: str) -> None:
        prefix = _KIND_PREFIX.match(code_property)
        self.kind_hint = prefix.group(1).lower() if prefix else ""
        self.kinds = dict(db.execute("select code, kind from organisations").fetchall())
        self.by_ons: dict[str, set[str]] = {}
        for code, ons in db.execute("select code, ons_code from organisations"):
            if ons:
                self.by_ons.setdefault(ons.upper(), set()).add(code)
        self.by_alias: dict[str, set[str]] = {}
        for alias, code in db.execute("select alias, code from aliases"):
            self.by_alias.setdefault(alias.strip().upper(), set()).add(code)

    def resolve(self, value: str) -> str | None:
        """The organisation `value` names, or None when it names none (or several equally)."""
        key = value.strip().upper()
        if key in self.kinds:
            return key
        by_ons = self.by_ons.get(key, set())
        found = by_ons | self.by_alias.get(key, set())
        for narrowed in (
            found,
            {code for code in found if self.kinds.get(code) == self.kind_hint},
            by_ons,
        ):
            if len(narrowed) == 1:
                return next(iter(narrowed))
        return None


def _property(properties: dict[str, Any], name: str) -> Any:
    """A feature property by name, matched without regard to case."""
    if name in properties:
        return properties[name]
    folded = {key.lower(): value for key, value in properties.items()}
    return folded.get(name.lower())


def read_features(data: bytes, origin: str) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection, or a ParseError naming the file."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not valid GeoJSON ({exc})", file=origin) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ParseError("not a GeoJSON FeatureCollection", file=origin)
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise ParseError("the FeatureCollection has no features", file=origin)
    return features


def parse_boundaries(
    features: Iterable[Any], code_property: str, resolver: CodeResolver, origin: str
) -> BoundarySet:
    """Each feature's geometry keyed by the organisation its `code_property` names."""
    found = BoundarySet()
    name_property = re.sub(r"CD$", "NM", code_property, flags=re.IGNORECASE)
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ParseError(f"{where} is not a GeoJSON Feature", file=origin)
        properties = feature.get("properties") or {}
        value = _property(properties, code_property) if isinstance(properties, dict) else None
        if not isinstance(value, str) or not value.strip():
            raise ParseError(f"{where} has no {code_property!r} property", file=origin)
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in AREA_TYPES:
            kind = geometry.get("type") if isinstance(geometry, dict) else geometry
            raise ParseError(
                f"{where} ({value}): geometry {kind!r} is not a Polygon or MultiPolygon",
                file=origin,
            )
        if not isinstance(geometry.get("coordinates"), list):
            raise ParseError(f"{where} ({value}): geometry has no coordinates", file=origin)
        code = resolver.resolve(value)
        if code is None:
            found.skipped.append(value.strip())
            continue
        polygons = round_coordinates(_polygons(geometry))
        if code in found.rows:  # two features for one organisation: one MultiPolygon
            polygons = found.rows[code]["polygons"] + polygons
        name = _property(properties, name_property)
        found.rows[code] = {"polygons": polygons, "name": name if isinstance(name, str) else None}
    return found


def geometry_json(polygons: list[Any]) -> str:
    """Compact GeoJSON text for a list of polygons (a Polygon when there is only one)."""
    if len(polygons) == 1:
        geometry = {"type": "Polygon", "coordinates": polygons[0]}
    else:
        geometry = {"type": "MultiPolygon", "coordinates": polygons}
    return json.dumps(geometry, separators=(",", ":"))


def store_boundaries(
    db: Database,
    source_name: str,
    data: bytes,
    code_property: str,
    fetch_id: int | None,
    origin: str,
) -> int:
    """Replace every boundary of `source_name` with those in `data`; return how many were stored.

    Runs in one transaction: a file that fails to parse, or whose codes match no organisation at
    all (the wrong file), leaves the previous boundaries in place.
    """
    features = read_features(data, origin)
    found = parse_boundaries(features, code_property, CodeResolver(db, code_property), origin)
    if not found.rows:
        raise ParseError(
            f"none of the {len(features)} features' {code_property!r} codes is a known "
            f"organisation (first: {found.skipped[0]})",
            file=origin,
        )
    with db.atomic():
        db.execute("delete from boundaries where source = ?", [source_name])
        db.conn.executemany(
            "insert into boundaries (code, name, geometry, source, fetch_id) "
            "values (?, ?, ?, ?, ?) on conflict(code) do update set name = excluded.name, "
            "geometry = excluded.geometry, source = excluded.source, "
            "fetch_id = excluded.fetch_id",
            [
                (code, row["name"], geometry_json(row["polygons"]), source_name, fetch_id)
                for code, row in sorted(found.rows.items())
            ],
        )
    if found.skipped:
        log.warning(
            "%s: %d boundaries stored; %d skipped with codes that match no organisation: %s",
            origin,
            len(found.rows),
            len(found.skipped),
            ", ".join(found.skipped),
        )
    return len(found.rows)


__all__ = ["BoundarySet", "parse_boundaries", "read_features", "store_boundaries"]
