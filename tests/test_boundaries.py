"""Boundary files (parse/geojson.py, parse/bng.py, extract/boundaries.py, store/boundaries.py):
a GeoJSON file is ingested, fetched and replayed like any other, and its codes mean the
organisations of its kind that existed on its date."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from stp_tracker.config.loading import load_config
from stp_tracker.errors import ParseError
from stp_tracker.parse import parse
from stp_tracker.parse.bng import osgb36_latlon, to_wgs84
from stp_tracker.pipeline import ingest_files
from stp_tracker.service.bootstrap import init
from stp_tracker.service.collect import collect_source
from stp_tracker.store.apply import open_db
from tests.conftest import REPO, snapshot
from tests.httpserver import FixtureServer
from tests.test_parse import source

SOURCES = """
[[source]]
name = "ons-icb"
format = "geojson"
url = "{url}"

[source.columns]
"ICB22CD" = "org.code"
"ICB22NM" = "org.name"

[[source]]
name = "ons-stp"
format = "geojson"

[source.columns]
"stp17cd" = "org.code"

[[source]]
name = "stp21"
format = "geojson"

[source.columns]
"STP21CD" = "org.code"
"STP21NM" = "org.name"

[[source]]
name = "by-name"
format = "geojson"
entity = "icb"
effective = "2024-01-01"

[source.columns]
"name" = "org.name"

[[source]]
name = "dated"
format = "geojson"
entity = "any"
effective = "{effective}"

[source.columns]
"code" = "org.code"
"""


def square(x: float, y: float, size: float = 0.5) -> list[list[list[float]]]:
    """A square ring (one polygon's coordinates) with its south-west corner at (x, y)."""
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def feature(properties: dict[str, Any], x: float = 0.0, y: float = 52.0, *, multi: bool = False):
    """A Feature of a square, or of a MultiPolygon of two squares (an area with an island)."""
    if multi:
        geometry = {"type": "MultiPolygon", "coordinates": [square(x, y), square(x + 1, y)]}
    else:
        geometry = {"type": "Polygon", "coordinates": square(x, y)}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any], crs: str | None = None) -> bytes:
    """A FeatureCollection as ONS writes them, with a `crs` member naming `crs` if given."""
    document: dict[str, Any] = {"type": "FeatureCollection", "name": "ONS boundaries"}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    document["features"] = list(features)
    return json.dumps(document).encode()


# The ICBs of July 2022 keyed by their ONS code: the first three are also 2017 STP codes.
ICB22 = {"E54000008": "QYG", "E54000010": "QNC", "E54000041": "QVV", "E54000057": "QOP",
         "E54000050": "QHM"}  # fmt: skip


@pytest.fixture
def setup(tmp_path: Path, db: Database) -> dict[str, Any]:
    """A config folder with four boundary sources, and the database with the registry."""
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "scales.toml").write_text((REPO / "config" / "scales.toml").read_text())
    (folder / "sources.toml").write_text(SOURCES.format(url="", effective="2017-07-21"))
    return {"db": db, "config": load_config(folder, environ={}), "folder": folder}


def ingest(setup: dict[str, Any], name: str, data: bytes, file: str = "areas.geojson") -> Any:
    """`stp-tracker ingest NAME FILE` through the pipeline, of `data` written to a file."""
    path = setup["folder"].parent / file
    path.write_bytes(data)
    return ingest_files(setup["db"], setup["config"], name, [path])


def stored(db: Database, source: str) -> dict[str, tuple[Any, ...]]:
    """The boundaries of `source`: code -> (name, geometry type, date)."""
    return {
        code: (name, json.loads(geometry)["type"], effective)
        for code, name, geometry, effective in db.execute(
            "select code, name, geometry, effective from boundaries where source = ?", [source]
        )
    }


def test_an_icb_file_keyed_by_ons_codes_puts_every_area_on_its_icb(setup) -> None:
    """ICB22CD codes that 2017 STPs also carried mean the ICBs (kind from the property, date
    from its year), with a crs member and MultiPolygons; the summary says what matched."""
    features = [
        feature({"ICB22CD": code, "ICB22NM": f"NHS {code} ICB"}, i, 52.0, multi=i % 2 == 0)
        for i, code in enumerate(ICB22)
    ]
    report = ingest(setup, "ons-icb", collection(*features, crs="urn:ogc:def:crs:OGC:1.3:CRS84"))
    assert report.outcomes == ["changed"]
    assert report.notes == ["5 features matched (5 icb) on 2022-07-01"]
    areas = stored(setup["db"], "ons-icb")
    assert set(areas) == set(ICB22.values())
    assert areas["QYG"] == ("NHS E54000008 ICB", "MultiPolygon", "2022-07-01")
    fetch = setup["db"].execute("select outcome, records from fetches").fetchone()
    assert fetch == ("changed", 5)


def test_the_same_codes_in_a_2017_file_mean_the_stps(setup) -> None:
    """stp17cd codes (lower case, as some downloads have them) mean the 2017 STPs."""
    features = [feature({"stp17cd": code}) for code in ("E54000008", "E54000010")]
    report = ingest(setup, "ons-stp", collection(*features))
    assert report.notes == ["2 features matched (2 stp) on 2017-07-01"]
    assert set(stored(setup["db"], "ons-stp")) == {"E54000008", "E54000010"}


@pytest.mark.parametrize(
    ("effective", "expected"),
    [("2017-07-21", {"E54000008"}), ("2024-01-01", {"QYG"})],
)
def test_the_sources_date_decides_a_code_of_any_kind(tmp_path, setup, effective, expected) -> None:
    """With entity "any" and a plain "code" property, the source's date decides: in 2017
    E54000008 is the STP, in 2024 the ICB that took its code."""
    (setup["folder"] / "sources.toml").write_text(SOURCES.format(url="", effective=effective))
    setup["config"] = load_config(setup["folder"], environ={})
    report = ingest(setup, "dated", collection(feature({"code": "E54000008"})))
    assert set(stored(setup["db"], "dated")) == expected
    kind = "stp" if effective < "2022" else "icb"
    assert report.notes == [f"1 features matched (1 {kind}) on {effective}"]


def test_names_resolve_too_and_skipped_codes_are_listed(setup) -> None:
    """A file keyed by name resolves through aliases; a name of no ICB then is skipped and
    named in the summary."""
    features = [feature({"name": name}) for name in ("Devon", "Greater Manchester", "Atlantis")]
    report = ingest(setup, "by-name", collection(*features))
    assert set(stored(setup["db"], "by-name")) == {"QJK", "QOP"}
    assert report.notes == [
        "2 features matched (2 icb) on 2024-01-01; 1 skipped, naming no icb that existed "
        "then: Atlantis"
    ]


def test_two_features_of_one_area_make_a_multipolygon(setup) -> None:
    """Two features with one code are stored as one MultiPolygon area."""
    features = [feature({"stp17cd": "E54000010"}, 0), feature({"stp17cd": "E54000010"}, 5)]
    ingest(setup, "ons-stp", collection(*features))
    assert stored(setup["db"], "ons-stp")["E54000010"][1] == "MultiPolygon"


def test_a_restated_file_is_unchanged_and_a_new_one_replaces_the_sources_areas(setup) -> None:
    """The same file again records "unchanged" and writes nothing; a file with fewer areas
    replaces the source's rows, coordinates rounded to 5 decimals."""
    data = collection(feature({"stp17cd": "E54000008"}), feature({"stp17cd": "E54000010"}))
    ingest(setup, "ons-stp", data)
    before = snapshot(setup["db"])
    assert ingest(setup, "ons-stp", data).outcomes == ["unchanged"]
    assert snapshot(setup["db"]) == before
    precise = feature({"stp17cd": "E54000010"}, -2.123456789, 52.987654321)
    assert ingest(setup, "ons-stp", collection(precise)).outcomes == ["changed"]
    (geometry,) = setup["db"].execute("select geometry from boundaries").fetchone()
    assert json.loads(geometry)["coordinates"][0][0] == [-2.12346, 52.98765]


def test_national_grid_files_are_converted_to_wgs84(setup) -> None:
    """A file in British National Grid metres (crs EPSG:27700) is stored in WGS84."""
    ring = [[530268, 179640], [531268, 179640], [531268, 180640], [530268, 179640]]
    grid = {"type": "Feature", "properties": {"stp17cd": "E54000030"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
    ingest(setup, "ons-stp", collection(grid, crs="urn:ogc:def:crs:EPSG::27700"))
    (geometry,) = setup["db"].execute("select geometry from boundaries").fetchone()
    first = json.loads(geometry)["coordinates"][0][0]
    assert first == pytest.approx([-0.12463, 51.50069], abs=2e-5)  # Big Ben, to a metre or two


def test_grid_conversion_matches_the_ordnance_surveys_worked_example() -> None:
    """OS's example (651409.903, 313177.270) is 52°39′27.2531″N 1°43′4.5177″E on OSGB36."""
    latitude, longitude = osgb36_latlon(651409.903, 313177.270)
    assert latitude == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert longitude == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)
    assert to_wgs84(651409.903, 313177.270) == pytest.approx((1.71607, 52.65797), abs=2e-4)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>not json</html>", "HTML was served where a GeoJSON document was expected"),
        (b'{"type": "Topology"}', "is not a GeoJSON FeatureCollection"),
        (collection(), "the FeatureCollection has no features"),
        (collection(feature({"OTHER": "x"})), "no feature property 'stp17cd'"),
        (
            collection(
                {
                    **feature({"stp17cd": "E54000010"}),
                    "geometry": {"type": "Point", "coordinates": [0, 0]},
                }
            ),
            "row 1: geometry 'Point' is not a Polygon or MultiPolygon",
        ),
        (collection(feature({"stp17cd": "E54099999"})), "values names one stp that existed on"),
        (
            collection(feature({"stp17cd": "E54000010"}), crs="EPSG:3857"),
            "coordinates are in 'EPSG:3857'; give the file in WGS84",
        ),
    ],
)
def test_bad_boundary_files_fail_naming_the_file_and_keep_the_areas(
    setup, data: bytes, message: str
) -> None:
    """Invalid GeoJSON, a missing code property, a point, no known code or an unknown
    projection: one error naming the file, a failed fetch, and the stored areas as they were."""
    ingest(setup, "ons-stp", collection(feature({"stp17cd": "E54000008"})))
    before = snapshot(setup["db"])
    with pytest.raises(ParseError) as caught:
        ingest(setup, "ons-stp", data, "bad.geojson")
    assert str(caught.value).startswith("bad.geojson: ")  # its name, not its folder
    assert message in str(caught.value)
    assert snapshot(setup["db"]) == before
    last = setup["db"].execute("select outcome from fetches order by id desc").fetchone()
    assert last == ("failed",)


def test_an_stp21_file_puts_each_code_on_the_stp_of_2021(setup) -> None:
    """In an STP21CD file, E54000050 is Cumbria and North East (formed in 2018 from three 2017
    STPs, recoded in 2020) and E54000054 West Yorkshire's 2020 code."""
    features = [feature({"STP21CD": code}) for code in ("E54000050", "E54000054")]
    report = ingest(setup, "stp21", collection(*features))
    assert set(stored(setup["db"], "stp21")) == {"E54000049", "E54000005"}
    assert report.notes == ["2 features matched (2 stp) on 2021-07-01"]


def test_a_code_naming_two_organisations_then_is_skipped_with_both(setup) -> None:
    """A code two organisations of the file's kind carried on its date is never guessed: its
    area is skipped, and the summary names the candidates."""
    for code in ("E54000005", "E54000006"):
        setup["db"].execute(
            "insert into aliases (alias, normalised, code, origin) "
            "values ('X1', 'x1', ?, 'curated')",
            [code],
        )
    features = [feature({"STP21CD": code}) for code in ("X1", "E54000054")]
    report = ingest(setup, "stp21", collection(*features))
    assert set(stored(setup["db"], "stp21")) == {"E54000005"}
    (note,) = report.notes
    assert note.startswith("1 features matched (1 stp) on 2021-07-01; X1 skipped, naming 2: ")
    assert "(E54000005)" in note and "(E54000006)" in note


def test_fetch_and_ingest_take_one_path(setup, tmp_path: Path) -> None:
    """A boundary source fetched over HTTP (as the scheduled job does) stores what the same
    file ingested stores, with one fetches row each and the body archived."""
    data = collection(*(feature({"ICB22CD": code}, i) for i, code in enumerate(ICB22)))
    with FixtureServer() as server:
        server.route("/icb.geojson", body=data)
        url = server.url("/icb.geojson")
        (setup["folder"] / "sources.toml").write_text(SOURCES.format(url=url, effective="2017"))
        config = load_config(setup["folder"], environ={})
        report = collect_source(setup["db"], config, config.sources["ons-icb"])
    assert (report.outcome, report.records) == ("changed", 5)
    assert report.notes == ("5 features matched (5 icb) on 2022-07-01",)
    fetched = stored(setup["db"], "ons-icb")
    setup["db"].execute("delete from boundaries")
    setup["config"] = config
    ingest(setup, "ons-icb", data)
    assert stored(setup["db"], "ons-icb") == fetched


def test_init_loads_the_bundled_boundaries_once(tmp_path: Path) -> None:
    """init stores the 44 STP areas of 2017 and the 42 ICB areas of 2022 from the package, with
    their dates and attribution; a second init changes nothing."""
    path = tmp_path / "stp.db"
    db = open_db(path)
    config = load_config(REPO / "config", environ={})
    reports = init(db, config)
    assert reports["ons-stp-2017-boundaries"].notes == [
        "44 features matched (44 stp) on 2017-02-01"
    ]
    assert reports["ons-icb-2022-boundaries"].notes == [
        "42 features matched (42 icb) on 2022-07-01"
    ]
    before = snapshot(db, skip=("sources",))
    assert init(db, config) == {}
    assert snapshot(db, skip=("sources",)) == before
    conn = sqlite3.connect(path)
    counts = dict(conn.execute("select source, count(*) from boundaries group by source"))
    assert counts == {"ons-icb-2022-boundaries": 42, "ons-stp-2017-boundaries": 44}
    (attribution,) = conn.execute(
        "select attribution from sources where name = 'ons-stp-2017-boundaries'"
    ).fetchone()
    assert attribution.startswith("Source: Office for National Statistics licensed under")


def test_the_parser_gives_properties_and_geometry_as_cells() -> None:
    """Each feature is a row: its properties (nested ones dotted) and its area as GeoJSON."""
    data = collection(feature({"STP21CD": "E54000010", "extra": {"year": 2021}}, multi=True))
    table = parse(data, source("geojson"), "r.geojson")
    assert table.columns == ("STP21CD", "extra.year", "geometry")
    (row,) = table.rows
    assert row.number == 1 and row.cells["extra.year"] == "2021"
    assert json.loads(row.cells["geometry"])["type"] == "MultiPolygon"
