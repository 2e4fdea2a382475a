"""The pages Datasette does not have: one per organisation, the ratings map and its GeoJSON.

Each page is a plain async view over the published database: a few read-only queries, then a
template from the package's templates folder. Which database, bands and colours come from the
`Published` settings that build_datasette attached to the Datasette instance.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote, unquote

from datasette.utils.asgi import Response

from ..config.sources import bundled_sources
from ..errors import ConfigError
from ..extract.dates import parse_date
from ..extract.normalise import fold, org_name
from ..resolve.lineage import succession
from ..resolve.resolver import looks_like_code
from .areas import Areas, Boundary, Link, MapPlan, Organisation
from .settings import Published, published


def today() -> str:
    """Today's date in UTC, the default 'as of' of the map."""
    return dt.datetime.now(dt.UTC).date().isoformat()


def org_path(datasette: Any, code: str) -> str:
    """The address of an organisation's page."""
    return datasette.urls.path(f"-/org/{quote(code, safe='')}")


async def _rows(datasette: Any, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Rows of a read-only query against the published database, as dicts."""
    db = datasette.get_database(published(datasette).database)
    results = await db.execute(sql, params)
    return [dict(row) for row in results.rows]


async def find_codes(datasette: Any, text: str) -> list[dict[str, Any]]:
    """Organisations whose own code, any alias or code they ever had, or any name a source
    stated for them is `text`, oldest first."""
    text = text.strip()
    return await _rows(
        datasette,
        "select distinct o.code, o.name, o.kind, o.valid_from, o.valid_to from organisations o "
        "where o.code in (:text, :upper) or lower(o.name) = lower(:text) "
        "or o.code in (select code from aliases where alias = :text or normalised = :key) "
        "or o.code in (select org_code from facts where attribute = 'org.name' "
        "and retired_at is null and value_key = :folded) "
        "order by coalesce(o.valid_from, ''), o.kind, o.code",
        {"text": text, "upper": text.upper(), "key": org_name(text), "folded": fold(text)},
    )


async def succession_of(datasette: Any, matches: list[dict[str, Any]]) -> list[dict] | None:
    """`matches` in order of succession when each became the next (Devon STP, then NHS Devon
    ICB), else None."""
    links = await _rows(datasette, "select predecessor, successor from lineage")
    lifetimes = {m["code"]: (m["valid_from"], m["valid_to"]) for m in matches}
    chain = succession(
        lifetimes, [(link["predecessor"], link["successor"]) for link in links], lifetimes
    )
    if chain is None:
        return None
    by_code = {m["code"]: m for m in matches}
    return [by_code[code] for code in chain]


async def organisation_context(datasette: Any, code: str) -> dict[str, Any] | None:
    """Everything the organisation page shows, or None when `code` is no organisation's."""
    found = await _rows(datasette, "select * from organisations where code = ?", [code])
    if not found:
        return None
    settings = published(datasette)
    organisation = found[0]
    one = {"c": code}
    context: dict[str, Any] = {"organisation": organisation, "database": settings.database}
    ended = organisation["valid_to"]
    context["ceased"] = ended if ended and ended <= today() else None  # so nothing is current
    known = await _rows(
        datasette,
        "select alias, origin, valid_from, valid_to, evidence from aliases where code = :c "
        "order by coalesce(valid_from, ''), alias",
        one,
    )
    own = {code, organisation["ods_code"], organisation["ons_code"]}
    context["codes"] = [a for a in known if looks_like_code(a["alias"]) or a["alias"] in own]
    context["aliases"] = sorted(
        (a for a in known if a not in context["codes"] and a["alias"] != organisation["name"]),
        key=lambda a: a["alias"],
    )
    for relation, this, other in (
        ("predecessors", "successor", "predecessor"),
        ("successors", "predecessor", "successor"),
    ):
        context[relation] = await _rows(
            datasette,
            f"select l.{other} as code, o.name, o.kind, l.kind as how, l.effective "
            f"from lineage l join organisations o on o.code = l.{other} where l.{this} = :c "
            "order by l.effective, o.name",
            one,
        )
    context["ratings"] = await _rows(
        datasette,
        "select attribute, rating, band_rank, rated_from, source, publisher "
        "from current_ratings where org_code = :c order by attribute, rated_from desc, source",
        one,
    )
    for rating in context["ratings"]:
        rating["colour"] = settings.colour(rating["rating"])
    context["leaders"] = await _rows(
        datasette,
        "select role, leader, since, source, publisher from current_leaders "
        "where org_code = :c order by role, source",
        one,
    )
    context["history"] = await _rows(
        datasette,
        "select valid_from as date, valid_to as until, attribute, value, source, publisher, "
        "note, recorded_at from facts where org_code = :c and retired_at is null "
        "union all select reported_on, null, attribute, 'reported: ' || what, source, "
        "publisher, note, recorded_at from events where org_code = :c "
        "order by 1, 3, 5",
        one,
    )
    context["changes"] = await _rows(
        datasette,
        "select effective, attribute, old_value, new_value, direction, source, publisher, "
        "recorded_at from changes where org_code = :c and retired_at is null "
        "order by effective desc, id desc",
        one,
    )
    context["conflicts"] = await _rows(
        datasette,
        "select * from source_conflicts where org_code = :c order by attribute, overlap_from",
        one,
    )
    context["press"] = await _rows(
        datasette,
        "select date, publisher, what, sentence, source from (select f.valid_from as date, "
        "f.publisher, f.attribute || ': ' || f.value as what, f.note as sentence, f.source "
        "from facts f where f.org_code = :c and f.retired_at is null union all "
        "select e.reported_on, e.publisher, e.attribute || ': ' || e.what, e.note, e.source "
        "from events e where e.org_code = :c) where source in (select name from sources "
        "where format in ('article', 'feed')) order by date, publisher, what",
        one,
    )
    context["has_boundary"] = bool(
        await _rows(datasette, "select 1 from boundaries where code = :c", one)
    )
    return context


async def organisation_page(datasette: Any, request: Any) -> Response:
    """/-/org/<code>: one partnership's names, codes, lineage, rating, leaders and history.

    Any name or code it ever had works too (URL-encoded): one organisation redirects to its
    page; several that followed one another (Devon STP, then NHS Devon ICB) get a page showing
    that line of succession; unrelated ones are listed to choose from.
    """
    text = unquote(request.url_vars["code"])
    context = await organisation_context(datasette, text)
    if context is not None:
        return Response.html(
            await datasette.render_template("stp_organisation.html", context, request=request)
        )
    matches = await find_codes(datasette, text)
    if len(matches) == 1:
        return Response.redirect(org_path(datasette, matches[0]["code"]))
    database = published(datasette).database
    chain = await succession_of(datasette, matches) if matches else None
    if chain is not None:
        body = await datasette.render_template(
            "stp_organisation_chain.html",
            {"text": text, "chain": chain, "database": database},
            request=request,
        )
        return Response.html(body)
    body = await datasette.render_template(
        "stp_organisation_missing.html",
        {"text": text, "matches": matches, "database": database},
        request=request,
    )
    return Response.html(body, status=300 if matches else 404)


def _as_of(request: Any) -> str:
    """The ?as_of= date (any form parse_date accepts), today if absent."""
    text = (request.args.get("as_of") or "").strip()
    if not text:
        return today()
    return parse_date(text, where="as_of")


async def _areas(datasette: Any) -> Areas:
    """The organisations, lineage and boundaries of the published database."""
    bundled = {name for name, source in bundled_sources().items() if source.format == "geojson"}
    organisations = await _rows(
        datasette, "select code, name, kind, valid_from, valid_to from organisations"
    )
    links = await _rows(datasette, "select predecessor, successor, effective, kind from lineage")
    boundaries = await _rows(
        datasette, "select code, source, geometry, effective, fetch_id from boundaries"
    )
    return Areas(
        [Organisation(**row) for row in organisations],
        [Link(**row) for row in links if row["effective"]],
        [
            Boundary(
                row["code"], row["source"], row["geometry"], row["effective"],
                (int(row["source"] in bundled), -(row["fetch_id"] or 0)),
            )
            for row in boundaries
        ],
    )  # fmt: skip


async def _held(datasette: Any, as_of: str, codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every source's overall rating held on `as_of` by each of `codes`, the one that took
    effect last (then was recorded last) first."""
    held = await _rows(
        datasette,
        "select org_code, value as rating, value_num as band_rank, valid_from, valid_to, source, "
        "publisher from facts where attribute = 'rating.overall' and retired_at is null "
        "and valid_from <= :d and :d < coalesce(valid_to, '9999') "
        "and org_code in (select value from json_each(:codes)) "
        "order by org_code, valid_from desc, recorded_at desc, source",
        {"d": as_of, "codes": json.dumps(codes)},
    )
    ratings: dict[str, list[dict[str, Any]]] = {}
    for row in held:
        ratings.setdefault(row.pop("org_code"), []).append(row)
    return ratings


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


async def _attribution(datasette: Any, sources: set[str]) -> str:
    """The credit lines of the boundary sources drawn: their attribution, else their publisher
    and licence."""
    credits = await _rows(
        datasette,
        "select name, publisher, licence, attribution from sources "
        "where name in (select value from json_each(:names)) order by name",
        {"names": json.dumps(sorted(sources))},
    )
    known = {row["name"]: row for row in credits}
    lines = []
    for name in sorted(sources):
        row = known.get(name, {})
        line = row.get("attribution") or "Boundaries: " + ", ".join(
            filter(None, [row.get("publisher") or name, row.get("licence")])
        )
        if line not in lines:
            lines.append(line)
    return " ".join(lines)


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


async def map_data(datasette: Any, as_of: str, kind: str | None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the areas that existed on `as_of`, coloured by the rating
    each held then.

    Only organisations alive on the date are drawn (areas.py says with which boundary, and
    lists those it cannot draw). Where sources disagree the rating that took effect last (then
    the one recorded last) gives the colour, and every source's rating is listed. One kind of
    organisation is drawn, so areas never overlap: `kind`, else the kind with most ratings.
    """
    settings = published(datasette)
    areas = await _areas(datasette)
    existing = areas.existing(as_of)
    plans = {k: areas.plan(as_of, k) for k in sorted({o.kind for o in existing})}
    plans = {k: plan for k, plan in plans.items() if plan.drawn or k == kind}
    ratings = await _held(datasette, as_of, [o.code for o in existing])
    kind = _choose_kind(plans, ratings, kind) if plans else kind
    plan = plans.get(kind or "", MapPlan())
    organisations = areas.organisations

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
            "url": org_path(datasette, code),
        }

    older = {
        code: {"code": code, "name": organisations[code].name,
               "until": organisations[code].valid_to, "url": org_path(datasette, code)}
        for code in plan.context
    }  # fmt: skip
    drawn = [*plan.drawn, *plan.context]
    used = {b.source for code in drawn for b in areas.boundaries.get(code, ())}
    return {
        "type": "FeatureCollection",
        "as_of": as_of,
        "kind": kind,
        "kinds": sorted(plans),
        "legend": settings.legend(),
        "attribution": await _attribution(datasette, used),
        "features": [_feature(shape, properties(code)) for code, shape in plan.drawn.items()],
        "not_drawn": [{**properties(code), "reason": why} for code, why in plan.not_drawn.items()],
        "context": {
            "type": "FeatureCollection",
            "features": [_feature(shape, older[code]) for code, shape in plan.context.items()],
        },
    }


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


async def _lifetime_day(datasette: Any, code: str, day: str) -> str:
    """`day` if the organisation existed then, else the nearest day of its lifetime."""
    found = await _rows(
        datasette, "select valid_from, valid_to from organisations where code = ?", [code]
    )
    if not found:
        return day
    start, end = found[0]["valid_from"], found[0]["valid_to"]
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
    focus = request.args.get("focus")
    if focus and not request.args.get("as_of"):  # show the area on a day it existed
        as_of = await _lifetime_day(datasette, focus, as_of)
    stored = await _rows(datasette, "select count(*) as n from boundaries")
    kinds = await _rows(
        datasette,
        "select distinct o.kind from organisations o "
        "where coalesce(o.valid_from, '') <= :d and (o.valid_to is null or :d < o.valid_to) "
        "and (o.code in (select code from boundaries) "
        "or o.code in (select successor from lineage)) order by o.kind",
        {"d": as_of},
    )
    bundled = set(bundled_sources())
    boundary_sources = [
        row
        for row in await _rows(
            datasette,
            "select name from sources where format = 'geojson' order by enabled desc, name",
        )
        if row["name"] not in bundled
    ]
    kind = request.args.get("kind") or ""
    query = f"as_of={quote(as_of)}" + (f"&kind={quote(kind)}" if kind else "")
    context = {
        "as_of": as_of,
        "kind": kind,
        "kinds": [row["kind"] for row in kinds],
        "boundaries": stored[0]["n"] if stored else 0,
        "boundary_sources": [row["name"] for row in boundary_sources],
        "legend": settings.legend(),
        "geojson_url": datasette.urls.path(f"-/map.geojson?{query}"),
        "error": error,
        "database": settings.database,
    }
    return Response.html(await datasette.render_template("stp_map.html", context, request=request))


async def robots_txt(datasette: Any) -> Response:
    """/robots.txt: by default, ask every crawler to keep out."""
    return Response.text(published(datasette).robots_txt)


def routes() -> list[tuple[str, Any]]:
    """The routes this module serves, for Datasette's register_routes hook."""
    return [
        (r"^/-/org/(?P<code>[^/]+)$", organisation_page),
        (r"^/-/map$", map_page),
        (r"^/-/map\.geojson$", map_geojson),
        (r"^/robots\.txt$", robots_txt),
    ]


__all__ = ["Published", "map_data", "organisation_context", "routes"]
