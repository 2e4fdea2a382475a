"""Lifetimes beyond resolution: views and questions as of a date, lookups by people along a line
of succession, explicit creation with skip rules, rebuild after a column rename, and the
service's log line.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from stp_tracker.publish import build_datasette
from stp_tracker.service.logs import setup_logging
from stp_tracker.service.run import log_report
from tests.conftest import REPO
from tests.httpserver import FixtureServer, fixture_server
from tests.test_collect import Tracker as Fetcher
from tests.test_collect import source_toml
from tests.test_identity import ICB_SOURCE, ONS_SOURCE, PRESS, Tracker, ons_lookup


def query(db_path: Path, name: str, **params: str) -> list[dict[str, Any]]:
    """A canned query's rows through Datasette's own client."""
    ds = build_datasette(db_path, REPO / "config")

    async def go() -> Any:
        await ds.invoke_startup()
        return await ds.client.get(
            f"/stp/{name}.json?" + urlencode({**params, "_shape": "objects"})
        )

    response = asyncio.run(go())
    assert response.status_code == 200, response.text
    return response.json()["rows"]


@pytest.fixture
def icb_rated(tmp_path: Path) -> Tracker:
    """The reference facts (2017 STPs) plus a 2023 ICB file with a rating and a leader."""
    extra = ICB_SOURCE.format(entity="icb", extra='scale = "stp-2017"').replace(
        '"Beds" = "metric.beds"', '"Rating" = "rating.overall"\n"Chair" = "leader.chair"'
    )
    tracker = Tracker(tmp_path, extra)
    text = "ICB23CD,ICB23NM,Rating,Chair\nE54000008,NHS Cheshire and Merseyside,Advanced,Ann Lee\n"
    tracker.ingest("icb-stats", "icb.csv", text, "2023-04-01")
    return tracker


def test_current_views_show_only_organisations_that_exist_today(icb_rated: Tracker) -> None:
    """The 2017 STPs' ratings and leads are not current (the STPs ceased in 2022) while the
    ICB's are; their history keeps every one of them."""
    assert icb_rated.rows("select org_code, rating from current_ratings") == [("QYG", "Advanced")]
    assert icb_rated.rows("select org_code, leader from current_leaders") == [("QYG", "Ann Lee")]
    assert icb_rated.rows(
        "select count(*) from rating_history where kind = 'stp' and valid_to is null"
    ) == [(20,)]


@pytest.mark.parametrize(
    ("as_of", "present", "absent"),
    [
        ("2017-07-21", {"E54000045", "E54000047"}, {"E54000049", "QYG"}),
        ("2019-01-01", {"E54000049", "E54000005"}, {"E54000045", "QYG"}),
        ("2023-06-01", {"QYG", "QHM"}, {"E54000049", "E54000008"}),
    ],
)
def test_ratings_as_of_lists_the_partnerships_that_existed_then(
    icb_rated: Tracker, as_of: str, present: set[str], absent: set[str]
) -> None:
    """ratings_as_of on a date has exactly the organisations alive then: before the 2018
    merger its three STPs, after it Cumbria and North East, after 2022 the ICBs."""
    codes = {row["org_code"] for row in query(icb_rated.db_path, "ratings_as_of", as_of=as_of)}
    assert present <= codes and not (absent & codes)


def test_belief_as_of_leaves_out_organisations_that_had_ceased(icb_rated: Tracker) -> None:
    """What was believed about 2023 holds no 2017 STP fact, though those facts never ended."""
    rows = query(icb_rated.db_path, "belief_as_of", valid_on="2023-06-01")
    assert {row["org_code"] for row in rows} == {"QYG"}


@pytest.mark.parametrize(
    ("org", "codes"),
    [
        ("Devon", {"E54000037", "QJK"}),
        ("E54000008", {"E54000008", "QYG"}),
        ("qyg", {"QYG"}),
        ("Cheshire & Merseyside", {"E54000008", "QYG"}),
    ],
)
def test_canned_queries_accept_any_name_or_code_ever_used(
    icb_rated: Tracker, org: str, codes: set[str]
) -> None:
    """organisation_timeline's org takes any spelling ever used, folded as aliases are."""
    rows = query(icb_rated.db_path, "organisation_timeline", org=org)
    assert {row["org_code"] for row in rows} == codes


def test_history_of_a_name_two_organisations_had_shows_the_chain(tmp_path: Path) -> None:
    """`history Devon` shows the STP and then the ICB, never an ambiguity error."""
    tracker = Tracker(tmp_path)
    result = tracker.cli("history", "Devon")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "'Devon' names 2 organisations, one after another: Devon (E54000037) -> "
        "NHS Devon Integrated Care Board (QJK)\n"
    )
    assert result.output.index("Devon (E54000037, stp)") < result.output.index(
        "NHS Devon Integrated Care Board (QJK, icb)"
    )
    chain = json.loads(tracker.cli("history", "Devon", "--format", "json").output)["chain"]
    assert [h["organisation"]["code"] for h in chain] == ["E54000037", "QJK"]
    merged = tracker.cli("history", "Durham, Darlington, Teesside, Hambleton, Richmondshire "
                                   "and Whitby")  # fmt: skip
    assert "successor: Cumbria and North East (E54000049) merge 2018-04-01" in merged.output


def test_unrelated_organisations_sharing_a_name_are_listed(tmp_path: Path) -> None:
    """A name two unrelated partnerships answer to is an error listing both."""
    tracker = Tracker(tmp_path)
    for code in ("E54000041", "E54000038"):
        tracker.cli("alias", "add", "Wessex", code)
    result = tracker.cli("history", "Wessex")
    assert result.exit_code == 1
    assert "'Wessex' names more than one organisation: Somerset (E54000038), Dorset " in (
        result.stderr
    )


def test_changes_of_a_name_follow_its_line_of_succession(icb_rated: Tracker) -> None:
    """`changes --org "Cheshire and Merseyside"` lists the STP's and its ICB's changes."""
    rows = json.loads(icb_rated.cli("changes", "--org", "Cheshire and Merseyside", "--format",
                                    "json").output)  # fmt: skip
    assert {row["org_code"] for row in rows} == {"E54000008", "QYG"}


# Creating is explicit -------------------------------------------------------------------------

ICB_MAKER = """
[[source]]
name = "icb-list"
format = "csv"
entity = "icb"
creates = true

[source.columns]
"Code" = "org.code"
"Name" = "org.name"
"""


def test_a_creating_source_creates_only_codes_its_kind_can_have(tmp_path: Path) -> None:
    """An ICB list creates a new Q.. code, names it in the summary, and skips (naming them)
    an England row, an NHS region (Y56 is no ICB code) and a national row."""
    tracker = Tracker(tmp_path, ICB_MAKER)
    text = "Code,Name\nQYG,NHS Cheshire and Merseyside\nQZZ,NHS New Place\nE92000001,England\n"
    text += "Y56,London\n,National\n"
    result = tracker.ingest("icb-list", "icbs.csv", text, "2027-04-01")
    lines = result.output.splitlines()
    assert lines[1] == "  created 1 organisation: QZZ NHS New Place"
    assert lines[2].startswith("  skipped 3 rows: 'England' (E92000001) at ")
    assert "'London' (Y56) at " in lines[2] and "not a code an icb can have" in lines[2]
    assert "'National' at " in lines[2]
    assert tracker.rows("select code, kind, origin from organisations where origin != "
                        "'registry'") == [("QZZ", "icb", "source:icb-list")]  # fmt: skip


def test_a_source_adds_its_own_skip_rule(tmp_path: Path) -> None:
    """skip_rows patterns skip matching codes or names, whatever the kind allows."""
    tracker = Tracker(tmp_path, ICB_MAKER.replace("creates = true", 'creates = true\n'
                                                  'skip_rows = ["Q9.*"]'))  # fmt: skip
    result = tracker.ingest("icb-list", "icbs.csv", "Code,Name\nQ99,Test ICB\nQZZ,New\n",
                            "2027-04-01")  # fmt: skip
    assert "matches the source's skip_rows pattern 'Q9.*'" in result.output
    assert tracker.rows("select code from organisations where origin != 'registry'") == [("QZZ",)]


def test_a_code_some_other_organisation_had_is_never_created_again(tmp_path: Path) -> None:
    """E54000045 (an STP that ceased in 2018) in a 2027 ICB list is refused, not turned into
    an ICB on top of the STP's row."""
    tracker = Tracker(tmp_path, ICB_MAKER)
    result = tracker.ingest("icb-list", "icbs.csv", "Code,Name\nE54000045,Durham\n",
                            "2027-04-01", code=1)  # fmt: skip
    assert "'E54000045' names Durham, Darlington, Teesside" in result.stderr
    assert tracker.rows("select kind from organisations where code = 'E54000045'") == [("stp",)]


# Rebuild after ONS renamed its columns ----------------------------------------------------------


def test_a_rebuild_after_a_column_rename_keeps_every_release(tmp_path: Path) -> None:
    """The mapping was changed from STP18CD/NM to STP20CD/NM for the 2020 file: a rebuild
    replays the 2018 file as it was applied and loses nothing; re-mapping with today's
    configuration cannot, so it stops; alternative column names make both replay."""
    mapping = '"STP{y}CD" = "org.code"\n"STP{y}NM" = "org.name"'
    tracker = Tracker(tmp_path, ONS_SOURCE.format(columns=mapping.format(y=18)))
    tracker.ingest("ons-stp", "stp18.csv", ons_lookup("2018"), "2018-04-01")
    tracker.configure(ONS_SOURCE.format(columns=mapping.format(y=20)))
    tracker.ingest("ons-stp", "stp20.csv", ons_lookup("2020"), "2020-04-01")
    skip = ("_sqlite_migrations",)
    before = tracker.snapshot(skip=skip)
    assert tracker.cli("rebuild").exit_code == 0
    assert tracker.snapshot(skip=skip) == before
    stopped = tracker.cli("rebuild", "--current-config")
    assert stopped.exit_code == 1
    assert "fetch 4 of 'ons-stp' (" in stopped.stderr
    assert "mapped column 'STP20CD', 'STP20NM' not found" in stopped.stderr
    assert tracker.snapshot(skip=skip) == before
    tracker.configure(ONS_SOURCE.format(columns=mapping.format(y=18) + "\n" + mapping.format(y=20)))
    assert tracker.cli("rebuild", "--current-config").exit_code == 0
    after = tracker.snapshot(skip=skip)
    assert after["facts"] == before["facts"] and after["changes"] == before["changes"]


# The service's log line ------------------------------------------------------------------------


@pytest.fixture
def server() -> Any:
    """A live FixtureServer on 127.0.0.1."""
    yield from fixture_server()


def test_the_service_logs_every_creation_and_fuzzy_match(
    tmp_path: Path, server: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fetch` prints, and a scheduled collection's JSON log line names, every fuzzy match
    and skipped row."""
    fetcher = Fetcher(tmp_path, server)
    fetcher.configure(
        source_toml("press", server.url("/press.csv"), {"Partnership": "org.name",
                    "Rating": "rating.overall"}, effective="2017-07-21", effective_column=None),
    )  # fmt: skip
    assert fetcher.cli("init").exit_code == 0
    server.route("/press.csv", body=f"{PRESS}Dorsett,Advanced\n".encode())
    fetched = fetcher.cli("fetch", "press")
    assert fetched.exit_code == 0, fetched.output
    assert (
        "  accepted 1 fuzzy match (review: stp-tracker alias list --origin fuzzy): 'Dorsett' "
        in (fetched.output)
    )
    server.route("/press.csv", body=f"{PRESS}Lincolnshre,Advanced\nEngland,Advanced\n".encode())
    report = fetcher.collect("press")
    setup_logging("json")
    log_report(report)
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["outcome"] == "changed"
    assert line["fuzzy"].startswith("accepted 1 fuzzy match (review: stp-tracker alias list")
    assert "'Lincolnshre' -> Lincolnshire (E54000013), 96%" in line["fuzzy"]
    assert line["skipped"].startswith("skipped 1 row: 'England' at ")


def test_links_to_codes_with_escaped_characters_work(tmp_path: Path) -> None:
    """A created organisation whose code has a slash and a space is linked URL-encoded from
    every table, and its page opens from that link."""
    maker = ICB_MAKER.replace('entity = "icb"', 'entity = "location"').replace("icb-list", "places")
    tracker = Tracker(tmp_path, maker)
    tracker.ingest("places", "p.csv", 'Code,Name\n"AB/1 2",Riverside Clinic\n', "2020-01-01")
    ds = build_datasette(tracker.db_path, REPO / "config")

    async def get(path: str) -> Any:
        await ds.invoke_startup()
        return await ds.client.get(path)

    table = asyncio.run(get("/stp/organisations?code=AB%2F1+2")).text
    assert 'href="/-/org/AB%2F1%202"' in table
    page = asyncio.run(get("/-/org/AB%2F1%202"))
    assert page.status_code == 200 and "<h1>Riverside Clinic</h1>" in page.text
    by_name = asyncio.run(get("/-/org/riverside%20clinic"))
    assert by_name.status_code == 302 and by_name.headers["location"] == "/-/org/AB%2F1%202"
