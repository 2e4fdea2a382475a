"""/-/org/<code>: one organisation's page, or, for a name, the organisations that had it.

Everything the page shows is read in one transaction (`pages.read_together`), each question
one query by the organisation's code, which the views answer from its rows alone.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import unquote

from datasette.utils.asgi import Response

from ..extract.normalise import fold, org_name
from ..resolve.lineage import succession
from ..resolve.resolver import looks_like_code
from .pages import org_path, read_together, rows, today
from .settings import published

# What the page shows of the organisation with code :c, one query each, by name.
SECTIONS: dict[str, str] = {
    "known": "select alias, origin, valid_from, valid_to, evidence from aliases where code = :c "
    "order by coalesce(valid_from, ''), alias",
    "predecessors": "select l.predecessor as code, o.name, o.kind, l.kind as how, l.effective "
    "from lineage l join organisations o on o.code = l.predecessor where l.successor = :c "
    "order by l.effective, o.name",
    "successors": "select l.successor as code, o.name, o.kind, l.kind as how, l.effective "
    "from lineage l join organisations o on o.code = l.successor where l.predecessor = :c "
    "order by l.effective, o.name",
    "ratings": "select attribute, rating, band_rank, rated_from, source, publisher "
    "from current_ratings where org_code = :c order by attribute, rated_from desc, source",
    "leaders": "select role, leader, since, source, publisher from current_leaders "
    "where org_code = :c order by role, source",
    "history": "select valid_from as date, valid_to as until, attribute, value, source, "
    "publisher, note, recorded_at from facts where org_code = :c and retired_at is null "
    "union all select reported_on, null, attribute, 'reported: ' || what, source, publisher, "
    "note, recorded_at from events where org_code = :c order by 1, 3, 5",
    "changes": "select effective, attribute, old_value, new_value, direction, source, publisher, "
    "recorded_at from changes where org_code = :c and retired_at is null "
    "order by effective desc, id desc",
    "conflicts": "select * from source_conflicts where org_code = :c "
    "order by attribute, overlap_from",
    "press": "select date, publisher, what, sentence, source from (select f.valid_from as date, "
    "f.publisher, f.attribute || ': ' || f.value as what, f.note as sentence, f.source "
    "from facts f where f.org_code = :c and f.retired_at is null union all "
    "select e.reported_on, e.publisher, e.attribute || ': ' || e.what, e.note, e.source "
    "from events e where e.org_code = :c) where source in (select name from sources "
    "where format in ('article', 'feed')) order by date, publisher, what",
    "boundary": "select 1 from boundaries where code = :c limit 1",
}
# Organisations whose own code, any alias or code they ever had, or any name a source stated
# for them is :text, oldest first.
FIND_CODES = (
    "select distinct o.code, o.name, o.kind, o.valid_from, o.valid_to from organisations o "
    "where o.code in (:text, :upper) or lower(o.name) = lower(:text) "
    "or o.code in (select code from aliases where alias = :text or normalised = :key) "
    "or o.code in (select org_code from facts where attribute = 'org.name' "
    "and retired_at is null and value_key = :folded) "
    "order by coalesce(o.valid_from, ''), o.kind, o.code"
)


def read_organisation(conn: sqlite3.Connection, text: str) -> dict[str, Any]:
    """What the page of the organisation `text` names shows, as rows: its own row under
    "organisation" and each of SECTIONS; or, when `text` is no organisation's code, the
    organisations it names ("matches") and the lineage between them ("links")."""
    found = rows(conn, "select * from organisations where code = ?", [text])
    if found:
        read = {name: rows(conn, sql, {"c": text}) for name, sql in SECTIONS.items()}
        return {"organisation": found[0], **read}
    text = text.strip()
    params = {"text": text, "upper": text.upper(), "key": org_name(text), "folded": fold(text)}
    matches = rows(conn, FIND_CODES, params)
    links = rows(conn, "select predecessor, successor from lineage") if matches else []
    return {"matches": matches, "links": links}


def organisation_context(read: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The template's context for an organisation's page, from `read_organisation`'s rows."""
    organisation = read["organisation"]
    code, ended = organisation["code"], organisation["valid_to"]
    own = {code, organisation["ods_code"], organisation["ons_code"]}
    codes = [a for a in read["known"] if looks_like_code(a["alias"]) or a["alias"] in own]
    aliases = sorted(
        (a for a in read["known"] if a not in codes and a["alias"] != organisation["name"]),
        key=lambda a: a["alias"],
    )
    ratings = [
        {**rating, "colour": settings.colour(rating["rating"])} for rating in read["ratings"]
    ]
    sections = ("predecessors", "successors", "leaders", "history", "changes", "conflicts", "press")
    return {
        "organisation": organisation,
        "database": settings.database,
        "ceased": ended if ended and ended <= today() else None,  # so nothing is current
        "codes": codes,
        "aliases": aliases,
        "ratings": ratings,
        **{name: read[name] for name in sections},
        "has_boundary": bool(read["boundary"]),
    }


def in_succession(matches: list[dict[str, Any]], links: list[dict[str, Any]]) -> list | None:
    """`matches` in order of succession when each became the next (Devon STP, then NHS Devon
    ICB), else None."""
    lifetimes = {m["code"]: (m["valid_from"], m["valid_to"]) for m in matches}
    pairs = [(link["predecessor"], link["successor"]) for link in links]
    chain = succession(lifetimes, pairs, lifetimes)
    if chain is None:
        return None
    by_code = {m["code"]: m for m in matches}
    return [by_code[code] for code in chain]


async def organisation_page(datasette: Any, request: Any) -> Response:
    """/-/org/<code>: one partnership's names, codes, lineage, rating, leaders and history.

    Any name or code it ever had works too (URL-encoded): one organisation redirects to its
    page; several that followed one another (Devon STP, then NHS Devon ICB) get a page showing
    that line of succession; unrelated ones are listed to choose from.
    """
    text = unquote(request.url_vars["code"])
    read = await read_together(datasette, lambda conn: read_organisation(conn, text))
    settings = published(datasette)
    if "organisation" in read:
        context = organisation_context(read, settings)
        return Response.html(
            await datasette.render_template("stp_organisation.html", context, request=request)
        )
    matches = read["matches"]
    if len(matches) == 1:
        return Response.redirect(org_path(datasette, matches[0]["code"]))
    chain = in_succession(matches, read["links"]) if matches else None
    if chain is not None:
        body = await datasette.render_template(
            "stp_organisation_chain.html",
            {"text": text, "chain": chain, "database": settings.database},
            request=request,
        )
        return Response.html(body)
    body = await datasette.render_template(
        "stp_organisation_missing.html",
        {"text": text, "matches": matches, "database": settings.database},
        request=request,
    )
    return Response.html(body, status=300 if matches else 404)


__all__ = ["organisation_context", "organisation_page", "read_organisation"]
