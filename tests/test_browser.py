"""The published site in a real browser: Debian's chromium driven by playwright, against a real
uvicorn server from make_server. Screenshots go to tests/output/<test name>/; with
STP_TRACKER_SCREENSHOTS=docs/screenshots the README's map and organisation screenshots are
refreshed too (`make screenshots`).

The map draws the boundaries `init` loads from the package: the ONS areas of the 44 STPs of 2017
and the 42 ICBs of 2022, with no network and no other boundary source.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stp_tracker.publish import build_datasette, make_server
from tests.conftest import REPO, free_port
from tests.test_publish import build_database

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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture database with only the bundled boundaries, served on a free port."""
    built = build_database(tmp_path_factory.mktemp("browser"), squares=False)
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
    """The bundled map of 2017 draws the 44 ONS areas in the press colours with a counted
    legend and the ONS attribution; a click opens the area's page."""
    page.goto(site + "/-/map?as_of=2017-07-21")
    page.wait_for_selector("#stp-map[data-loaded=true]")
    assert page.locator("path.stp-area").count() == 44
    legend = page.inner_text("#stp-legend")
    assert "Needs most improvement (5)" in legend and "Unknown (24)" in legend
    fill = page.get_attribute("path.stp-area-E54000010", "fill")
    assert fill == "#d7191c"
    body = page.inner_text("body")
    assert "44 areas (STP) coloured by their rating on 2017-07-21." in body
    assert "Contains OS data © Crown copyright and database right 2017." in body
    assert page.locator("#stp-not-drawn").is_hidden()
    shoot(page, request, "map", readme="map")
    page.click("path.stp-area-E54000010")
    page.wait_for_url("**/-/org/E54000010")
    assert page.inner_text("h1") == "Staffordshire"


@pytest.mark.parametrize(("as_of", "kind", "areas"), [("2024-01-01", "ICB", 42)])
def test_the_map_of_another_date_draws_the_organisations_of_then(
    site, page, request, as_of: str, kind: str, areas: int
) -> None:
    """On 1 January 2024 the map draws the 42 ICBs, and no STP."""
    page.goto(f"{site}/-/map?as_of={as_of}")
    page.wait_for_selector("#stp-map[data-loaded=true]")
    assert page.locator("path.stp-area").count() == areas
    assert page.locator("path.stp-area-E54000010").count() == 0
    assert f"{areas} areas ({kind}) coloured" in page.inner_text("body")
    shoot(page, request, f"map-{as_of}")


def test_after_the_mergers_the_map_lists_what_it_cannot_draw(site, page, request) -> None:
    """After 1 April 2026 the merged ICB formed from whole ICBs is drawn, those formed with
    parts of split ICBs are listed with the reason, and the older areas under them shaded."""
    page.goto(site + "/-/map?as_of=2026-06-01")
    page.wait_for_selector("#stp-map[data-loaded=true]")
    assert page.locator("path.stp-area").count() == 30
    assert page.locator("path.stp-area-Z9B2Z").count() == 1
    assert page.locator("path.stp-context").count() == 10
    listed = page.inner_text("#stp-not-drawn")
    assert "NHS Essex (D7T5G)" in listed and "split between successors" in listed
    assert "6 not drawn (listed below)." in page.inner_text("#stp-map-status")
    shoot(page, request, "map-2026")
