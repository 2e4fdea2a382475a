"""The `ods` source format: the NHS Organisation Data Service's ORD API keeps organisations,
names and lineage current, adding what the registry does not say and proposing what would
contradict it; fetched politely (paged, paused, bounded, conditional, with a User-Agent) from
a real HTTP server on 127.0.0.1 serving ORD-shaped JSON (tests/ods_fixtures.py)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stp_tracker.cli import main
from stp_tracker.config.loading import load_config
from stp_tracker.errors import ConfigError, ParseError
from stp_tracker.parse.ods import read_ods, snapshot_bytes
from stp_tracker.resolve.resolver import Resolver
from stp_tracker.service.collect import collect_source
from stp_tracker.service.feeds import ITEM_PAUSE
from stp_tracker.store.apply import open_db
from stp_tracker.store.fetches import INTERRUPTED, consecutive_failures
from tests import ods_fixtures as ods
from tests.conftest import REPO, snapshot
from tests.httpserver import FixtureServer, closed_port, fixture_server

SEARCH = "/ORD/2-0-0/organisations"
SOURCES = """
[[source]]
name = "ods-partnerships"
title = "ODS: strategic partnerships (STPs, then ICBs)"
url = "{base}?PrimaryRoleId=RO261{limit}"
format = "ods"
entity = "any"
creates = true
max_items = {max_items}
publisher = "NHS England (Organisation Data Service)"

[[source]]
name = "ods-sub-icb-locations"
title = "ODS: sub-ICB locations"
url = "{base}?NonPrimaryRoleId=RO319"
format = "ods"
entity = "sub_icb"
creates = true
publisher = "NHS England (Organisation Data Service)"
"""
CONTACT = "data-team@example.org"
PRESS = """
[[source]]
name = "press"
url = "{path}"
format = "csv"
entity = "stp"
scale = "stp-2017"
effective = "2017-07-21"

[source.columns]
"Partnership" = "org.name"
"Rating" = "rating.overall"
"""


class Tracker:
    """A config folder and database, driven through the command line and `collect_source`."""

    def __init__(self, root: Path, base: str, *, limit: str = "", max_items: int = 50) -> None:
        self.root, self.config_dir, self.db_path = root, root / "config", root / "db" / "stp.db"
        self.config_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "config" / "scales.toml", self.config_dir / "scales.toml")
        (self.config_dir / "tracker.toml").write_text(f'[tracker]\ncontact = "{CONTACT}"\n')
        (self.config_dir / "sources.toml").write_text(
            SOURCES.format(base=base, limit=limit, max_items=max_items)
        )
        assert self("init").exit_code == 0

    def __call__(self, *args: str):
        env = {"STP_TRACKER_DB": str(self.db_path), "STP_TRACKER_CONFIG": str(self.config_dir)}
        return CliRunner().invoke(main, list(args), env=env)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run SQL against the database."""
        return open_db(self.db_path).execute(sql, params).fetchall()

    def collect(self, name: str, pauses: list[float] | None = None):
        """One run of a source, as the scheduler makes it."""
        config = load_config(self.config_dir, environ={})
        sleep = (pauses if pauses is not None else []).append
        return collect_source(open_db(self.db_path), config, config.source(name), sleep=sleep)


def snapshot_file(path: Path, records: list[dict], base: str = "https://ods.example") -> Path:
    """A snapshot of `records`, as a run of the source would apply it."""
    summaries = [ods.summary(r, base) for r in records]
    path.write_bytes(snapshot_bytes(f"{base}?PrimaryRoleId=RO261", summaries, records))
    return path


@pytest.fixture
def tracker(tmp_path: Path) -> Tracker:
    """An initialised database whose ODS sources point nowhere (for ingesting files)."""
    return Tracker(tmp_path, "https://directory.spineservices.nhs.uk/ORD/2-0-0/organisations")


@pytest.fixture
def ingested(tracker: Tracker, tmp_path: Path) -> Tracker:
    """The April–October 2026 world ingested from a snapshot file."""
    path = snapshot_file(tmp_path / "partnerships.json", ods.world())
    result = tracker("ingest", "ods-partnerships", str(path))
    assert result.exit_code == 0, result.output
    tracker.output = result.output  # type: ignore[attr-defined]
    return tracker


# Reading ORD JSON ---------------------------------------------------------------------------------


def test_an_organisation_record_reads_roles_dates_and_successions() -> None:
    """An organisation response gives its roles with when they held (ODS's End is the last
    day; a period ends the day after) and its successions with their legal dates."""
    record = ods.world()[1]  # Cambridgeshire and Peterborough, merged in April 2026
    (found,) = read_ods(json.dumps(record).encode(), "QUE.json")
    assert (found.code, found.detailed, found.last_change) == ("QUE", True, "2026-04-01")
    assert found.period.start == "2017-04-01" and found.period.end == "2026-04-01"
    assert [(r.id, r.period.start, r.period.end) for r in found.roles] == [
        ("RO261", "2017-04-01", "2026-04-01"),
        ("RO262", "2017-04-01", "2022-07-01"),
        ("RO318", "2022-07-01", "2026-04-01"),
    ]
    assert [(s.type, s.target, s.date) for s in found.successions] == [
        ("Successor", "S1Y5D", "2026-04-01")
    ]


def test_a_search_page_reads_as_summaries_and_a_full_record_wins() -> None:
    """A search response is one summary per organisation; a snapshot's full record replaces
    its organisation's summary."""
    records = ods.world()
    page = ods.search(records, "https://ods.example")
    assert [(r.code, r.detailed) for r in read_ods(page, "page.json")][:2] == [
        ("N3W1C", False), ("QE1", False),
    ]  # fmt: skip
    summaries = [ods.summary(r, "x") for r in records]
    both = read_ods(snapshot_bytes("x", summaries, records[:1]), "snapshot.json")
    assert {r.code for r in both if r.detailed} == {"QWO"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"Errors": []}', "is not an ODS ORD API response"),
        (b"<!doctype html><html><body>Service unavailable</body></html>", "HTML was served"),
        (b'{"Organisations": [{"Name": "X"}]}', "organisation summary without an OrgId"),
        (b'{"Organisation": {"Name": "X", "OrgId": {"extension": "QX1"}, "LastChangeDate": '
         b'"31/02/2026"}}', "'31/02/2026' is not a date"),
        (b"", "the file is empty"),
    ],
)  # fmt: skip
def test_a_body_that_is_not_ord_json_fails_clearly(tracker, tmp_path, body, message) -> None:
    """HTML, another document, a summary without a code, a bad date: one line, nothing moves."""
    path = tmp_path / "bad.json"
    path.write_bytes(body)
    before = snapshot(open_db(tracker.db_path))
    result = tracker("ingest", "ods-partnerships", str(path))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert snapshot(open_db(tracker.db_path)) == before


def test_read_ods_names_the_keys_it_found() -> None:
    """A JSON document of another kind is refused naming what it holds."""
    with pytest.raises(ParseError, match="keys found: 'Errors'"):
        read_ods(b'{"Errors": []}', "x.json")


# What a snapshot adds, and what it proposes -------------------------------------------------------


def test_a_new_icb_is_created_with_its_lineage(ingested: Tracker) -> None:
    """An ICB the registry does not have is created from its ICB role, with its names and
    code, and its ODS succession becomes lineage (no registry lineage that day)."""
    assert ingested.rows(
        "select code, name, kind, ods_code, valid_from, valid_to, origin from organisations "
        "where code = 'N3W1C'"
    ) == [("N3W1C", "NHS North West Coast Integrated Care Board", "icb", "N3W1C", "2026-10-01",
           None, "source:ods-partnerships")]  # fmt: skip
    assert ingested.rows(
        "select predecessor, successor, effective, kind, origin from lineage where origin != "
        "'registry'"
    ) == [("QE1", "N3W1C", "2026-10-01", "rename", "source:ods-partnerships")]
    assert "created 1 organisation: N3W1C NHS North West Coast Integrated Care Board" in (
        ingested.output  # type: ignore[attr-defined]
    )
    db = open_db(ingested.db_path)
    icb = Resolver.from_db(db, "icb")
    assert icb.by_name("North West Coast ICB", "2026-11-01") == {"N3W1C"}


def test_an_stp_role_gives_the_stp_its_ods_code(ingested: Tracker) -> None:
    """ODS kept the STPs' codes for their ICBs: QWO was West Yorkshire's STP until July 2022,
    so a 2019 file keyed by QWO resolves to the STP, and a 2023 one to the ICB."""
    db = open_db(ingested.db_path)
    assert Resolver.from_db(db, "stp").by_code("QWO", "2019-05-01") == {"E54000005"}
    assert Resolver.from_db(db, "any").by_code("QWO", "2023-05-01") == {"QWO"}
    assert ingested.rows(
        "select alias, code, origin from aliases where alias = 'QWO' and code = 'E54000005'"
    ) == [("QWO", "E54000005", "source:ods-partnerships")]


def test_what_the_registry_already_says_changes_nothing(ingested: Tracker) -> None:
    """The April 2026 merger into Central East is as the registry has it: no link is added,
    nothing is proposed about it, and names that normalise alike add no alias."""
    assert ingested.rows(
        "select count(*) from lineage where successor = 'S1Y5D' and origin != 'registry'"
    ) == [(0,)]
    assert ingested.rows("select count(*) from proposals where org_code in ('QUE', 'S1Y5D')") == [
        (0,)
    ]
    assert ingested.rows(
        "select count(*) from aliases where code in ('QWO', 'S1Y5D') and origin like 'source:%'"
    ) == [(0,)]


def test_contradictions_are_proposed_not_applied(ingested: Tracker) -> None:
    """A registry ICB ending, a registry ICB renamed, and a link added to a registry split are
    proposals; the registry's rows are as bundled until a person accepts."""
    assert ingested.rows("select kind, org_code, state from proposals order by id") == [
        ("lifetime", "QE1", "open"), ("name", "QYG", "open"), ("lineage", "QNQ", "open"),
    ]  # fmt: skip
    assert ingested.rows("select name, valid_to from organisations where code in ('QE1', 'QYG') "
                         "order by code") == [
        ("NHS Lancashire and South Cumbria Integrated Care Board", None),
        ("NHS Cheshire and Merseyside Integrated Care Board", None),
    ]  # fmt: skip
    assert ingested.rows("select count(*) from lineage where successor = 'D7T5G' and "
                         "predecessor = 'QNQ'") == [(0,)]  # fmt: skip
    output = ingested.output  # type: ignore[attr-defined]
    assert "3 change(s) the registry contradicts await review (stp-tracker proposal list)" in output
    # the new name resolves at once, from the day ODS recorded it
    assert ingested.rows(
        "select valid_from, origin from aliases where code = 'QYG' and alias = "
        "'NHS CHESHIRE, MERSEYSIDE AND WIRRAL INTEGRATED CARE BOARD'"
    ) == [("2026-09-15", "source:ods-partnerships")]


def test_names_are_facts_so_a_rename_is_a_change(ingested: Tracker, tmp_path: Path) -> None:
    """Each organisation's ODS name is an org.name fact; a later snapshot with a new name
    records the change, effective on the day ODS recorded it."""
    records = ods.world()
    west = records[0]["Organisation"]
    west["Name"], west["LastChangeDate"] = "NHS WEST YORKSHIRE AND HARROGATE ICB", "2026-11-02"
    path = snapshot_file(tmp_path / "later.json", records)
    assert ingested("ingest", "ods-partnerships", str(path)).exit_code == 0
    assert ingested.rows(
        "select old_value, new_value, effective, kind from changes where org_code = 'QWO' "
        "and attribute = 'org.name' and old_value is not null"
    ) == [("NHS WEST YORKSHIRE INTEGRATED CARE BOARD", "NHS WEST YORKSHIRE AND HARROGATE ICB",
           "2026-11-02", "organisation")]  # fmt: skip
    names = ingested.rows("select kind, org_code from proposals where kind = 'name' order by id")
    assert names == [("name", "QYG"), ("name", "QWO")]


def test_the_same_snapshot_again_is_unchanged_and_proposes_nothing_new(
    ingested: Tracker, tmp_path: Path
) -> None:
    """Idempotent: the same knowledge records nothing and makes no proposal twice."""
    before = snapshot(open_db(ingested.db_path))
    path = snapshot_file(tmp_path / "again.json", ods.world())
    result = ingested("ingest", "ods-partnerships", str(path))
    assert result.exit_code == 0
    assert "0 release(s) applied, 1 unchanged" in result.output
    assert snapshot(open_db(ingested.db_path)) == before


def test_sub_icb_locations_are_kept_as_their_own_kind(tracker: Tracker, tmp_path: Path) -> None:
    """A Sub ICB Location role creates an organisation of kind sub_icb from July 2022."""
    path = snapshot_file(tmp_path / "sub.json", ods.sub_icb_locations())
    assert tracker("ingest", "ods-sub-icb-locations", str(path)).exit_code == 0
    assert tracker.rows(
        "select code, name, kind, valid_from from organisations where kind = 'sub_icb' "
        "order by code"
    ) == [
        ("15C", "NHS Bristol, North Somerset and South Gloucestershire ICB - 15C", "sub_icb",
         "2022-07-01"),
        ("72Q", "NHS South East London ICB - 72Q", "sub_icb", "2022-07-01"),
    ]  # fmt: skip


def test_a_source_that_does_not_create_records_unknown_codes(tmp_path: Path) -> None:
    """With creates = false a new ICB is not made: its code goes to `unmatched` with the
    reason, and the run still applies what it can."""
    tracker = Tracker(tmp_path, "https://ods.example/ORD/2-0-0/organisations")
    sources = tracker.config_dir / "sources.toml"
    sources.write_text(sources.read_text().replace("creates = true", "creates = false", 1))
    path = snapshot_file(tmp_path / "world.json", ods.world())
    assert tracker("ingest", "ods-partnerships", str(path)).exit_code == 0
    assert tracker.rows("select count(*) from organisations where code = 'N3W1C'") == [(0,)]
    ((field, candidates),) = tracker.rows("select field, candidates from unmatched where "
                                          "name = 'N3W1C'")  # fmt: skip
    assert (field, json.loads(candidates)) == ("OrgId", [])
    assert tracker.rows("select count(*) from facts where source = 'ods-partnerships'") == [(4,)]


# Reviewing proposals ------------------------------------------------------------------------------


def test_accepting_applies_and_survives_init_rejecting_is_for_good(
    ingested: Tracker, tmp_path: Path
) -> None:
    """`proposal accept` applies the change in one transaction and reloading the registry
    (init) keeps it; a rejected proposal is not made again by the next snapshot."""
    result = ingested("proposal", "accept", "1", "2")
    assert result.exit_code == 0, result.output
    assert "accepted proposal 1" in result.output and "rebuild" in result.output
    assert ingested("proposal", "reject", "3").exit_code == 0
    added = "select * from aliases where origin like 'source:%' order by 1, 3"
    links = "select * from lineage where origin != 'registry'"
    before = (ingested.rows(added), ingested.rows(links))
    assert ingested("init").exit_code == 0
    assert (ingested.rows(added), ingested.rows(links)) == before  # what sources added stays
    assert ingested.rows("select code, name, valid_to from organisations where code in "
                         "('QE1', 'QYG') order by code") == [
        ("QE1", "NHS Lancashire and South Cumbria Integrated Care Board", "2026-10-01"),
        ("QYG", "NHS Cheshire, Merseyside and Wirral Integrated Care Board", None),
    ]  # fmt: skip
    later = ods.world()
    later[0]["Organisation"]["LastChangeDate"] = "2026-11-03"  # a new snapshot, same claims
    assert ingested("ingest", "ods-partnerships",
                    str(snapshot_file(tmp_path / "later.json", later))).exit_code == 0  # fmt: skip
    assert ingested.rows("select id, state from proposals order by id") == [
        (1, "accepted"), (2, "accepted"), (3, "rejected"),
    ]  # fmt: skip
    listed = ingested("proposal", "list", "--state", "all", "--format", "json")
    assert [p["state"] for p in json.loads(listed.output)] == ["accepted", "accepted", "rejected"]


@pytest.mark.parametrize(("args", "message"), [
    (["proposal", "accept", "99"], "no proposal 99"),
    (["proposal", "reject", "1", "1"], "proposal 1 is rejected, not open"),
])  # fmt: skip
def test_a_decision_that_cannot_be_made_changes_nothing(ingested: Tracker, args, message) -> None:
    """An unknown or already decided proposal: one line, exit 1, no decision recorded."""
    before = snapshot(open_db(ingested.db_path))
    result = ingested(*args)
    assert result.exit_code == 1 and message in result.stderr
    assert snapshot(open_db(ingested.db_path)) == before


def test_rebuild_replays_snapshots_and_keeps_decisions(ingested: Tracker) -> None:
    """A rebuild replays the ODS snapshot (its organisations, aliases and links come back)
    and applies the accepted proposals again."""
    assert ingested("proposal", "accept", "2").exit_code == 0
    tables = ("organisations", "aliases", "lineage", "proposals", "facts", "changes")
    before = {t: ingested.rows(f"select * from {t} order by 1, 2") for t in tables}
    result = ingested("rebuild")
    assert result.exit_code == 0, result.output
    for table in tables:
        assert ingested.rows(f"select * from {table} order by 1, 2") == before[table], table
    assert ingested.rows("select name from organisations where code = 'QYG'") == [
        ("NHS Cheshire, Merseyside and Wirral Integrated Care Board",)
    ]


# Fetching from the API ----------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A real HTTP server on 127.0.0.1."""
    yield from fixture_server()


def serve(server: FixtureServer, records: list[dict], limit: int) -> str:
    """Route the search (in pages of `limit`) and each organisation's record, with ETags."""
    base = server.url(SEARCH)
    summaries = json.loads(ods.search(records, base))["Organisations"]
    for page in range(len(summaries) // limit + 1):
        chunk = summaries[page * limit : (page + 1) * limit]
        body = json.dumps({"Organisations": chunk})
        server.route(
            f"{SEARCH}?PrimaryRoleId=RO261&Limit={limit}&Offset={page * limit}",
            body,
            etag=tag(body),
        )
    for record in records:
        body = json.dumps(record)
        server.route(
            f"{SEARCH}/{record['Organisation']['OrgId']['extension']}", body, etag=tag(body)
        )
    return base


def tag(body: str) -> str:
    """An ETag that changes with the body, as a server's would."""
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'


def test_a_run_pages_pauses_bounds_and_identifies_itself(server, tmp_path) -> None:
    """Pages of Limit records until a short page; full records one at a time, a pause before
    each request after the first, at most max_items a run; every request names the service
    and its contact; the snapshot is applied on its own fetch row."""
    base = serve(server, ods.world(), limit=3)
    tracker = Tracker(tmp_path, base, limit="&Limit=3", max_items=4)
    pauses: list[float] = []
    report = tracker.collect("ods-partnerships", pauses)
    assert report.outcome == "changed", report.error
    paths = [r.path for r in server.requests]
    assert paths[:3] == [f"{SEARCH}?PrimaryRoleId=RO261&Limit=3&Offset={n}" for n in (0, 3, 6)]
    assert paths[3:] == [f"{SEARCH}/{code}" for code in ("N3W1C", "QE1", "QNQ", "QUE")]
    assert pauses == [ITEM_PAUSE] * 6
    assert all(CONTACT in r.headers["user-agent"] for r in server.requests)
    assert report.attempts == 7
    assert any("4 of 7 organisations in full; 3 more wait" in note for note in report.notes)
    items = tracker.rows("select item, outcome from fetches where source = 'ods-partnerships' "
                         "order by id")  # fmt: skip
    assert items[-1] == (None, "changed") and len(items) == 8
    assert {outcome for item, outcome in items[:-1] if item} == {"fetched"}
    assert tracker.rows("select count(*) from organisations where code = 'N3W1C'") == [(1,)]


def test_later_runs_finish_the_records_and_ask_conditionally(server, tmp_path) -> None:
    """The next run reads the records that waited, asks for pages and records it has with
    their ETags (304s reuse the archived copy), and a run with nothing new is unchanged."""
    base = serve(server, ods.world(), limit=3)
    tracker = Tracker(tmp_path, base, limit="&Limit=3", max_items=4)
    tracker.collect("ods-partnerships")
    server.requests.clear()
    second = tracker.collect("ods-partnerships")
    assert second.outcome == "changed"
    record_paths = [r.path for r in server.requests if "?" not in r.path]
    assert record_paths == [f"{SEARCH}/{code}" for code in ("QWO", "QYG", "S1Y5D")]
    assert all(r.headers.get("if-none-match") for r in server.requests if "?" in r.path)
    server.requests.clear()
    third = tracker.collect("ods-partnerships")
    assert third.outcome == "unchanged"
    assert [r.path for r in server.requests if "?" not in r.path] == []  # nothing changed
    statuses = tracker.rows(
        "select outcome, http_status from fetches where item like 'search%' order by id"
    )
    assert statuses[-3:] == [("fetched", 304)] * 3
    assert tracker.rows("select count(*) from proposals") == [(3,)]


def test_a_changed_organisation_is_read_again(server, tmp_path) -> None:
    """A summary whose LastChangeDate moved has its full record fetched again."""
    records = ods.world()
    base = serve(server, records, limit=1000)
    tracker = Tracker(tmp_path, base)
    assert tracker.collect("ods-partnerships").outcome == "changed"
    records[0]["Organisation"]["LastChangeDate"] = "2026-11-05"
    records[0]["Organisation"]["Name"] = "NHS WEST YORKSHIRE AND HARROGATE ICB"
    serve(server, records, limit=1000)
    server.requests.clear()
    assert tracker.collect("ods-partnerships").outcome == "changed"
    assert [r.path for r in server.requests if "?" not in r.path] == [f"{SEARCH}/QWO"]
    assert tracker.rows("select new_value from changes where org_code = 'QWO' and "
                        "attribute = 'org.name' order by id desc limit 1") == [
        ("NHS WEST YORKSHIRE AND HARROGATE ICB",)
    ]  # fmt: skip


def test_fetch_collects_through_the_pool_downloading_and_writing_apart(server, tmp_path):
    """`stp-tracker fetch` (fetcher threads download, one writer records) runs the same run:
    the search, each new record, the snapshot applied, the contact in every User-Agent."""
    records = [r for r in ods.world() if r["Organisation"]["OrgId"]["extension"] in
               ("QE1", "N3W1C")]  # fmt: skip
    tracker = Tracker(tmp_path, serve(server, records, limit=1000))
    result = tracker("fetch", "ods-partnerships")
    assert result.exit_code == 0, result.output
    assert "ods-partnerships: changed" in result.output
    assert "created 1 organisation: N3W1C" in result.output
    assert [r.path.split("?")[0] for r in server.requests] == [
        SEARCH, f"{SEARCH}/N3W1C", f"{SEARCH}/QE1",
    ]  # fmt: skip
    assert all(CONTACT in r.headers["user-agent"] for r in server.requests)
    assert tracker.rows("select count(*) from lineage where successor = 'N3W1C'") == [(1,)]


def test_a_record_that_fails_keeps_its_last_copy(server, tmp_path) -> None:
    """One organisation's record failing does not fail the run: it is said, and the rest
    is applied."""
    base = serve(server, ods.world(), limit=1000)
    server.route(f"{SEARCH}/QYG", "gone", status=404)
    tracker = Tracker(tmp_path, base)
    report = tracker.collect("ods-partnerships")
    assert report.outcome == "changed"
    assert any("could not be fetched" in note and "QYG" in note for note in report.notes)
    assert tracker.rows("select outcome, http_status from fetches where item = 'QYG'") == [
        ("failed", 404)
    ]


def test_a_search_that_keeps_failing_counts_as_failing(server, tmp_path) -> None:
    """A later page that fails fails the run (nothing applied), and runs failing in a row
    count towards `status` (the pages that worked are no success of the run)."""
    base = serve(server, ods.world(), limit=3)
    server.route(f"{SEARCH}?PrimaryRoleId=RO261&Limit=3&Offset=3", "busy", status=500)
    tracker = Tracker(tmp_path, base, limit="&Limit=3")
    for _ in range(4):  # one more than max_failures
        report = tracker.collect("ods-partnerships")
        assert report.outcome == "failed" and "HTTP 500" in (report.error or "")
    assert consecutive_failures(open_db(tracker.db_path), "ods-partnerships") == 4
    assert tracker.rows("select count(*) from organisations where code = 'N3W1C'") == [(0,)]
    assert tracker("status").exit_code == 1


@pytest.mark.parametrize(("body", "message"), [
    ("<!doctype html><html><body>Service unavailable</body></html>", "HTML was served"),
    ('{"Organisations": []}', "ODS listed no organisations"),
])  # fmt: skip
def test_a_search_that_is_not_a_list_of_organisations_fails(server, tmp_path, body, message):
    """An HTML page, or an empty list, where the search should be: the run fails saying so,
    on a failed row, and applies nothing."""
    server.route(f"{SEARCH}?PrimaryRoleId=RO261&Limit=1000&Offset=0", body)
    tracker = Tracker(tmp_path, server.url(SEARCH))
    before = snapshot(open_db(tracker.db_path), skip=("fetches", "unmatched", "sources"))
    report = tracker.collect("ods-partnerships")
    assert report.outcome == "failed" and message in (report.error or "")
    last = tracker.rows("select outcome, error from fetches order by id desc limit 1")[0]
    assert last[0] == "failed" and message in last[1]
    assert snapshot(open_db(tracker.db_path), skip=("fetches", "unmatched", "sources")) == before


def test_a_service_that_is_stopping_ends_the_run_between_requests(server, tmp_path) -> None:
    """When the pause between requests says the service is stopping, the run ends there,
    applying nothing, its last row interrupted (so it runs again at the next start)."""
    base = serve(server, ods.world(), limit=1000)
    tracker = Tracker(tmp_path, base)
    config = load_config(tracker.config_dir, environ={})
    report = collect_source(
        open_db(tracker.db_path), config, config.source("ods-partnerships"),
        sleep=lambda seconds: True,  # a cancel flag's wait: set
    )  # fmt: skip
    assert report.outcome == "failed" and report.error == INTERRUPTED
    assert len(server.requests) == 1  # the search; no record was asked for
    assert tracker.rows("select outcome, error from fetches order by id desc limit 1") == [
        ("failed", INTERRUPTED)
    ]
    assert tracker.rows("select count(*) from organisations where code = 'N3W1C'") == [(0,)]


def test_an_unreachable_api_fails_cleanly_and_the_other_sources_run(tmp_path) -> None:
    """With no network the ODS source fails on its fetch row with one clear line, the database
    keeps everything else, and the same `fetch` still applies the other sources."""
    tracker = Tracker(tmp_path, f"http://127.0.0.1:{closed_port()}{SEARCH}")
    press = tmp_path / "press.csv"
    press.write_text("Partnership,Rating\nDorset,Advanced\n")
    with (tracker.config_dir / "sources.toml").open("a") as handle:
        handle.write(PRESS.format(path=press))
    before = snapshot(open_db(tracker.db_path), skip=("fetches", "unmatched", "sources"))
    result = tracker("fetch", "ods-partnerships", "press")
    assert result.exit_code == 1
    assert "ods-partnerships: failed" in result.output and "could not connect" in result.output
    assert "press: changed" in result.output
    after = snapshot(open_db(tracker.db_path), skip=("fetches", "unmatched", "sources"))
    assert {t: rows for t, rows in after.items() if rows != before[t]}.keys() <= {
        "facts",
        "changes",
        "releases",
        "configurations",
        *("applies", "attributes", "fact_values", "fact_versions", "fact_groups"),
        *("layout_slots", "change_records", "stated_runs"),  # how the history is stored
    }
    assert tracker.rows("select outcome from fetches where source = 'ods-partnerships'") == [
        ("failed",)
    ]
    assert tracker.rows("select org_code, value from facts where source = 'press'") == [
        ("E54000041", "Advanced")
    ]


# Configuration ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("extra", "message"), [
    ('url = "https://ods.example/ORD/2-0-0/roles"', "an ods source reads an ORD API search"),
    ('url = "https://ods.example/ORD/2-0-0/organisations"\n[source.columns]\nName = "org.name"',
     r"remove its \[source.columns\] table"),
])  # fmt: skip
def test_an_ods_source_is_checked_when_loaded(tmp_path: Path, extra: str, message: str) -> None:
    """An ods source reads an ORD search, and maps no columns."""
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "sources.toml").write_text(f'[[source]]\nname = "o"\nformat = "ods"\n{extra}\n')
    with pytest.raises(ConfigError, match=message):
        load_config(folder, environ={})


def test_the_default_configuration_fetches_ods() -> None:
    """config/sources.toml enables the ODS sources against the real API, politely bounded."""
    config = load_config(REPO / "config", environ={})
    found = {s.name: s for s in config.sources.values() if s.format == "ods"}
    assert set(found) == {"ods-partnerships", "ods-sub-icb-locations"}
    for source in found.values():
        assert source.enabled and source.creates and source.every
        assert source.url.startswith("https://directory.spineservices.nhs.uk/ORD/2-0-0/")
        assert 1 <= source.max_items <= 200
