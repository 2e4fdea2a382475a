"""/-/map and /-/map.geojson: the areas that existed on a date, coloured by the rating each held.

Which areas are drawn and how is areas.py's; this module reads what it needs in one transaction
(`pages.read_together`): the organisations with a boundary or a lineage, their boundaries, the
ratings of the areas it can map, and how many others existed with nothing to draw them with.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from datasette.utils.asgi import Response

from ..config.sources import bundled_sources
from ..errors import ConfigError
from ..extract.dates import parse_date
from .areas import RELATED, UNMAPPED, Areas, Boundary, Link, MapPlan, Organisation
from .pages import org_path, read_together, rows, today
from .settings import published

# Every source's overall rating held on :d by each of :codes (a JSON list), the one that took
# effect last (then was recorded last) first. (recorded_at is selected because it is sorted on:
# SQLite folds a view into a query only if the query returns what it sorts by.)
HELD = (
    "select org_code, value as rating, value_num as band_rank, valid_from, valid_to, source, "
    "publisher, recorded_at from facts where attribute = 'rating.overall' and retired_at is null "
    "and valid_from <= :d and :d < coalesce(valid_to, '9999') "
    "and org_code in (select value from json_each(:codes)) "
    "order by org_code, valid_from desc, recorded_at desc, source"
)
CREDITS = (
    "select name, publisher, licence, attribution from sources "
    "where name in (select value from json_each(:names)) order by name"
)


@dataclass
class MapRead:
    """What one map reads: its areas and plans by kind, ratings by code, counts of the
    organisations it cannot map by kind, and the boundary sources' credit rows."""

    areas: Areas
    plans: dict[str, MapPlan]
    ratings: dict[str, list[dict[str, Any]]]
    unmapped: dict[str, int]
    credits: dict[str, dict[str, Any]]


def read_areas(conn: sqlite3.Connection) -> Areas:
    """The organisations with a boundary or a lineage, the lineage and the boundaries."""
    bundled = {name for name, source in bundled_sources().items() if source.format == "geojson"}
    links = rows(conn, "select predecessor, successor, effective, kind from lineage")
    boundaries = rows(conn, "select code, source, geometry, effective, fetch_id from boundaries")
    return Areas(
        [Organisation(**row) for row in rows(conn, RELATED)],
        [Link(**row) for row in links if row["effective"]],
        [
            Boundary(
                row["code"], row["source"], row["geometry"], row["effective"],
                (int(row["source"] in bundled), -(row["fetch_id"] or 0)),
            )
            for row in boundaries
        ],
    )  # fmt: skip


def read_map(conn: sqlite3.Connection, as_of: str, kind: str | None) -> MapRead:
    """Everything the map of `as_of` shows, read from one commit of the database."""
    areas = read_areas(conn)
    kinds = sorted({o.kind for o in areas.existing(as_of)})
    plans = {k: areas.plan(as_of, k) for k in kinds}
    plans = {k: plan for k, plan in plans.items() if plan.drawn or k == kind}
    codes = [code for plan in plans.values() for code in (*plan.drawn, *plan.not_drawn)]
    held: dict[str, list[dict[str, Any]]] = {}
    for row in rows(conn, HELD, {"d": as_of, "codes": json.dumps(codes)}):
        del row["recorded_at"]
        held.setdefault(row.pop("org_code"), []).append(row)
    unmapped = {row["kind"]: row["n"] for row in rows(conn, UNMAPPED, {"d": as_of})}
    used = sorted(
        {b.source for plan in plans.values() for code in (*plan.drawn, *plan.context)
         for b in areas.boundaries.get(code, ())}
    )  # fmt: skip
    credits = {row["name"]: row for row in rows(conn, CREDITS, {"names": json.dumps(used)})}
    return MapRead(areas, plans, held, unmapped, credits)


def _choose_kind(plans: dict[str, MapPlan], ratings: dict[str, Any], kind: str | None) -> str:
    """The kind asked for, else the kind with most rated areas drawn, then most areas."""
    if kind:
        return kind
    return max(
        plans,
        key=lambda k: (
            sum(code in ratings for code in plans[k].drawn),
            len(plans[k].drawn),
            k == "stp",
            k,
        ),
    )


def _attribution(credits: dict[str, dict[str, Any]], sources: set[str]) -> str:
    """The credit lines of the boundary sources drawn: their attribution, else their publisher
    and licence."""
    lines = []
    for name in sorted(sources):
        row = credits.get(name, {})
        line = row.get("attribution") or "Boundaries: " + ", ".join(
            filter(None, [row.get("publisher") or name, row.get("licence")])
        )
        if line not in lines:
            lines.append(line)
    return " ".join(lines)


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def map_geometry(
    read: MapRead, as_of: str, kind: str | None, url: Callable[[str], str], settings: Any
) -> dict[str, Any]:
    """The GeoJSON FeatureCollection of the map of `as_of` from what `read_map` read.

    One kind of organisation is drawn, so areas never overlap: `kind`, else the kind with most
    ratings. Where sources disagree the rating that took effect last (then the one recorded
    last) gives the colour, and every source's rating is listed.
    """
    ratings, organisations = read.ratings, read.areas.organisations
    kind = _choose_kind(read.plans, ratings, kind) if read.plans else kind
    plan = read.plans.get(kind or "", MapPlan())

    def properties(code: str) -> dict[str, Any]:
        """What the map shows of one area: who, its rating then and every source's."""
        found = ratings.get(code, [])
        rating = found[0]["rating"] if found else None
        return {
            "code": code,
            "name": organisations[code].name,
            "kind": organisations[code].kind,
            "rating": rating or "Unknown",
            "band_rank": found[0]["band_rank"] if found else None,
            "colour": settings.colour(rating),
            "ratings": found,
            "url": url(code),
        }

    older = {
        code: {"code": code, "name": organisations[code].name,
               "until": organisations[code].valid_to, "url": url(code)}
        for code in plan.context
    }  # fmt: skip
    used = {b.source for code in [*plan.drawn, *plan.context]
            for b in read.areas.boundaries.get(code, ())}  # fmt: skip
    return {
        "type": "FeatureCollection",
        "as_of": as_of,
        "kind": kind,
        "kinds": sorted(read.plans),
        "legend": settings.legend(),
        "attribution": _attribution(read.credits, used),
        "features": [_feature(shape, properties(code)) for code, shape in plan.drawn.items()],
        "not_drawn": [{**properties(code), "reason": why} for code, why in plan.not_drawn.items()],
        "unmapped": read.unmapped.get(kind or "", 0),
        "context": {
            "type": "FeatureCollection",
            "features": [_feature(shape, older[code]) for code, shape in plan.context.items()],
        },
    }


async def map_data(datasette: Any, as_of: str, kind: str | None) -> dict[str, Any]:
    """The map of the areas that existed on `as_of` (of `kind`, else the kind with most
    ratings), as GeoJSON."""
    read = await read_together(datasette, lambda conn: read_map(conn, as_of, kind))

    def url(code: str) -> str:
        return org_path(datasette, code)

    return map_geometry(read, as_of, kind, url, published(datasette))


def _as_of(request: Any) -> str:
    """The ?as_of= date (any form parse_date accepts), today if absent."""
    text = (request.args.get("as_of") or "").strip()
    if not text:
        return today()
    return parse_date(text, where="as_of")


async def map_geojson(datasette: Any, request: Any) -> Response:
    """/-/map.geojson?as_of=YYYY-MM-DD&kind=stp: the map's data."""
    try:
        as_of = _as_of(request)
    except ConfigError as exc:
        return Response.json({"ok": False, "error": str(exc)}, status=400)
    data = await map_data(datasette, as_of, request.args.get("kind") or None)
    return Response(
        json.dumps(data, separators=(",", ":")),
        content_type="application/geo+json; charset=utf-8",
    )


# The kinds of organisation that existed on :d with something to draw.
MAP_KINDS = (
    "select distinct o.kind from organisations o "
    "where coalesce(o.valid_from, '') <= :d and (o.valid_to is null or :d < o.valid_to) "
    "and (o.code in (select code from boundaries) "
    "or o.code in (select successor from lineage)) order by o.kind"
)


def read_map_page(conn: sqlite3.Connection, as_of: str, focus: str | None) -> dict[str, Any]:
    """What the map page shows around the map: its date (a day `focus` existed, if asked
    without a date), the kinds it can draw, and the boundaries stored."""
    if focus:
        found = rows(conn, "select valid_from, valid_to from organisations where code = ?", [focus])
        if found:
            as_of = lifetime_day(found[0]["valid_from"], found[0]["valid_to"], as_of)
    return {
        "as_of": as_of,
        "kinds": [row["kind"] for row in rows(conn, MAP_KINDS, {"d": as_of})],
        "boundaries": rows(conn, "select count(*) as n from boundaries")[0]["n"],
        "boundary_sources": [
            row["name"]
            for row in rows(
                conn,
                "select name from sources where format = 'geojson' order by enabled desc, name",
            )
            if row["name"] not in bundled_sources()
        ],
    }


def lifetime_day(start: str | None, end: str | None, day: str) -> str:
    """`day` if an organisation that existed from `start` until `end` existed then, else the
    nearest day of its lifetime."""
    if end and day >= end:
        return (dt.date.fromisoformat(end) - dt.timedelta(days=1)).isoformat()
    return start if start and day < start else day


async def map_page(datasette: Any, request: Any) -> Response:
    """/-/map: the choropleth of ratings on a date, with a legend; a click opens the area's page."""
    settings = published(datasette)
    error = None
    try:
        as_of = _as_of(request)
    except ConfigError as exc:
        as_of, error = today(), str(exc)
    focus = None if request.args.get("as_of") else request.args.get("focus")
    read = await read_together(datasette, lambda conn: read_map_page(conn, as_of, focus))
    kind = request.args.get("kind") or ""
    query = f"as_of={quote(read['as_of'])}" + (f"&kind={quote(kind)}" if kind else "")
    context = {
        **read,
        "kind": kind,
        "legend": settings.legend(),
        "geojson_url": datasette.urls.path(f"-/map.geojson?{query}"),
        "error": error,
        "database": settings.database,
    }
    return Response.html(await datasette.render_template("stp_map.html", context, request=request))


__all__ = ["map_data", "map_geojson", "map_geometry", "map_page", "read_map"]
