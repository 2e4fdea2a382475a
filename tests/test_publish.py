"""Publishing with Datasette: metadata, canned queries, pages, feeds, map, boundaries, safety.

A database is built once per module from fixture releases through the CLI, then every request
goes through Datasette's own test client (`ds.client`), with no server.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from click.testing import CliRunner
from datasette.app import Datasette

from stp_tracker.cli import main
from stp_tracker.errors import ConfigError
from stp_tracker.publish import build_datasette, make_server
from stp_tracker.publish.settings import metadata_path
from stp_tracker.store.apply import open_db
from tests.conftest import REPO, csv_bytes, free_port, snapshot, write_config

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST = [
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "1200", "2017-07-21"],
    ["E54000010", "Staffordshire", "Red", "Simon Whitehouse", "900", "2017-07-21"],
    ["E54000005", "West Yorkshire", "Making progress", "Rob Webster CBE", "2,500", "2017-07-21"],
]
SECOND = [
    ["E54000041", "Dorset", "Advanced", "Tim Goodson", "1200", "2018-05-01"],
    ["E54000010", "Staffordshire", "Making progress", "Jane Doe", "900", "2018-05-01"],
    ["E54000005", "West Yorkshire", "Advanced", "Rob Webster", "2500", "2018-05-01"],
]
CORRECTED = [row[:] for row in SECOND]
CORRECTED[2][2] = "Outstanding"  # the 2018 release republished: West Yorkshire was outstanding


def square(code: str, x: float, y: float, *, key: str = "STP17CD", size: float = 1.0) -> dict:
    """A GeoJSON Feature: a square with its south-west corner at (x, y)."""
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": {key: code, key[:-2] + "NM": f"Area {code}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def geojson(*features: dict) -> bytes:
    """A FeatureCollection of `features`, as bytes."""
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


# Dorset, Staffordshire, West Yorkshire (by its 2021 code, an alias) and an unknown code.
BOUNDARIES = geojson(
    square("E54000041", -2.5, 50.6),
    square("E54000010", -2.2, 52.6),
    square("E54000054", -1.8, 53.6),
    square("E54099999", 0.0, 51.0),
)


BOUNDARY_SOURCE = """
[[source]]
name = "boundaries"
title = "Test boundaries"
format = "geojson"
entity = "stp"
publisher = "Test Geography"
licence = "Open Government Licence v3.0"

[source.columns]
"STP17CD" = "org.code"
"""


def build_database(base: Path, *, squares: bool = True) -> dict[str, Any]:
    """init, two dashboard releases, a press release, a correction and (with `squares`) a
    boundary file of three squares (preferred to the bundled boundaries for their areas),
    through the CLI."""
    config = write_config(base / "config")
    with (config / "sources.toml").open("a", encoding="utf-8") as sources:
        sources.write(BOUNDARY_SOURCE)
    (base / "squares.geojson").write_bytes(BOUNDARIES)
    env = {"STP_TRACKER_DB": str(base / "db" / "stp.db"), "STP_TRACKER_CONFIG": str(config)}
    runner = CliRunner()

    def write(name: str, rows: list[list[str]], header: list[str] | None = None) -> str:
        (base / name).write_bytes(csv_bytes(rows, header))
        return str(base / name)

    steps = [
        ["init"],
        ["ingest", "dashboard", write("first.csv", FIRST), write("second.csv", SECOND)],
        ["ingest", "press", write("press.csv", [["The Dorset STP", "Advanced"]],
                                  ["Partnership", "Rating"]), "--as-of", "2017-07-21"],
        ["ingest", "dashboard", write("corrected.csv", CORRECTED)],
        ["ingest", "boundaries", str(base / "squares.geojson")],
    ][: None if squares else -1]  # fmt: skip
    for args in steps:
        result = runner.invoke(main, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    db = open_db(base / "db" / "stp.db")
    first, corrected = (
        db.execute("select min(recorded_at), max(recorded_at) from facts where source = ?",
                   ["dashboard"]).fetchone()
    )  # fmt: skip
    db.close()
    return {"db_path": base / "db" / "stp.db", "first": first, "corrected": corrected}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixture database, built once for the module."""
    return build_database(tmp_path_factory.mktemp("publish"))


@pytest.fixture(scope="module")
def ds(built: dict[str, Any]) -> Datasette:
    """The Datasette `serve` and `run` would publish, over the fixture database."""
    return build_datasette(built["db_path"], REPO / "config")


def call(ds: Datasette, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request through Datasette's test client."""

    async def go() -> httpx.Response:
        await ds.invoke_startup()
        return await getattr(ds.client, method)(path, **kwargs)

    return asyncio.run(go())


def query(ds: Datasette, name: str, **params: str) -> list[dict[str, Any]]:
    """A canned query's rows as dicts, via its JSON."""
    response = call(ds, "get", f"/stp/{name}.json?" + urlencode({**params, "_shape": "objects"}))
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def pick(rows: list[dict[str, Any]], *columns: str) -> list[tuple]:
    """The given columns of each row, as tuples."""
    return [tuple(row[c] for c in columns) for row in rows]


# Metadata -------------------------------------------------------------------------------------


def test_every_table_view_and_column_is_described(ds: Datasette, built) -> None:
    """The metadata describes every table, view and column the database has."""
    tables = ds.metadata("tables", database="stp")
    db = open_db(built["db_path"])
    missing = []
    for name in db.table_names() + db.view_names():
        described = tables.get(name) or {}
        if not described.get("description"):
            missing.append(name)
        columns = described.get("columns") or {}
        missing += [f"{name}.{c.name}" for c in db[name].columns if not columns.get(c.name)]
    assert missing == []


def test_declared_facets_and_sorts_name_real_columns(ds: Datasette, built) -> None:
    """Every facet and default sort in the metadata is a column of its table or view."""
    db = open_db(built["db_path"])
    for name, spec in ds.metadata("tables", database="stp").items():
        columns = {c.name for c in db[name].columns}
        declared = [*spec.get("facets", []), spec.get("sort"), spec.get("sort_desc")]
        assert {c for c in declared if c} <= columns, name


def test_the_home_page_has_title_about_sources_licence_and_questions(ds: Datasette) -> None:
    """Home: the title, what the data is, OGL licence, sources, and every canned question."""
    html = call(ds, "get", "/").text
    assert "NHS health-system partnerships" in html
    assert "How it is collected." in html
    assert "Open Government Licence v3.0" in html and "Office for National Statistics" in html
    for spec in ds.metadata("queries", database="stp").values():
        assert spec["title"] in html
    assert 'href="/-/map"' in html and 'href="/stp/change_feed.atom"' in html


def test_bundled_metadata_is_the_config_copy(tmp_path: Path) -> None:
    """The package's datasette.yml (used without a config copy) equals config/datasette.yml."""
    bundled = metadata_path(tmp_path)
    assert bundled != REPO / "config" / "datasette.yml"
    assert bundled.read_text() == (REPO / "config" / "datasette.yml").read_text()


def test_every_canned_query_has_a_description_and_named_parameters(ds: Datasette) -> None:
    """Each canned query declares a title, a description and its :named parameters."""
    for name, spec in ds.metadata("queries", database="stp").items():
        assert spec.get("title") and spec.get("description"), name
        assert spec.get("params"), name
        assert all(f":{p}" in spec["sql"] for p in spec["params"]), name
        assert not spec.get("write"), name


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("settings: {sql_time_limit: 5}", "settings.sql_time_limit is not a Datasette setting"),
        ("databases: {other: {}}", "databases.other: the database is always called 'stp'"),
        (
            "databases: {stp: {queries: {wipe: {sql: 'delete from facts', write: true}}}}",
            "write queries are not allowed",
        ),
        ("title: [unclosed", "cannot read Datasette metadata"),
    ],
)
def test_bad_metadata_is_a_config_error_naming_the_file(
    tmp_path: Path, built, yaml_text: str, message: str
) -> None:
    """Unknown settings, other databases, write queries and bad YAML name the file."""
    (tmp_path / "datasette.yml").write_text(yaml_text)
    with pytest.raises(ConfigError) as caught:
        build_datasette(built["db_path"], tmp_path)
    assert str(tmp_path / "datasette.yml") in str(caught.value)
    assert message in str(caught.value)


# Canned queries -------------------------------------------------------------------------------


def test_ratings_as_of_lists_every_partnership_of_the_day(ds: Datasette) -> None:
    """ratings_as_of: the 44 STPs on 2017-07-21, one row per source, Unknown where unrated."""
    rows = query(ds, "ratings_as_of", as_of="2017-07-21")
    assert len({row["org_code"] for row in rows}) == 44
    assert sum(row["rating"] == "Unknown" for row in rows) == 24
    assert pick([r for r in rows if r["org_code"] == "E54000041"], "rating", "source") == [
        ("Outstanding", "dashboard"), ("Advanced", "press"), ("Outstanding", "reference-2017"),
    ]  # fmt: skip
    assert query(ds, "ratings_as_of", as_of="2017-07-21", kind="icb") == []


def test_ratings_as_of_follows_valid_time_and_corrections(ds: Datasette) -> None:
    """ratings_as_of a 2018 date shows the corrected release; in 2023 the ICBs, none rated."""
    rows = query(ds, "ratings_as_of", as_of="2018-06-01", kind="stp")
    assert pick([r for r in rows if r["org_code"] == "E54000005"], "rating", "source") == [
        ("Outstanding", "dashboard"), ("Making progress", "reference-2017"),
    ]  # fmt: skip
    later = query(ds, "ratings_as_of", as_of="2023-01-01")
    assert len(later) == 42 and {(r["kind"], r["rating"]) for r in later} == {("icb", "Unknown")}


def test_changes_since_filters_by_date_organisation_and_kind(ds: Datasette) -> None:
    """changes_since: believed changes from a date, by code or name, and by kind."""
    columns = ("org_code", "attribute", "old_value", "new_value", "direction")
    assert sorted(pick(query(ds, "changes_since", since="2018-01-01"), *columns)) == [
        ("E54000005", "rating.overall", "Making progress", "Outstanding", "improved"),
        ("E54000010", "leader.stp_lead", "Simon Whitehouse", "Jane Doe", None),
        ("E54000010", "rating.overall", "Needs most improvement", "Making progress", "improved"),
        ("E54000041", "rating.overall", "Outstanding", "Advanced", "declined"),
    ]
    by_name = query(ds, "changes_since", since="2018-01-01", org="staffordshire")
    assert {row["org_code"] for row in by_name} == {"E54000010"} and len(by_name) == 2
    leaders = query(ds, "changes_since", since="2018-01-01", kind="leader")
    assert pick(leaders, "name", "new_value") == [("Staffordshire", "Jane Doe")]


def test_organisation_timeline_has_lineage_facts_and_events_with_sources(ds: Datasette) -> None:
    """organisation_timeline: existence, successor, ratings, leaders, metrics and events."""
    rows = query(ds, "organisation_timeline", org="E54000010")
    found = set(pick(rows, "date", "type", "attribute", "value", "source"))
    assert {
        (None, "organisation", "org.name", "Staffordshire (stp)", "registry"),
        ("2022-07-01", "lineage", "successor (rename)",
         "NHS Staffordshire and Stoke-on-Trent Integrated Care Board (QNC)", "registry"),
        ("2017-07-21", "rating", "rating.overall", "Needs most improvement", "reference-2017"),
        ("2018-05-01", "rating", "rating.overall", "Making progress", "dashboard"),
        ("2017-07-21", "leader", "leader.stp_lead", "Simon Whitehouse", "dashboard"),
        ("2018-05-01", "leader", "leader.stp_lead", "Jane Doe", "dashboard"),
        ("2017-07-21", "metric", "metric.beds", "900", "dashboard"),
        ("2017-07-21", "event", "leader.stp_lead", "changed twice", "reference-2017"),
    } <= found  # fmt: skip
    dates = [row["date"] or "" for row in rows]
    assert dates == sorted(dates)
    assert rows[0]["type"] == "organisation"
    assert query(ds, "organisation_timeline", org="Nowhere") == []


def test_belief_as_of_separates_system_time_from_valid_time(ds: Datasette, built) -> None:
    """belief_as_of: before the correction we believed Advanced; after it, Outstanding."""
    valid = {"valid_on": "2018-06-01", "org": "E54000005"}
    rating = [
        ("rating.overall", "Advanced", "dashboard", "since revised"),
        ("rating.overall", "Making progress", "reference-2017", "still believed"),
    ]
    before = query(ds, "belief_as_of", known_on=built["first"], **valid)
    assert [r for r in pick(before, "attribute", "value", "source", "status")
            if r[0] == "rating.overall"] == rating  # fmt: skip
    after = query(ds, "belief_as_of", known_on=built["corrected"], **valid)
    assert ("rating.overall", "Outstanding", "dashboard", "still believed") in pick(
        after, "attribute", "value", "source", "status"
    )
    assert ("Advanced", "dashboard") not in pick(after, "value", "source")
    assert query(ds, "belief_as_of", known_on="2000-01-01", valid_on="2018-06-01") == []
    now = query(ds, "belief_as_of", valid_on="2018-06-01", org="West Yorkshire")
    assert {r["org_code"] for r in now} == {"E54000005"}


def test_leadership_by_rating_cross_tabulates_leader_changes_by_band(ds: Datasette) -> None:
    """leadership_by_rating: per 2017 band, how many partnerships changed a leader."""
    columns = ("band", "partnerships", "changed_leader", "percent_changed",
               "from_recorded_changes", "from_press_reports")  # fmt: skip
    assert pick(query(ds, "leadership_by_rating"), *columns) == [
        ("Needs most improvement", 5, 1, 20.0, 1, 1),
        ("Making progress", 9, 7, 77.8, 0, 7),
        ("Advanced", 2, 0, 0.0, 0, 0),  # Dorset: the press, recorded last, says advanced
        ("Outstanding", 4, 0, 0.0, 0, 0),
        ("Unknown", 24, 0, 0.0, 0, 0),
    ]
    since_2018 = query(ds, "leadership_by_rating", rated_on="2017-07-21", since="2018-01-01")
    assert pick(since_2018, "band", "changed_leader", "partnerships_that_changed")[0] == (
        "Needs most improvement", 1, "Staffordshire",
    )  # fmt: skip
    assert sum(row["changed_leader"] for row in since_2018) == 1


def test_conflicting_sources_lists_disagreements(ds: Datasette) -> None:
    """conflicting_sources: sources disagreeing over overlapping dates, filterable."""
    columns = ("org_code", "overlap_from", "overlap_to", "source_a", "value_a", "source_b",
               "value_b")  # fmt: skip
    assert pick(query(ds, "conflicting_sources", org="Dorset"), *columns) == [
        ("E54000041", "2017-07-21", "2018-05-01", "dashboard", "Outstanding", "press", "Advanced"),
        ("E54000041", "2017-07-21", None, "press", "Advanced", "reference-2017", "Outstanding"),
        ("E54000041", "2018-05-01", None, "dashboard", "Advanced", "reference-2017",
         "Outstanding"),
    ]  # fmt: skip
    assert len(query(ds, "conflicting_sources", attribute="rating.overall")) == 5
    assert query(ds, "conflicting_sources", attribute="leader.stp_lead") == []


def test_source_status_gives_each_source_its_last_fetch(ds: Datasette) -> None:
    """source_status: every configured source with its latest outcome and counts."""
    rows = query(ds, "source_status")
    columns = ("source", "last_outcome", "fetches", "failures", "last_fetch_id")
    assert pick(rows, *columns) == [
        ("boundaries", "changed", 1, 0, 8),
        ("dashboard", "changed", 3, 0, 7),
        ("ons-icb-2022-boundaries", "changed", 1, 0, 3),
        ("ons-stp-2017-boundaries", "changed", 1, 0, 2),
        ("press", "changed", 1, 0, 6),
        ("reference-2017", "changed", 1, 0, 1),
    ]
    assert all(row["last_success"] == row["last_fetched"] for row in rows)
    assert pick(query(ds, "source_status", source="press"), "source") == [("press",)]


def test_change_feed_rows_are_the_latest_changes(ds: Datasette) -> None:
    """change_feed: newest recorded first, optionally one kind of change."""
    rows = query(ds, "change_feed")
    assert rows[0]["atom_title"] == (
        "West Yorkshire — rating.overall: Making progress → Outstanding"
    )
    assert rows[0]["atom_link"] == "/-/org/E54000005"
    # 37 reference + 13 dashboard + 1 press + 1 correction - 1 retired, and West Yorkshire's
    # org.code first stated by the dashboard (ONS recoded it in 2020, so its code is recorded)
    assert len(rows) == 52
    assert {row["kind"] for row in query(ds, "change_feed", kind="leader")} == {"leader"}


def test_organisation_feed_rows_are_one_organisations_changes(ds: Datasette) -> None:
    """organisation_feed: every change to one organisation, by code or name."""
    rows = query(ds, "organisation_feed", org="Staffordshire")
    assert {row["org_code"] for row in rows} == {"E54000010"} and len(rows) == 6
    assert rows[0]["atom_feed_title"] == "stp-tracker — changes to Staffordshire"


# Atom -----------------------------------------------------------------------------------------


def parse_feed(response: httpx.Response) -> ET.Element:
    """A feed response parsed and checked against RFC 4287's required elements."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    for entry in feed.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{tag}") or "").strip(), tag
    return feed


def test_the_change_feed_is_valid_atom_listing_a_known_change(ds: Datasette) -> None:
    """/stp/change_feed.atom parses as Atom and lists Staffordshire's new leader."""
    feed = parse_feed(call(ds, "get", "/stp/change_feed.atom"))
    assert feed.findtext(f"{ATOM}title") == ds.metadata("queries", database="stp")[
        "change_feed"]["title"]  # fmt: skip
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert "Staffordshire — leader.stp_lead: Simon Whitehouse → Jane Doe" in titles
    entry = next(
        e for e in feed.findall(f"{ATOM}entry") if "Jane Doe" in e.findtext(f"{ATOM}title")
    )
    assert entry.find(f"{ATOM}link").get("href") == "http://localhost/-/org/E54000010"
    assert entry.findtext(f"{ATOM}updated").endswith("+00:00")
    assert "Effective 2018-05-01" in entry.findtext(f"{ATOM}content")


@pytest.mark.parametrize(
    ("settings", "link"),
    [
        ({"base_url": "/prefix/"}, "http://localhost/prefix/-/org/E54000010"),
        ({"force_https_urls": True}, "https://localhost/-/org/E54000010"),
    ],
)
def test_feed_links_follow_the_base_url_and_https_settings(
    built: dict[str, Any], settings: dict[str, Any], link: str
) -> None:
    """An entry's link to an organisation's page is absolute under Datasette's base_url and
    force_https_urls, as every other absolute link it makes."""
    site = build_datasette(built["db_path"], REPO / "config")
    site._settings.update(settings)
    feed = parse_feed(call(site, "get", "/stp/change_feed.atom"))
    links = {e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")}
    assert link in links


def test_an_organisation_feed_is_valid_atom_even_when_empty(ds: Datasette) -> None:
    """Per-organisation feeds: Staffordshire's lists its changes; a quiet ICB's is empty."""
    feed = parse_feed(call(ds, "get", "/stp/organisation_feed.atom?org=E54000010"))
    assert feed.findtext(f"{ATOM}title") == "stp-tracker — changes to Staffordshire"
    assert len(feed.findall(f"{ATOM}entry")) == 6
    quiet = parse_feed(call(ds, "get", "/stp/organisation_feed.atom?org=QNC"))
    assert quiet.findall(f"{ATOM}entry") == []


def test_the_feed_is_linked_for_autodiscovery(ds: Datasette) -> None:
    """Home and organisation pages advertise their Atom feeds in <head>."""
    assert 'type="application/atom+xml"' in call(ds, "get", "/").text
    page = call(ds, "get", "/-/org/E54000010").text
    assert 'href="/stp/organisation_feed.atom?org=E54000010"' in page


# Safety ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("post", "/stp/changes_since", {"data": {"since": "2017-01-01"}}),
        ("post", "/stp/facts/-/insert", {"json": {"row": {"org_code": "X"}}}),
        ("post", "/stp/-/create", {"json": {"table": "x", "rows": [{"a": 1}]}}),
        ("post", "/-/messages", {"data": {"message": "hi"}}),
        ("get", "/stp.json?sql=drop+table+facts", {}),
        ("get", "/stp.json?sql=insert+into+sources+(name)+values+('x')", {}),
        ("get", "/stp.json?sql=pragma+query_only%3D0", {}),
        ("get", "/stp.db", {}),
    ],
)
def test_write_attempts_are_refused_and_change_nothing(
    ds: Datasette, built, method: str, path: str, kwargs: dict
) -> None:
    """POSTs get 405; writing SQL and the file download are refused; the database is unchanged."""
    before = snapshot(open_db(built["db_path"]), skip=())
    response = call(ds, method, path, **kwargs)
    assert response.status_code in (400, 403, 404, 405)
    if method == "post":
        assert response.status_code == 405
    assert snapshot(open_db(built["db_path"]), skip=()) == before


def test_the_database_cannot_be_written_even_from_inside(ds: Datasette) -> None:
    """Datasette's own write path is closed, and reads run with query_only."""

    async def attempt() -> None:
        await ds.get_database("stp").execute_write("delete from facts")

    async def query_only() -> int:
        return (await ds.get_database("stp").execute("pragma query_only")).rows[0][0]

    with pytest.raises(PermissionError, match="read-only"):
        asyncio.run(attempt())
    assert asyncio.run(query_only()) == 1
    assert ds.get_database("stp").is_mutable  # live, not immutable: the scheduler writes


def test_settings_limit_queries_and_forbid_download(ds: Datasette) -> None:
    """A 3-second SQL time limit, capped rows, no download; only our one database."""
    assert ds.setting("sql_time_limit_ms") == 3000
    assert ds.setting("max_returned_rows") == 1000
    assert ds.setting("allow_download") is False
    assert set(ds.databases) == {"stp", "_internal"}


def test_a_runaway_query_is_interrupted(ds: Datasette) -> None:
    """Arbitrary SQL runs under a time limit: an endless query is stopped, not left running."""
    endless = (
        "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    )
    response = call(ds, "get", "/stp.json?" + urlencode({"sql": endless, "_timelimit": "50"}))
    assert response.status_code == 400
    assert "interrupted" in response.text.lower()


def test_robots_txt_disallows_everything(ds: Datasette) -> None:
    """/robots.txt asks every crawler to keep out."""
    response = call(ds, "get", "/robots.txt")
    assert response.status_code == 200
    assert response.text.splitlines() == ["User-agent: *", "Disallow: /"]


SECRET_WORDS = ("token", "webhook", "password", "secret", "api_key", "apikey")


def test_no_configuration_secrets_are_published(ds: Datasette, built) -> None:
    """No table cell, and nothing in /-/metadata or /-/settings, carries a secret-like key."""
    db = open_db(built["db_path"])
    for table in db.table_names():
        for row in db.execute(f"select * from [{table}]"):
            for value in row:
                if isinstance(value, str):
                    assert not any(word in value.lower() for word in SECRET_WORDS), (table, value)
    assert {c.name for c in db["sources"].columns} <= {
        "name", "title", "url", "format", "entity", "layout", "creates", "complete", "schedule",
        "scale", "publisher", "licence", "attribution", "enabled", "loaded_at",
    }  # fmt: skip
    for path in ("/-/metadata.json", "/-/settings.json"):
        text = call(ds, "get", path).text.lower()
        assert not any(word in text for word in SECRET_WORDS), path


# Organisation pages and links -----------------------------------------------------------------


def test_the_organisation_page_shows_everything_about_it(ds: Datasette) -> None:
    """/-/org/CODE: names, codes, successor, changes, history; a partnership that ceased has
    no current rating, and says so."""
    response = call(ds, "get", "/-/org/E54000010")
    assert response.status_code == 200
    html = response.text
    for text in (
        "<h1>Staffordshire</h1>", "Staffordshire and Stoke on Trent", "Together We&#39;re Better",
        "E54000010", "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
        'href="/-/org/QNC"', "Making progress", "Needs most improvement", "Jane Doe",
        "Simon Whitehouse", "changed twice", "Where sources disagree", "reference-2017",
        "On the map", "None: it ceased on 2022-07-01. Its ratings are in the history below.",
    ):  # fmt: skip
        assert text in html, text


def test_an_icb_page_links_back_to_its_predecessor(ds: Datasette) -> None:
    """An ICB's page names its predecessor STP and says it is not rated."""
    html = call(ds, "get", "/-/org/QNC").text
    assert 'href="/-/org/E54000010"' in html and "Not rated by any source." in html


def test_a_name_or_old_code_redirects_to_the_organisation(ds: Datasette) -> None:
    """/-/org/<alias> redirects when it names one organisation; a code two organisations had in
    turn shows them in order of succession; an unknown one is a 404."""
    response = call(ds, "get", "/-/org/Staffordshire")
    assert response.status_code == 302
    assert response.headers["location"] == "/-/org/E54000010"
    chain = call(ds, "get", "/-/org/E54000054")
    assert chain.status_code == 200
    html = chain.text
    assert html.index('href="/-/org/E54000005"') < html.index('href="/-/org/QWO"')
    assert call(ds, "get", "/-/org/Atlantis").status_code == 404


@pytest.mark.parametrize(
    ("path", "codes"),
    [
        ("/-/org/Greater%20Manchester", ["E54000007", "QOP"]),
        ("/-/org/Devon", ["E54000037", "QJK"]),
        ("/-/org/Cumbria%20and%20North%20East", ["E54000049"]),
        ("/-/org/E54000050", ["E54000049", "QHM"]),
    ],
)
def test_any_name_or_code_ever_used_finds_its_line_of_succession(
    ds: Datasette, path: str, codes: list[str]
) -> None:
    """URL-encoded names work, and a name an STP and its ICB shared is one page listing both,
    oldest first, each linked, never an error."""
    response = call(ds, "get", path)
    if len(codes) == 1:
        assert response.status_code == 302
        assert response.headers["location"] == f"/-/org/{codes[0]}"
        return
    assert response.status_code == 200
    positions = [response.text.index(f'href="/-/org/{code}"') for code in codes]
    assert positions == sorted(positions)
    assert "one after another" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/stp/recent_changes",
        "/stp/rating_history",
        "/stp/facts",
        "/stp/lineage",
        "/stp/organisations",
        "/stp/changes_since?since=2018-01-01",
    ],
)
def test_tables_views_and_queries_link_organisations_to_their_pages(
    ds: Datasette, path: str
) -> None:
    """Every table, view and query that mentions an organisation links to its page."""
    html = call(ds, "get", path).text
    assert 'class="stp-org" href="/-/org/E54000010"' in html


def test_boundary_geometry_is_summarised_in_the_table(ds: Datasette) -> None:
    """The boundaries table shows 'Polygon, 5 points' rather than the coordinates."""
    html = call(ds, "get", "/stp/boundaries").text
    assert "Polygon, 5 points" in html and "50.6" not in html


# Map ------------------------------------------------------------------------------------------


def test_map_geojson_colours_areas_by_their_rating(ds: Datasette) -> None:
    """/-/map.geojson: the 44 STP areas in the 2017 press colours, every source's rating listed;
    the three squares of the fetched source replace the bundled boundaries of their areas."""
    data = call(ds, "get", "/-/map.geojson?as_of=2017-07-21").json()
    assert data["kind"] == "stp" and data["as_of"] == "2017-07-21"
    assert data["not_drawn"] == [] and data["context"]["features"] == []
    assert "Boundaries: Test Geography, Open Government Licence v3.0" in data["attribution"]
    assert "Contains OS data © Crown copyright and database right 2017." in data["attribution"]
    found = {f["properties"]["code"]: f for f in data["features"]}
    assert len(found) == 44
    rated = {
        code: (f["properties"]["rating"], f["properties"]["colour"])
        for code, f in found.items()
        if code in ("E54000005", "E54000010", "E54000041")
    }
    assert rated == {
        "E54000005": ("Making progress", "#fdae61"),
        "E54000010": ("Needs most improvement", "#d7191c"),
        "E54000041": ("Advanced", "#ffffbf"),  # the press, recorded last, wins the colour
    }
    assert found["E54000010"]["geometry"]["coordinates"][0][0] == [-2.2, 52.6]  # the square
    assert len(found["E54000020"]["geometry"]["coordinates"][0]) > 5  # a bundled ONS area
    assert sorted(r["source"] for r in found["E54000041"]["properties"]["ratings"]) == [
        "dashboard", "press", "reference-2017",
    ]  # fmt: skip
    assert found["E54000010"]["properties"]["url"] == "/-/org/E54000010"
    assert [entry["colour"] for entry in data["legend"]] == [
        "#1a9641", "#ffffbf", "#fdae61", "#d7191c", "#bbbbbb",
    ]  # fmt: skip


def test_map_geojson_on_other_dates(ds: Datasette) -> None:
    """Before any rating every area is grey; in 2018 the corrected rating is green."""
    early = call(ds, "get", "/-/map.geojson?as_of=21/07/2016").json()
    assert early["as_of"] == "2016-07-21"
    assert {f["properties"]["colour"] for f in early["features"]} == {"#bbbbbb"}
    later = call(ds, "get", "/-/map.geojson?as_of=2018-06-01").json()
    colours = {f["properties"]["code"]: f["properties"]["colour"] for f in later["features"]}
    assert colours["E54000005"] == "#1a9641"
    assert call(ds, "get", "/-/map.geojson?as_of=2018-13-01").status_code == 400


@pytest.mark.parametrize(
    ("as_of", "kind", "areas"),
    [("2017-07-21", "stp", 44), ("2018-04-01", "stp", 42), ("2022-06-30", "stp", 42),
     ("2022-07-01", "icb", 42), ("2024-01-01", "icb", 42), ("2026-03-31", "icb", 42),
     ("2026-04-01", "icb", 30)],
)  # fmt: skip
def test_the_map_draws_the_organisations_that_existed_on_the_date(
    ds: Datasette, as_of: str, kind: str, areas: int
) -> None:
    """44 STPs in 2017, 42 from the April 2018 merger (Cumbria and North East drawn as the
    union of the three it merged), then the 42 ICBs, then from April 2026 the ICBs of the
    mergers that can be drawn: never an organisation that did not exist on the date."""
    data = call(ds, "get", f"/-/map.geojson?as_of={as_of}").json()
    assert (data["kind"], len(data["features"])) == (kind, areas)
    assert data["kinds"] == [kind]
    assert {f["properties"]["kind"] for f in data["features"]} == {kind}
    drawn = {f["properties"]["code"] for f in data["features"]}
    assert ("E54000049" in drawn) == ("2018" <= as_of < "2022-07")
    assert ("E54000045" in drawn) == (as_of < "2018")


def test_today_the_map_draws_icbs_and_no_stp_rating(ds: Datasette) -> None:
    """Today's map draws ICBs, so the 2017 STP ratings (facts never ended) are not shown."""
    data = call(ds, "get", "/-/map.geojson").json()
    assert data["kind"] == "icb"
    assert all(f["properties"]["ratings"] == [] for f in data["features"])


def test_merged_icbs_are_drawn_as_the_union_of_whole_predecessors(ds: Datasette) -> None:
    """From April 2026, NHS West and North London (QMJ + QRV, both whole) is drawn as one
    shape; the ICBs formed with parts of split ICBs are listed as not drawn, with the reason,
    and the older areas under them are given as context."""
    data = call(ds, "get", "/-/map.geojson?as_of=2026-06-01").json()
    drawn = {f["properties"]["code"]: f for f in data["features"]}
    assert "Z9B2Z" in drawn and not {"QMJ", "QRV", "QNQ"} & drawn.keys()
    assert drawn["Z9B2Z"]["geometry"]["type"] == "Polygon"  # the shared border dissolved
    missing = {entry["code"]: entry["reason"] for entry in data["not_drawn"]}
    assert set(missing) == {"D7T5G", "S1Y5D", "T6Y0W", "S0E4D", "S9B9J", "QRL"}
    assert missing["D7T5G"].startswith("on 2026-04-01 it took in parts of ")
    assert "(QJG)" in missing["D7T5G"] and "split between successors" in missing["D7T5G"]
    context = {f["properties"]["code"] for f in data["context"]["features"]}
    assert {"QJG", "QM7", "QNQ", "QH8"} <= context and "QMJ" not in context


def test_on_the_map_from_a_dissolved_organisation_shows_a_day_it_existed(ds: Datasette) -> None:
    """The organisation page's "On the map" link (focus, no date) opens the map on the last day
    an ended STP existed, since today's map draws ICBs."""
    html = call(ds, "get", "/-/map?focus=E54000010").text
    assert "Ratings on 2022-06-30" in html and "as_of=2022-06-30" in html
    assert 'data-focus="E54000010"' in html
    assert (
        "Ratings on 2017-07-21" in call(ds, "get", "/-/map?focus=E54000010&as_of=2017-07-21").text
    )


def test_map_page_uses_local_assets_only(ds: Datasette) -> None:
    """The map page loads Leaflet and its script from this server, never a CDN."""
    html = call(ds, "get", "/-/map?as_of=2017-07-21").text
    assert "Ratings on 2017-07-21" in html and "Needs most improvement" in html
    sources = [part.split('"')[0] for part in html.split('src="')[1:]]
    sources += [part.split('"')[0] for part in html.split('data-leaflet="')[1:]]
    stylesheets = [part.split('"')[0] for part in html.split('href="')[1:] if ".css" in part[:80]]
    assert len(sources) == 2 and all(s.startswith("/") for s in sources + stylesheets), sources
    for asset in sources + stylesheets:
        assert call(ds, "get", asset.split("?")[0]).status_code == 200, asset


def test_map_page_without_boundaries_says_how_to_load_them(tmp_path: Path, built) -> None:
    """With no boundaries the map page says to run init, and names the configured boundary
    source to fetch (not one that does not exist)."""
    copy = tmp_path / "stp.db"
    with sqlite3.connect(built["db_path"]) as live, sqlite3.connect(copy) as target:
        live.backup(target)  # the WAL's pages too, which a file copy would miss
    db = open_db(copy)
    with db.atomic():
        db.execute("delete from boundaries")
    db.close()
    html = call(build_datasette(copy, REPO / "config"), "get", "/-/map").text
    assert "No boundaries are loaded" in html and "<code>stp-tracker init</code>" in html
    assert "<code>stp-tracker fetch boundaries</code>" in html
    assert "ons-stp-2017-boundaries" not in html


def test_without_a_config_copy_the_bundled_metadata_is_used(tmp_path: Path, built) -> None:
    """A config folder without datasette.yml publishes with the package's own copy."""
    ds = build_datasette(built["db_path"], tmp_path)
    assert (
        ds.metadata("title")
        == yaml.safe_load((REPO / "config" / "datasette.yml").read_text())["title"]
    )
    assert query(ds, "source_status", source="press")[0]["source"] == "press"


def test_a_missing_database_is_a_config_error(tmp_path: Path) -> None:
    """Publishing a database that does not exist says to run init."""
    with pytest.raises(ConfigError, match="stp-tracker init"):
        build_datasette(tmp_path / "nothing.db", REPO / "config")


# A real server --------------------------------------------------------------------------------


@pytest.fixture
def server(ds: Datasette) -> Iterator[str]:
    """make_server's uvicorn running in a thread; yields its base URL, stops it after."""
    port = free_port()
    running = make_server(ds, "127.0.0.1", port)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert running.started
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)
    assert not thread.is_alive()


def test_make_server_serves_in_a_thread_and_stops(server: str) -> None:
    """The uvicorn server serves the pages and the feed, and stops on should_exit."""
    with httpx.Client(base_url=server) as client:
        assert client.get("/robots.txt").text.startswith("User-agent: *")
        assert client.get("/-/org/E54000010").status_code == 200
        assert client.post("/stp/changes_since").status_code == 405
        ET.fromstring(client.get("/stp/change_feed.atom").content)


def test_other_datasettes_in_the_process_are_left_alone(ds: Datasette, built) -> None:
    """The hooks are process-wide but act only on the Datasette build_datasette made."""
    plain = Datasette([str(built["db_path"])])
    assert call(plain, "get", "/-/map").status_code == 404
    feed = call(plain, "get", "/stp/recent_changes.atom")
    assert not feed.headers["content-type"].startswith("application/atom+xml")
    assert 'class="stp-org"' not in call(plain, "get", "/stp/recent_changes").text
    assert call(ds, "get", "/-/map").status_code == 200
