"""Polygon helpers for the map: an area formed from whole predecessors is drawn as one shape.

ONS boundary sets tile England: neighbouring areas share their border point for point. So the
union of whole areas is found by dropping every edge two of them share and chaining the edges
left into rings; a ring inside an odd number of others is a hole. Rings are oriented first
(shells anticlockwise, holes clockwise), so a shared border runs opposite ways in the two
areas and cancels, and every ring left keeps its meaning. When the borders do not match exactly
(areas from different files), nothing cancels and the areas are drawn side by side, as a
MultiPolygon, which is still correct to look at.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

Point = tuple[float, float]
Ring = list[Point]


def polygons_of(geometry: dict[str, Any]) -> list[Any]:
    """A Polygon or MultiPolygon's polygons, as MultiPolygon coordinates."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _chain(edges: list[tuple[Point, Point]]) -> list[Ring] | None:
    """Closed rings from directed edges, or None when they do not close."""
    leaving: dict[Point, list[int]] = defaultdict(list)
    for index, (a, _) in enumerate(edges):
        leaving[a].append(index)
    used = [False] * len(edges)
    rings = []
    for first in range(len(edges)):
        if used[first]:
            continue
        used[first] = True
        start, here = edges[first]
        ring = [start, here]
        while here != start:
            step = next((i for i in leaving[here] if not used[i]), None)
            if step is None:
                return None
            used[step] = True
            here = edges[step][1]
            ring.append(here)
        rings.append(ring)
    return rings


def _area(ring: Ring) -> float:
    """Twice the signed area: positive when the ring runs anticlockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))


def _inside(point: Point, ring: Ring) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _contains(outer: Ring, inner: Ring) -> bool:
    """Whether `inner` lies inside `outer` (judged at a point of it not on `outer`)."""
    corners = set(outer)
    point = next((p for p in inner if p not in corners), None)
    return point is not None and _inside(point, outer)


def _oriented(polygon: list[Any]) -> list[Ring]:
    """A polygon's rings as points, the shell anticlockwise and the holes clockwise, so that a
    border two neighbours share runs one way in one and the other way in the other."""
    rings = []
    for index, ring in enumerate(polygon):
        points = [(float(p[0]), float(p[1])) for p in ring]
        if (_area(points) > 0) != (index == 0):
            points.reverse()
        rings.append(points)
    return rings


def dissolve(polygons: list[Any]) -> list[Any]:
    """The union of polygons that share borders exactly, as MultiPolygon coordinates."""
    edges: Counter[tuple[Point, Point]] = Counter()
    for polygon in polygons:
        for ring in _oriented(polygon):
            for a, b in pairwise(ring):
                if a == b:
                    continue
                if edges[(b, a)]:
                    edges[(b, a)] -= 1  # a border shared with a neighbour: inside the union
                else:
                    edges[(a, b)] += 1
    outline = [edge for edge, count in edges.items() for _ in range(count)]
    if len(outline) == sum(len(ring) - 1 for p in polygons for ring in p):
        return polygons  # no shared border: nothing to dissolve
    chained = _chain(outline)
    if chained is None:
        return polygons
    shells = [ring for ring in chained if _area(ring) > 0]
    holes = [ring for ring in chained if _area(ring) <= 0]
    owners: dict[int, list[Ring]] = defaultdict(list)
    for hole in holes:  # each hole belongs to the smallest shell around it
        around = [i for i, shell in enumerate(shells) if _contains(shell, hole)]
        if around:
            owners[min(around, key=lambda i: _area(shells[i]))].append(hole)
    return [
        [[list(p) for p in ring] for ring in (shell, *owners[i])] for i, shell in enumerate(shells)
    ]


__all__ = ["dissolve", "polygons_of"]
