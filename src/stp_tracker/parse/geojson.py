"""GeoJSON boundary files: one row per Feature, its properties as cells and its area as the
`geometry` cell (compact GeoJSON text).

ONS publishes STP and ICB boundaries as a FeatureCollection whose features carry the area's code
and name in properties such as ``STP21CD`` / ``STP21NM`` (some downloads in lower case), in WGS84
or, with a ``crs`` member naming EPSG:27700, in British National Grid metres, which are converted
to WGS84. Every area must be a Polygon or MultiPolygon. Coordinates are rounded to 5 decimals
(about a metre), far finer than any generalised boundary, which keeps the database small.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table
from .bng import looks_like_grid, to_wgs84
from .json import flatten, load_json

GEOMETRY = "geometry"  # the column holding each feature's area
AREA_TYPES = ("Polygon", "MultiPolygon")
PRECISION = 5
_WGS84 = re.compile(r"(CRS84|EPSG:{1,2}4326|EPSG/0/4326)$", re.IGNORECASE)
_GRID = re.compile(r"EPSG:{1,2}27700$|EPSG/0/27700$", re.IGNORECASE)

Point = Callable[[float, float], tuple[float, float]]


def round_coordinates(value: Any, convert: Point | None = None, places: int = PRECISION) -> Any:
    """Coordinates (nested lists of numbers), converted and rounded, dropping points that
    rounding repeats."""
    if isinstance(value, list) and value and isinstance(value[0], (int, float)):
        x, y = float(value[0]), float(value[1])
        if convert is not None:
            x, y = convert(x, y)
        return [round(x, places), round(y, places)]
    if isinstance(value, list):
        rounded = [round_coordinates(item, convert, places) for item in value]
        is_ring = bool(rounded) and isinstance(rounded[0], list) and bool(rounded[0])
        if is_ring and isinstance(rounded[0][0], float):
            rounded = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        return rounded
    return value


def _first_point(coordinates: Any) -> tuple[float, float] | None:
    while isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        x, y = coordinates[0], coordinates[1]
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            return float(x), float(y)
    return None


def _projection(document: dict[str, Any], features: list[Any], origin: str) -> Point | None:
    """How to bring the file's coordinates to WGS84: None when they are already (the GeoJSON
    default, or a crs naming CRS84/EPSG:4326), the National Grid conversion for EPSG:27700 (or
    for coordinates that are plainly grid metres), and an error for anything else."""
    crs = document.get("crs")
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if isinstance(name, str) and name.strip():
        if _WGS84.search(name.strip()):
            return None
        if _GRID.search(name.strip()):
            return to_wgs84
        raise ParseError(
            f"coordinates are in {name!r}; give the file in WGS84 (EPSG:4326) or the "
            "British National Grid (EPSG:27700)",
            file=origin,
        )
    for feature in features[:5]:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        point = _first_point(geometry.get("coordinates")) if isinstance(geometry, dict) else None
        if point is not None:
            return to_wgs84 if looks_like_grid(*point) else None
    return None


def _features(document: Any, origin: str) -> list[Any]:
    if isinstance(document, dict) and document.get("type") == "Feature":
        return [document]
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ParseError("is not a GeoJSON FeatureCollection", file=origin)
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise ParseError("the FeatureCollection has no features", file=origin)
    return features


def area_geometry(feature: Any, number: int, origin: str, convert: Point | None) -> str:
    """A feature's Polygon or MultiPolygon as compact GeoJSON text in rounded WGS84."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ParseError("is not a GeoJSON Feature", file=origin, row=number)
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else geometry
    if kind not in AREA_TYPES:
        raise ParseError(
            f"geometry {kind!r} is not a Polygon or MultiPolygon", file=origin, row=number
        )
    assert isinstance(geometry, dict)
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ParseError("geometry has no coordinates", file=origin, row=number)
    try:
        rounded = round_coordinates(coordinates, convert)
    except (TypeError, ValueError, IndexError) as exc:
        raise ParseError(f"geometry has bad coordinates ({exc})", file=origin, row=number) from exc
    return json.dumps({"type": kind, "coordinates": rounded}, separators=(",", ":"))


def parse_geojson(data: bytes, source: SourceConfig, origin: str) -> Table:
    """One row per feature: its properties (nested ones dotted), and its area as `geometry`.
    A row's number is the feature's place in the file, from 1."""
    document = load_json(data, origin)
    features = _features(document, origin)
    convert = _projection(document, features, origin) if isinstance(document, dict) else None
    columns: dict[str, None] = {}
    rows: list[Row] = []
    for number, feature in enumerate(features, start=1):
        geometry = area_geometry(feature, number, origin, convert)
        properties = feature.get("properties")
        cells = flatten(properties) if isinstance(properties, dict) else {}
        cells.pop(GEOMETRY, None)
        columns.update(dict.fromkeys(cells))
        rows.append(Row(number, {**cells, GEOMETRY: geometry}))
    names = (*columns, GEOMETRY)
    return Table(names, tuple(Row(r.number, {n: r.cells.get(n, "") for n in names}) for r in rows))


__all__ = ["GEOMETRY", "area_geometry", "parse_geojson", "round_coordinates"]
