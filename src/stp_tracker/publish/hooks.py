"""Datasette plugin hooks: our pages, organisation links, the Atom renderer and read-only guards.

Datasette's plugin manager is process-wide, so every hook first checks that the Datasette asking
was built by build_datasette (`is_ours`) and otherwise does nothing.
"""

from __future__ import annotations

import json
import time
from typing import Any

import markupsafe
from datasette import hookimpl

from . import csvsafe, guards, map_page, org_page, pages
from .atom import can_render, render_atom
from .settings import is_ours, published

# Actions that would change data (Datasette 1.0 names them; 0.65 has none, but a plugin might).
WRITE_ACTIONS = frozenset(
    {
        "insert-row",
        "delete-row",
        "update-row",
        "upsert-row",
        "create-table",
        "drop-table",
        "alter-table",
        "view-database-download",
    }
)
READ_METHODS = frozenset({"GET", "HEAD"})
CODE_CACHE_SECONDS = 60.0


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    """The organisation pages, the map, its GeoJSON and robots.txt; /-/databases without
    the database's path (plugin routes come before Datasette's own)."""
    if not is_ours(datasette):
        return []
    return [
        (r"^/-/org/(?P<code>[^/]+)$", org_page.organisation_page),
        (r"^/-/map$", map_page.map_page),
        (r"^/-/map\.geojson$", map_page.map_geojson),
        (r"^/robots\.txt$", pages.robots_txt),
        (r"^/-/databases(\.json)?$", guards.databases_route),
    ]


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any] | None:
    """``.atom`` for any result with atom_id, atom_title and atom_updated columns."""
    if not is_ours(datasette):
        return None
    return {"extension": "atom", "render": render_atom, "can_render": can_render}


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    """Bounds on what a query may build (guards.py); org_key() (a name folded as
    aliases.normalised is) for canned queries that accept any name ever used, and fold();
    query_only as a second lock."""
    if is_ours(datasette) and database == published(datasette).database:
        guards.prepare(conn, published(datasette).limits)
        conn.execute("pragma query_only = 1")


@hookimpl
def permission_allowed(datasette: Any, action: str) -> bool | None:
    """Refuse every action that would write, whoever asks."""
    if is_ours(datasette) and action in WRITE_ACTIONS:
        return False
    return None


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    """Answer anything but GET and HEAD with 405 (nothing here accepts a form or an upload),
    and make CSV exports formula-safe."""

    def wrap(app: Any) -> Any:
        if not is_ours(datasette):
            return app
        app = csvsafe.csv_safe(app)  # formula-like CSV cells are neutralised on the way out

        async def read_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope.get("method", "GET") not in READ_METHODS:
                body = b"This site is read-only.\n"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 405,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"allow", b"GET, HEAD"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)

        return read_only

    return wrap


async def known_codes(datasette: Any) -> frozenset[str]:
    """Every organisation code, read again once the database has committed (the server's
    `data_state`, set by its caching middleware), so a page kept for a commit never misses a
    link that commit made; a minute where there is no such state."""
    state_of = getattr(datasette, "data_state", None)
    state = state_of() if state_of is not None else None
    cached = getattr(datasette, "_stp_codes", None)
    if cached and state is not None and cached[0] == state:
        return cached[2]
    if cached and state is None and time.monotonic() - cached[1] < CODE_CACHE_SECONDS:
        return cached[2]
    db = datasette.get_database(published(datasette).database)
    codes = frozenset(row[0] for row in (await db.execute("select code from organisations")).rows)
    datasette._stp_codes = (state, time.monotonic(), codes)  # read after `state`: never older
    return codes


def org_link(datasette: Any, code: str, label: str | None = None) -> markupsafe.Markup:
    """A link to an organisation's page."""
    text = f"{label} ({code})" if label and label != code else code
    return markupsafe.Markup('<a class="stp-org" href="{}">{}</a>').format(
        pages.org_path(datasette, code), text
    )


def _points(coordinates: Any) -> int:
    if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
        return sum(_points(item) for item in coordinates)
    return 1


def geometry_summary(value: str) -> str | None:
    """'Polygon, 123 points' for a stored GeoJSON geometry, instead of pages of numbers."""
    try:
        geometry = json.loads(value)
        kind, points = geometry["type"], _points(geometry["coordinates"])
    except (ValueError, KeyError, TypeError):
        return None
    return f"{kind}, {points:,} points"


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    """Link every organisation code (and the organisations table's names) to its page."""
    if not is_ours(datasette) or database != published(datasette).database:
        return None
    if table == "boundaries" and column == "geometry" and isinstance(value, str):
        return geometry_summary(value)
    settings = published(datasette)
    if table == "organisations" and column == "name" and value:
        # The code column links to the row; the name links to the organisation's page.
        return markupsafe.Markup('<a class="stp-org" href="{}">{}</a>').format(
            pages.org_path(datasette, row["code"]), value
        )
    if column not in settings.org_columns:
        return None
    if isinstance(value, dict) and "value" in value:  # an expanded foreign key
        code, label = str(value["value"]), value.get("label")
    elif isinstance(value, str) and value:
        code, label = value, None
    else:
        return None

    async def link() -> Any:
        if code in await known_codes(datasette):
            return org_link(datasette, code, label)
        return None

    return link


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    """Our stylesheet on every page."""
    return [datasette.urls.path("-/stp-tracker/stp.css")] if is_ours(datasette) else []


def _links(datasette: Any) -> dict[str, str]:
    name = published(datasette).database
    return {
        "map_url": datasette.urls.path("-/map"),
        "feed_url": datasette.urls.query(name, "change_feed", format="atom"),
        "organisations_url": datasette.urls.table(name, "organisations"),
        "sources_url": datasette.urls.query(name, "source_status"),
    }


@hookimpl
def extra_template_vars(view_name: str, datasette: Any) -> dict[str, Any]:
    """Links for the footer on every page; the start panel and question list on the home page."""
    if not is_ours(datasette):
        return {}
    links = _links(datasette)
    extra: dict[str, Any] = {"stp_footer": links}
    if view_name == "index":
        name = published(datasette).database
        examples = published(datasette).examples
        queries = []
        for query, spec in (datasette.metadata("queries", database=name) or {}).items():
            url = datasette.urls.query(name, query)
            example = examples.get(query)
            queries.append(
                {
                    "title": spec.get("title") or query,
                    "description": spec.get("description", ""),
                    "url": url,
                    "example_url": f"{url}?{example}" if example else None,
                }
            )
        extra["stp"] = {**links, "queries": queries}
    return extra


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    """The map, organisations, feed and sources in the navigation menu."""
    if not is_ours(datasette):
        return []
    links = _links(datasette)
    return [
        {"href": links["map_url"], "label": "Map of ratings"},
        {"href": links["organisations_url"], "label": "Organisations"},
        {"href": links["feed_url"], "label": "Atom feed of changes"},
        {"href": links["sources_url"], "label": "Sources and their last fetch"},
    ]
