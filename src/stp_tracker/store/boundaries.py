"""Area boundaries for the map: each boundary source's areas, one row per organisation.

A boundary source's run replaces that source's rows whole, in one transaction, and only when
what it gives differs from what is stored (so a restated file is recorded unchanged). Several
sources may draw the same organisation: the map prefers a fetched source's boundary to a bundled
one (`init` loads the bundled ONS files), so a configured source replaces the bundled boundaries
of every organisation it covers, and the bundled ones still draw the rest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..extract.boundaries import BoundaryFile


def geometry_json(geometries: Sequence[str]) -> str:
    """One geometry for an organisation's features: the one given, or their polygons joined
    into a MultiPolygon."""
    if len(geometries) == 1:
        return geometries[0]
    polygons: list[Any] = []
    for text in geometries:
        shape = json.loads(text)
        polygons += [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]
    return json.dumps({"type": "MultiPolygon", "coordinates": polygons}, separators=(",", ":"))


@dataclass(frozen=True)
class StoredAreas:
    """What one run of a boundary source did: areas now stored, and whether any changed."""

    areas: int
    changed: bool


def _rows(source: str, files: Sequence[BoundaryFile]) -> dict[str, tuple[Any, ...]]:
    """The rows a run's files give, by organisation: a later file's area replaces an earlier."""
    rows: dict[str, tuple[Any, ...]] = {}
    for found in files:
        for code, (name, geometries) in found.areas.items():
            geometry = geometry_json(geometries)
            rows[code] = (code, name, geometry, source, found.fetch_id, found.effective)
    return rows


def store_areas(db: Database, source: str, files: Sequence[BoundaryFile]) -> StoredAreas:
    """Replace `source`'s boundaries with those its files give (one transaction), unless they
    are the same areas, names and dates as stored."""
    rows = _rows(source, files)
    stored = {
        row[0]: row
        for row in db.execute(
            "select code, name, geometry, source, fetch_id, effective from boundaries "
            "where source = ?",
            [source],
        )
    }
    same = stored.keys() == rows.keys() and all(
        stored[code][:3] + stored[code][5:] == row[:3] + row[5:] for code, row in rows.items()
    )
    if same:
        return StoredAreas(len(rows), changed=False)
    with db.atomic():
        db.execute("delete from boundaries where source = ?", [source])
        db.conn.executemany(
            "insert into boundaries (code, name, geometry, source, fetch_id, effective) "
            "values (?, ?, ?, ?, ?, ?)",
            [rows[code] for code in sorted(rows)],
        )
    return StoredAreas(len(rows), changed=True)


__all__ = ["StoredAreas", "geometry_json", "store_areas"]
