"""The published site in a real browser: Debian's chromium driven by playwright, against a real
uvicorn server from make_server. Screenshots go to tests/output/<test name>/; with
STP_TRACKER_SCREENSHOTS=docs/screenshots the README's map and organisation screenshots are
refreshed too (`make screenshots`).

The boundaries are generated: a hexagon per 2017 STP, laid out roughly where it is in England
(a tile map, as data journalists draw them), so the map is readable without real ONS files.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stp_tracker.publish import build_datasette, make_server
from stp_tracker.store.apply import open_db
from stp_tracker.store.boundaries import store_boundaries
from tests.conftest import REPO
from tests.test_publish import build_database, free_port

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
OUTPUT = REPO / "tests" / "output"

# (row from the south, column) of each 2017 STP on the tile map.
TILES = {
    "E54000046": (12, 3), "E54000047": (11, 2), "E54000045": (11, 3), "E54000048": (10, 2),
    "E54000005": (10, 3), "E54000006": (10, 4), "E54000008": (9, 1), "E54000007": (9, 2),
    "E54000009": (9, 3), "E54000013": (9, 4), "E54000011": (8, 1), "E54000010": (8, 2),
    "E54000012": (8, 3), "E54000014": (8, 4), "E54000016": (7, 1), "E54000017": (7, 2),
    "E54000015": (7, 3), "E54000021": (7, 4), "E54000022": (7, 5), "E54000019": (6, 1),
    "E54000018": (6, 2), "E54000020": (6, 3), "E54000024": (6, 4), "E54000023": (6, 5),
    "E54000043": (5, 1), "E54000044": (5, 2), "E54000025": (5, 3), "E54000028": (5, 4),
    "E54000026": (5, 5), "E54000039": (4, 0), "E54000040": (4, 1), "E54000034": (4, 2),
    "E54000027": (4, 3), "E54000029": (4, 4), "E54000032": (4, 5), "E54000038": (3, 0),
    "E54000042": (3, 1), "E54000035": (3, 2), "E54000031": (3, 3), "E54000030": (3, 4),
    "E54000037": (2, 0), "E54000041": (2, 1), "E54000033": (2, 3), "E54000036": (1, 0),
}  # fmt: skip


def hexagon(row: int, column: int, radius: float = 0.3) -> list[list[float]]:
    """A pointy-topped hexagon ring (lon, lat) for a tile, corrected for England's latitude."""
    stretch = 1 / math.cos(math.radians(52.5))  # a degree of longitude is shorter than latitude
    width = math.sqrt(3) * radius
    cx = -5.0 + (column + (0.5 if row % 2 else 0)) * width * stretch
    cy = 50.0 + row * 1.5 * radius
    ring = [
        [round(cx + radius * stretch * math.cos(math.radians(30 + 60 * k)), 5),
         round(cy + radius * math.sin(math.radians(30 + 60 * k)), 5)]
        for k in range(6)
    ]  # fmt: skip
    return [*ring, ring[0]]


def tile_map() -> bytes:
    """GeoJSON of the 44 STP tiles, keyed by STP17CD like the ONS files."""
    features = [
        {
            "type": "Feature",
            "properties": {"STP17CD": code},
            "geometry": {"type": "Polygon", "coordinates": [hexagon(*place)]},
        }
        for code, place in TILES.items()
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture database with tile boundaries, served by make_server on a free port."""
    built = build_database(tmp_path_factory.mktemp("browser"))
    db = open_db(built["db_path"])
    assert store_boundaries(db, "tile-map", tile_map(), "STP17CD", None, "tiles") == 44
    db.close()
    port = free_port()
    server = make_server(build_datasette(built["db_path"], REPO / "config"), "127.0.0.1", port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(request: pytest.FixtureRequest) -> Iterator:
    """A fresh chromium page (1280x900) that refuses any request leaving 127.0.0.1."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        outside: list[str] = []

        def only_local(route) -> None:
            if route.request.url.startswith("http://127.0.0.1:"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        yield tab
        context.close()
        browser.close()
        assert outside == [], f"the page tried to reach outside: {outside}"
        assert errors == [], f"JavaScript errors: {errors}"


def shoot(page, request: pytest.FixtureRequest, name: str, readme: str | None = None) -> None:
    """Save a screenshot under tests/output/<test>/ (and docs/screenshots/ when asked)."""
    folder = OUTPUT / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    target = os.environ.get("STP_TRACKER_SCREENSHOTS")
    if readme and target:
        docs = REPO / target
        docs.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(docs / f"{readme}.png"), full_page=False)


def test_home_page_introduces_the_data_and_its_questions(site, page, request) -> None:
    """The home page shows the title, how the data is collected and the canned questions."""
    page.goto(site + "/")
    body = page.inner_text("body")
    assert "NHS health-system partnerships — ratings and leaders over time" in body
    assert "How it is collected." in body
    assert "Did the partnerships rated poorly change their leaders?" in body
    assert "Open Government Licence v3.0" in body
    shoot(page, request, "home")


def test_organisation_page_shows_its_rating_leaders_and_history(site, page, request) -> None:
    """Staffordshire's page: names, successor, ratings, new leader and history are visible."""
    page.goto(site + "/-/org/E54000010")
    assert page.inner_text("h1") == "Staffordshire"
    body = page.inner_text("body")
    for text in ("Current rating", "Making progress", "Jane Doe", "Together We're Better",
                 "NHS Staffordshire and Stoke-on-Trent Integrated Care Board", "Full history",
                 "changed twice"):  # fmt: skip
        assert text in body, text
    shoot(page, request, "organisation", readme="organisation")
    page.click("text=NHS Staffordshire and Stoke-on-Trent Integrated Care Board")
    page.wait_for_url("**/-/org/QNC")
    assert "Not rated by any source." in page.inner_text("body")


def test_a_canned_query_answers_from_its_form(site, page, request) -> None:
    """ratings_as_of with a date in the URL, then another typed into its form."""
    page.goto(site + "/stp/ratings_as_of?as_of=2017-07-21&kind=stp")
    assert "The rating of every partnership on a date" in page.inner_text("h1")
    table = page.inner_text("table.rows-and-columns")
    assert "Staffordshire" in table and "Needs most improvement" in table
    shoot(page, request, "ratings_as_of")
    page.fill("input[name=as_of]", "2018-06-01")
    page.click("input[type=submit]")
    page.wait_for_url("**as_of=2018-06-01**")
    rows = page.inner_text("table.rows-and-columns")
    assert "Outstanding" in rows and "West Yorkshire" in rows


def test_the_map_colours_areas_and_a_click_opens_the_page(site, page, request) -> None:
    """The map draws 44 areas in the press colours with a counted legend; a click opens a page."""
    page.goto(site + "/-/map?as_of=2017-07-21")
    page.wait_for_selector("#stp-map[data-loaded=true]")
    assert page.locator("path.stp-area").count() == 44
    legend = page.inner_text("#stp-legend")
    assert "Needs most improvement (5)" in legend and "Unknown (24)" in legend
    fill = page.get_attribute("path.stp-area-E54000010", "fill")
    assert fill == "#d7191c"
    assert "44 areas (STP) coloured by their rating on 2017-07-21." in page.inner_text("body")
    shoot(page, request, "map", readme="map")
    page.click("path.stp-area-E54000010")
    page.wait_for_url("**/-/org/E54000010")
    assert page.inner_text("h1") == "Staffordshire"
