"""Collecting sources end to end against a real local HTTP server: fetch, archive, guard, store.

Every case goes through `stp-tracker fetch` (or `collect_source` with a fake sleep where the CLI
would really wait for retries) and checks the one `fetches` row it leaves, the raw archive, and
that a failure leaves facts and changes exactly as they were.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import shutil
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from stp_tracker.cli import main
from stp_tracker.config import Config
from stp_tracker.config.loading import load_config
from stp_tracker.fetch.http import make_client, user_agent
from stp_tracker.resolve.registry import build_registry
from stp_tracker.service.bootstrap import load_registry
from stp_tracker.service.collect import CollectReport, collect_source
from stp_tracker.store.apply import open_db
from stp_tracker.store.fetches import consecutive_failures
from tests.conftest import REPO, snapshot
from tests.httpserver import FixtureServer, closed_port, fixture_server

BANDS = ["Outstanding", "Advanced", "Making progress", "Needs most improvement"]
FIRST = ["Anne", "Bill", "Ciarán", "Dawn", "Ed", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit"]
LAST = ["O’Neill", "Ward", "D’Souza", "Patel", "Shaw"]
CSV_COLUMNS = {
    "STP code": "org.code",
    "STP name": "org.name",
    "Overall rating": "rating.overall",
    "Leadership rating": "rating.leadership",
    "Footprint lead": "leader.stp_lead",
    "Beds": "metric.beds",
    "Note": "note",
}
GROUPED_COLUMNS = {  # the same columns under a merged "Rating" group (xlsx and HTML)
    "STP code": "org.code",
    "STP name": "org.name",
    "Rating Overall": "rating.overall",
    "Rating Leadership": "rating.leadership",
    "Footprint lead": "leader.stp_lead",
    "Beds": "metric.beds",
    "Note": "note",
}
ETAG = '"v1"'
# E54000005, E54000006, E54000033 and E54000035 were recoded by ONS in 2020, so a row giving
# their code also states it (org.code): one more statement, fact and first change each.
RECODED = ("E54000005", "E54000006", "E54000033", "E54000035")
LAST_MODIFIED = "Fri, 21 Jul 2017 09:00:00 GMT"


# Release data ------------------------------------------------------------------------------------


def registry_stps(period: str = "2017-07-21") -> list[tuple[str, str]]:
    """The STPs that existed on `period` as (code, name), by code: the 44 of 2017 (E54000005
    to E54000048) until the three northern ones merged into E54000049 on 2018-04-01."""
    return sorted(
        (org["code"], org["name"])
        for org in build_registry().organisations
        if org["kind"] == "stp"
        and (org["valid_from"] or "") <= period < (org["valid_to"] or "9999")
    )


def stp_rows(period: str = "2017-07-21", count: int = 44, shift: int = 0) -> list[list[str]]:
    """One row per STP that existed on `period` (at most `count`): code, name, two ratings,
    lead, beds, a note with cp1252 punctuation, period. `shift` moves every rating one band
    along, so a later release changes them all."""
    rows = []
    for i, (code, name) in enumerate(registry_stps(period)[:count]):
        lead = f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}"
        note = f"Rated {BANDS[(i + shift) % 4].lower()} – see NHS England’s letter"
        rows.append(
            [
                code,
                name,
                BANDS[(i + shift) % 4],
                BANDS[(i + shift + 1) % 4],
                lead,
                str(1000 + 10 * i),
                note,
                period,
            ]
        )
    return rows


def dashboard_csv(rows: list[list[str]], *, encoding: str = "utf-8", titles: int = 0) -> bytes:
    """A CSV of `rows` under a one-row header, with `titles` title lines above and a totals row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for n in range(titles):
        writer.writerow([f"STP progress dashboard – part {n + 1}"])
    writer.writerow([*CSV_COLUMNS, "Period"])
    writer.writerows(rows)
    writer.writerow(["Total", "", "", "", "", str(sum(int(r[5]) for r in rows)), "", ""])
    return out.getvalue().encode(encoding)


def dashboard_xlsx(rows: list[list[str]], *, merged_down: bool = False) -> bytes:
    """An xlsx of `rows` under a merged title and a two-row header whose "Rating" group cell is
    merged across Overall and Leadership; with `merged_down` the other names are cells merged
    down both header rows, else they sit in the lower row under blank cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Dashboard"
    sheet.append(["STP progress dashboard, July 2017"])
    sheet.merge_cells("A1:H1")
    names = ["STP code", "STP name", "Footprint lead", "Beds", "Note", "Period"]
    if merged_down:
        sheet.append([*names[:2], "Rating", None, *names[2:]])
        sheet.append([None, None, "Overall", "Leadership"])
        for column in "ABEFGH":
            sheet.merge_cells(f"{column}2:{column}3")
    else:
        sheet.append([None, None, "Rating"])
        sheet.append([*names[:2], "Overall", "Leadership", *names[2:]])
    sheet.merge_cells("C2:D2")
    for code, name, overall, leadership, lead, beds, note, period in rows:
        day = dt.datetime.fromisoformat(period)
        sheet.append([code, name, overall, leadership, lead, int(beds), note, day])
    sheet.append(["Total", None, None, None, None, sum(int(r[5]) for r in rows)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def dashboard_html(rows: list[list[str]]) -> bytes:
    """An HTML page whose table has colspan/rowspan headers, dates in words and a totals footer."""
    head = (
        '<tr><th rowspan="2">STP code</th><th rowspan="2">STP name</th>'
        '<th colspan="2">Rating</th><th rowspan="2">Footprint lead</th>'
        '<th rowspan="2">Beds</th><th rowspan="2">Note</th><th rowspan="2">Period</th></tr>'
        "<tr><th>Overall</th><th>Leadership</th></tr>"
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td>{cell}</td>" for cell in row[:7])
        + f"<td>{dt.date.fromisoformat(row[7]).strftime('%d %B %Y')}</td></tr>"
        for row in rows
    )
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dashboard</title></head><body>'
        "<nav><table><tr><td>Home</td></tr></table></nav>"
        f'<table class="ratings"><thead>{head}</thead><tbody>{body}</tbody>'
        "<tfoot><tr><td>Total</td><td colspan=7>44 partnerships</td></tr></tfoot></table>"
        "</body></html>"
    )
    return page.encode("utf-8")


# Configuration -----------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """A Python value as TOML (strings, booleans and numbers are all we need)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def source_toml(name: str, url: str, columns: dict[str, str] | None = None, **keys: Any) -> str:
    """One [[source]] table: a dated dashboard of STPs unless `keys` say otherwise."""
    settings: dict[str, Any] = {
        "name": name,
        "url": url,
        "format": "csv",
        "entity": "stp",
        "effective_column": "Period",
        "scale": "stp-2017",
        "publisher": "NHS England",
        **keys,
    }
    lines = [
        "[[source]]",
        *(f"{k} = {toml_value(v)}" for k, v in settings.items() if v is not None),
    ]
    lines.append("[source.columns]")
    lines += [f"{toml_value(k)} = {toml_value(v)}" for k, v in (columns or CSV_COLUMNS).items()]
    return "\n".join(lines) + "\n"


def write_sources(folder: Path, *tables: str) -> Path:
    """A config folder holding the bundled scales and the given [[source]] tables."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config" / "scales.toml", folder / "scales.toml")
    (folder / "sources.toml").write_text("\n".join(tables), encoding="utf-8")
    return folder


class Tracker:
    """A config folder and database in tmp_path, driven through the CLI or the library."""

    def __init__(self, tmp_path: Path, server: FixtureServer) -> None:
        """Write a config with one source, "dash", at the server's /dash.csv."""
        self.server = server
        self.folder = tmp_path / "config"
        self.db_path = tmp_path / "db" / "stp.db"
        self.runner = CliRunner()
        self.configure(source_toml("dash", server.url("/dash.csv")))

    def configure(self, *tables: str) -> None:
        """Replace the sources.toml with `tables`."""
        write_sources(self.folder, *tables)

    def config(self) -> Config:
        """The configuration as the CLI would load it."""
        return load_config(self.folder, environ={})

    def db(self) -> Database:
        """A fresh connection to the database."""
        return open_db(self.db_path)

    def cli(self, *args: str) -> Result:
        """Run a verb with --db and --config pointing at this tracker."""
        options = ["--db", str(self.db_path), "--config", str(self.folder)]
        return self.runner.invoke(main, [*args, *options], catch_exceptions=False)

    def collect(self, name: str = "dash", sleeps: list[float] | None = None) -> CollectReport:
        """`collect_source` with the CLI's client but a recording sleep that never waits."""
        sleeps = [] if sleeps is None else sleeps
        config = self.config()
        db = self.db()
        try:
            with make_client(user_agent()) as client:
                return collect_source(
                    db, config, config.source(name), client=client, sleep=sleeps.append
                )
        finally:
            db.close()

    def fetches(self, source: str = "dash") -> list[dict[str, Any]]:
        """The source's fetches rows, oldest first."""
        db = self.db()
        try:
            return list(db.query("select * from fetches where source = ? order by id", [source]))
        finally:
            db.close()

    def believed(self, source: str = "dash") -> set[tuple]:
        """The facts the database believes for `source`."""
        db = self.db()
        try:
            return set(
                db.execute(
                    "select org_code, attribute, value, value_key, value_num, valid_from, "
                    "valid_to, publisher, note from facts where source = ? and retired_at is null",
                    [source],
                )
            )
        finally:
            db.close()

    def snapshot(self, skip: tuple[str, ...] = ("fetches", "unmatched")) -> dict:
        """Every row of every table but `skip` (see tests.conftest.snapshot)."""
        db = self.db()
        try:
            return snapshot(db, skip=skip)
        finally:
            db.close()


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A live FixtureServer on 127.0.0.1, stopped after the test."""
    yield from fixture_server()


@pytest.fixture
def tracker(tmp_path: Path, server: FixtureServer) -> Tracker:
    """A database with the registry loaded and one source, "dash", at /dash.csv."""
    track = Tracker(tmp_path, server)
    db = track.db()
    load_registry(db)
    db.close()
    return track


def only_new_fetch(tracker: Tracker, before: int, source: str = "dash") -> dict[str, Any]:
    """The single fetches row added since there were `before` rows, checked for timings."""
    rows = tracker.fetches(source)
    assert len(rows) == before + 1, rows
    row = rows[-1]
    started, finished = (dt.datetime.fromisoformat(row[k]) for k in ("started_at", "finished_at"))
    assert started.tzinfo is not None and started <= finished
    return row


def archived(tracker: Tracker, sha256: str) -> bytes:
    """The archived body with this hash, read straight from the gzip file under db/raw."""
    path = tracker.db_path.parent / "raw" / sha256[:2] / sha256[2:4] / f"{sha256}.gz"
    return gzip.decompress(path.read_bytes())


# Validators, unchanged bodies, retries -----------------------------------------------------------


def test_200_then_304_is_changed_then_not_modified(tracker: Tracker) -> None:
    """A 200 is applied; the next fetch sends its ETag / Last-Modified and a 304 parses nothing."""
    body = dashboard_csv(stp_rows())
    tracker.server.route("/dash.csv", body=body, etag=ETAG, last_modified=LAST_MODIFIED)
    first = tracker.cli("fetch", "dash")
    assert first.exit_code == 0, first.output
    assert first.output.startswith("dash: changed (fetch 1, 44 rows, ")
    before = tracker.snapshot()
    second = tracker.cli("fetch", "dash")
    assert second.exit_code == 0 and "dash: not-modified" in second.output
    assert tracker.snapshot() == before
    changed, not_modified = tracker.fetches()
    assert (changed["outcome"], changed["http_status"], changed["bytes"]) == (
        "changed",
        200,
        len(body),
    )
    assert changed["sha256"] == hashlib.sha256(body).hexdigest()
    assert (changed["etag"], changed["last_modified"], changed["error"]) == (
        ETAG,
        LAST_MODIFIED,
        None,
    )
    assert changed["records"] == changed["changes"] == 44 * 4 + len(RECODED)
    assert not_modified["outcome"] == "not-modified" and not_modified["http_status"] == 304
    assert (not_modified["records"], not_modified["changes"], not_modified["error"]) == (0, 0, None)
    assert (not_modified["etag"], not_modified["last_modified"]) == (ETAG, LAST_MODIFIED)
    plain, conditional = tracker.server.requests_for("/dash.csv")
    assert plain.headers["If-None-Match"] is None
    assert conditional.headers["If-None-Match"] == ETAG
    assert conditional.headers["If-Modified-Since"] == LAST_MODIFIED
    assert conditional.headers["User-Agent"].startswith("stp-tracker/")


def test_a_configuration_change_reapplies_the_same_bytes(tracker: Tracker) -> None:
    """Validators and the same-bytes shortcut stand for the configuration the last body was
    read under: after a change (a new publisher) the body is asked for in full and applied."""
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()), etag=ETAG)
    assert [tracker.collect().outcome for _ in range(2)] == ["changed", "not-modified"]
    tracker.configure(source_toml("dash", tracker.server.url("/dash.csv"), publisher="HSJ"))
    report = tracker.collect()
    assert report.outcome == "changed"
    assert tracker.server.requests_for("/dash.csv")[-1].headers["If-None-Match"] is None
    assert {row[7] for row in tracker.believed()} == {"HSJ"}
    assert tracker.collect().outcome == "not-modified"  # read under today's configuration now


def test_validators_carry_over_a_304_to_the_next_change(tracker: Tracker) -> None:
    """After a 304 the next request still sends the validators, and a new version is applied."""
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()), etag=ETAG)
    assert [tracker.collect().outcome for _ in range(2)] == ["changed", "not-modified"]
    later = dashboard_csv(stp_rows("2018-03-01", shift=1))
    tracker.server.route("/dash.csv", body=later, etag='"v2"')
    report = tracker.collect()
    assert (report.outcome, report.changes) == ("changed", 44 * 2)  # both ratings moved
    assert tracker.server.requests_for("/dash.csv")[-1].headers["If-None-Match"] == ETAG
    assert tracker.fetches()[-1]["etag"] == '"v2"'


def test_same_bytes_without_validators_are_unchanged(tracker: Tracker) -> None:
    """A body whose SHA-256 equals the last applied one is recorded unchanged and not parsed."""
    body = dashboard_csv(stp_rows())
    tracker.server.route("/dash.csv", body=body)
    assert tracker.cli("fetch", "dash").exit_code == 0
    before = tracker.snapshot()
    result = tracker.cli("fetch", "dash")
    assert result.exit_code == 0 and "dash: unchanged (fetch 2, 0 rows, 0 changes" in result.output
    assert tracker.snapshot() == before
    first, row = tracker.fetches()
    assert (row["outcome"], row["http_status"], row["bytes"], row["records"]) == (
        "unchanged", 200, len(body), first["records"],  # what the body stated, as an ingest
    )  # fmt: skip
    assert row["sha256"] == hashlib.sha256(body).hexdigest()
    assert tracker.server.requests_for("/dash.csv")[-1].headers["If-None-Match"] is None


@pytest.mark.parametrize(
    ("status", "headers", "waits"),
    [
        (500, {}, None),
        (503, {}, None),
        (429, {"Retry-After": "1"}, [1.0, 1.0]),
    ],
)
def test_transient_failures_are_retried_within_one_fetch(
    tracker: Tracker, status: int, headers: dict[str, str], waits: list[float] | None
) -> None:
    """Two 5xx/429 answers then a 200 make one fetch that succeeds; Retry-After is honoured."""
    good = {"body": dashboard_csv(stp_rows())}
    bad = {"status": status, "headers": headers}
    tracker.server.route("/dash.csv", sequence=[bad, bad, good])
    sleeps: list[float] = []
    report = tracker.collect(sleeps=sleeps)
    assert (report.outcome, report.records, report.attempts) == ("changed", 44, 3)
    assert tracker.server.hits("/dash.csv") == 3
    (row,) = tracker.fetches()
    assert (row["outcome"], row["http_status"], row["error"]) == ("changed", 200, None)
    if waits is None:
        assert len(sleeps) == 2 and 0 < sleeps[0] < sleeps[1] <= 1.0  # backoff with jitter
    else:
        assert sleeps == waits


def test_retry_after_is_really_waited_for_through_the_cli(tracker: Tracker) -> None:
    """`stp-tracker fetch` itself sleeps for a 429's Retry-After: 1 before trying again."""
    good = {"body": dashboard_csv(stp_rows())}
    tracker.server.route(
        "/dash.csv", sequence=[{"status": 429, "headers": {"Retry-After": "1"}}, good]
    )
    result = tracker.cli("fetch", "dash")
    assert result.exit_code == 0 and "dash: changed" in result.output
    (row,) = tracker.fetches()
    seconds = dt.datetime.fromisoformat(row["finished_at"]) - dt.datetime.fromisoformat(
        row["started_at"]
    )
    assert seconds >= dt.timedelta(seconds=1)
    assert tracker.server.hits("/dash.csv") == 2


def test_redirects_are_followed_and_the_final_url_recorded(tracker: Tracker) -> None:
    """A moved source is followed to its new address, which the fetches row records."""
    tracker.server.route("/dash.csv", redirect_to="/moved/dash.csv", status=301)
    tracker.server.route("/moved/dash.csv", body=dashboard_csv(stp_rows()))
    assert tracker.collect().outcome == "changed"
    assert tracker.fetches()[-1]["url"] == tracker.server.url("/moved/dash.csv")


@pytest.mark.parametrize("form", ["file-url", "path"])
def test_file_urls_and_plain_paths_work_like_http(tracker: Tracker, tmp_path: Path, form: str):
    """A file:// URL or a plain path is fetched, archived and applied, then found unchanged."""
    path = tmp_path / "local dash.csv"
    path.write_bytes(dashboard_csv(stp_rows()))
    url = path.as_uri() if form == "file-url" else str(path)
    tracker.configure(source_toml("dash", url))
    assert [tracker.collect().outcome for _ in range(2)] == ["changed", "unchanged"]
    row = tracker.fetches()[0]
    assert (row["http_status"], row["bytes"], row["url"]) == (None, path.stat().st_size, path.name)
    assert archived(tracker, row["sha256"]) == path.read_bytes()


def test_published_sources_take_their_date_from_last_modified(tracker: Tracker) -> None:
    """effective = "published" dates the release by the response's Last-Modified header."""
    tracker.configure(source_toml("dash", tracker.server.url("/dash.csv"), effective="published",
                                  effective_column=None))  # fmt: skip
    tracker.server.route(
        "/dash.csv",
        body=dashboard_csv([[*row[:-1], "2099-01-01"] for row in stp_rows()]),
        last_modified=LAST_MODIFIED,
    )
    assert tracker.collect().outcome == "changed"
    assert {fact[5] for fact in tracker.believed()} == {"2017-07-21"}


# Failures ----------------------------------------------------------------------------------------

HTML_ERROR = b"<!DOCTYPE html><html><body><h1>Sorry, this page has moved</h1></body></html>"
RENAMED = dashboard_csv(stp_rows()).replace(b"Footprint lead", b"System lead")
FAILURES: dict[str, dict[str, Any]] = {
    "404": {
        "route": {"status": 404},
        "error": "HTTP 404 Not Found from http://127.0.0.1:",
        "status": 404,
        "hits": 1,
    },
    "500 every time": {
        "route": {"status": 500},
        "error": "after 4 attempts: HTTP 500 Internal Server Error",
        "status": 500,
        "hits": 4,
    },
    "too large (Content-Length)": {
        "route": {"body": b"x" * 5000},
        "error": "is larger than the limit of 4096 bytes",
        "status": 200,
        "hits": 1,
    },
    "too large (chunked)": {
        "route": {"body": b"x" * 200_000, "chunked": True},
        "error": "is larger than the limit of 4096 bytes",
        "status": 200,
        "hits": 1,
    },
    "truncated": {
        "route": {"body": b"STP code,STP name\nE54000005,West", "truncate": True},
        "error": "the response was incomplete (truncated)",
        "status": None,
        "hits": 4,
    },
    "HTML with status 200": {
        "route": {"body": HTML_ERROR, "headers": {"Content-Type": "text/html"}},
        "error": "HTML was served where a CSV file was expected",
        "status": 200,
        "hits": 1,
    },
    "renamed column": {
        "route": {"body": RENAMED},
        "error": "mapped column 'Footprint lead' not found (source 'dash'); columns seen: "
        "'STP code', 'STP name', 'Overall rating', 'Leadership rating', 'System lead', 'Beds'",
        "status": 200,
        "hits": 1,
    },
    "empty body": {
        "route": {"body": b"\r\n"},
        "error": "the file is empty",
        "status": 200,
        "hits": 1,
    },
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_a_failed_fetch_is_one_row_and_history_stays(tracker: Tracker, case: str) -> None:
    """Each failure records one failed fetch with its error and status, leaves facts and
    changes exactly as they were, and the next good fetch is applied."""
    spec = FAILURES[case]
    url = tracker.server.url("/dash.csv")
    tracker.configure(source_toml("dash", url, max_bytes=4096 if "large" in case else None))
    small = dashboard_csv(stp_rows(count=10))
    tracker.server.route("/dash.csv", body=small)
    assert tracker.collect().outcome == "changed"
    before = tracker.snapshot()
    tracker.server.route("/dash.csv", **spec["route"])
    hits = tracker.server.hits("/dash.csv")
    sleeps: list[float] = []
    report = tracker.collect(sleeps=sleeps)
    assert report.outcome == "failed" and not report.ok
    assert spec["error"] in (report.error or "")
    row = only_new_fetch(tracker, 1)
    assert (row["outcome"], row["http_status"]) == ("failed", spec["status"])
    assert spec["error"] in row["error"]
    assert tracker.server.hits("/dash.csv") - hits == spec["hits"]
    assert report.attempts == spec["hits"]
    assert len(sleeps) == spec["hits"] - 1  # retried only what is worth retrying
    assert tracker.snapshot() == before
    assert consecutive_failures(tracker.db(), "dash") == 1
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows("2018-03-01", count=10)))
    again = tracker.collect()
    assert (again.outcome, again.records) == ("changed", 10)
    assert consecutive_failures(tracker.db(), "dash") == 0


def test_a_refused_connection_is_a_failed_fetch(tracker: Tracker) -> None:
    """Nothing listening on the port: retried, then one failed row with no HTTP status."""
    tracker.configure(source_toml("dash", f"http://127.0.0.1:{closed_port()}/dash.csv"))
    sleeps: list[float] = []
    report = tracker.collect(sleeps=sleeps)
    assert report.outcome == "failed" and "could not connect" in (report.error or "")
    (row,) = tracker.fetches()
    assert (row["outcome"], row["http_status"], row["bytes"], row["sha256"]) == (
        "failed", None, None, None,
    )  # fmt: skip
    assert len(sleeps) == 3


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({"status": 404}, "HTTP 404 Not Found"),
        ({"body": HTML_ERROR}, "HTML was served where a CSV file was expected"),
    ],
)
def test_the_cli_reports_a_failed_fetch_and_exits_1(
    tracker: Tracker, route: dict[str, Any], message: str
) -> None:
    """`stp-tracker fetch` prints the failed outcome with its reason and exits 1."""
    tracker.server.route("/dash.csv", **route)
    result = tracker.cli("fetch", "dash")
    assert result.exit_code == 1
    assert result.output.startswith("dash: failed (fetch 1, 0 rows, 0 changes")
    assert message in result.output
    assert tracker.believed() == set()


def test_a_server_too_slow_to_answer_times_out(tracker: Tracker) -> None:
    """A read timeout is retried like any transient failure, then recorded as failed."""
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()), delay=2)
    config = tracker.config()
    sleeps: list[float] = []
    with make_client(user_agent(), timeout=0.2) as client:
        report = collect_source(
            tracker.db(), config, config.source("dash"), client=client, sleep=sleeps.append
        )
    assert report.outcome == "failed" and "timed out" in (report.error or "")
    assert (report.attempts, len(sleeps)) == (4, 3)
    assert tracker.fetches()[0]["error"] == report.error


def test_a_large_body_is_refused_without_being_held_in_memory(tracker: Tracker) -> None:
    """A chunked 8 MB body over a 64 KB limit is abandoned while streaming, never buffered."""
    tracker.configure(source_toml("dash", tracker.server.url("/dash.csv"), max_bytes=65536))
    tracker.server.route("/dash.csv", body=b"x" * (8 * 1024 * 1024), chunked=True)
    tracemalloc.start()
    try:
        report = tracker.collect()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.outcome == "failed" and "larger than the limit of 65536 bytes" in report.error
    assert peak < 2 * 1024 * 1024


def test_status_reports_a_source_failing_too_often_and_keeps_history(tracker: Tracker) -> None:
    """Past max_failures failures in a row `status` exits 1 with failing true and the error;
    the source's history is untouched and one success clears it."""
    tracker.configure(source_toml("dash", tracker.server.url("/dash.csv"), max_failures=1))
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()))
    assert tracker.cli("fetch").exit_code == 0
    facts = tracker.believed()
    tracker.server.route("/dash.csv", status=404)
    for failures, exit_code in ((1, 0), (2, 1)):
        assert tracker.cli("fetch", "dash").exit_code == 1
        result = tracker.cli("status", "--format", "json")
        assert result.exit_code == exit_code, result.output
        (dash,) = [row for row in json.loads(result.stdout) if row["source"] == "dash"]
        assert dash["consecutive_failures"] == failures
        assert dash["failing"] is (failures > 1)
        assert dash["last_outcome"] == "failed" and "HTTP 404 Not Found" in dash["last_error"]
        assert dash["last_success"] == tracker.fetches()[0]["started_at"]
    table = tracker.cli("status")
    assert table.exit_code == 1 and "dash: HTTP 404 Not Found" in table.stderr
    assert tracker.believed() == facts
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()))
    assert tracker.cli("fetch").exit_code == 0
    assert tracker.cli("status").exit_code == 0


def test_repeated_quarantines_make_a_source_fail_its_health_check(tracker: Tracker) -> None:
    """Quarantined fetches apply nothing, so they count as failures in a row for `status`."""
    url = tracker.server.url("/dash.csv")
    tracker.configure(source_toml("dash", url, complete=True, max_failures=1))
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()))
    assert tracker.cli("fetch").exit_code == 0
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows("2018-03-01", count=3)))
    for _ in range(2):
        assert tracker.cli("fetch").exit_code == 1
    result = tracker.cli("status", "--format", "json")
    assert result.exit_code == 1
    (dash,) = [row for row in json.loads(result.stdout) if row["source"] == "dash"]
    assert (dash["last_outcome"], dash["consecutive_failures"], dash["failing"]) == (
        "quarantined", 2, True,
    )  # fmt: skip
    assert "it was quarantined, not applied" in dash["last_error"]


# Raw archive -------------------------------------------------------------------------------------


def test_every_distinct_body_is_archived_once_and_facts_lead_back_to_it(tracker: Tracker) -> None:
    """Bodies are stored gzipped under db/raw by SHA-256, once however often they are fetched,
    and each fact's fetch names the archived bytes exactly as served."""
    first, second = dashboard_csv(stp_rows()), dashboard_csv(stp_rows("2018-03-01", shift=1))
    for body in (first, first, second, first):
        tracker.server.route("/dash.csv", body=body)
        assert tracker.collect().ok
    files = sorted((tracker.db_path.parent / "raw").rglob("*"))
    stored = [path for path in files if path.is_file()]
    assert sorted(path.name for path in stored) == sorted(
        f"{hashlib.sha256(body).hexdigest()}.gz" for body in (first, second)
    )
    assert [row["outcome"] for row in tracker.fetches()] == [
        "changed", "unchanged", "changed", "unchanged",  # the last restates a known release
    ]  # fmt: skip
    links = tracker.db().execute(
        "select distinct f.valid_from, x.sha256 from facts f join fetches x on x.id = f.fetch_id "
        "where f.source = 'dash' and f.retired_at is null"
    )
    by_period = dict(links.fetchall())
    assert archived(tracker, by_period["2017-07-21"]) == first
    assert archived(tracker, by_period["2018-03-01"]) == second


# Formats -----------------------------------------------------------------------------------------


def test_csv_xlsx_and_html_tables_ingest_to_the_same_facts(tracker: Tracker) -> None:
    """A cp1252 CSV with two title lines and a totals row, an xlsx with a merged two-row header
    and an HTML table with colspan headers, all fetched by one `fetch`, give the same facts."""
    rows = stp_rows()
    server = tracker.server
    server.route("/dash.csv", body=dashboard_csv(rows, encoding="cp1252", titles=2))
    server.route("/dash.xlsx", body=dashboard_xlsx(rows))
    server.route("/dash.html", body=dashboard_html(rows))
    tracker.configure(
        source_toml("as-csv", server.url("/dash.csv")),
        source_toml("as-xlsx", server.url("/dash.xlsx"), GROUPED_COLUMNS, format="xlsx"),
        source_toml(
            "as-html", server.url("/dash.html"), GROUPED_COLUMNS, format="html-table",
            selector="table.ratings",
        ),
        source_toml("switched-off", server.url("/off.csv"), enabled=False),
    )  # fmt: skip
    result = tracker.cli("fetch")
    assert result.exit_code == 0, result.output
    lines = sorted(result.output.splitlines())
    assert [line.split(" (fetch")[0] for line in lines] == [
        "as-csv: changed", "as-html: changed", "as-xlsx: changed",
    ]  # fmt: skip
    assert all(", 44 rows, 180 changes, " in line for line in lines)
    assert server.hits("/off.csv") == 0
    facts = {name: tracker.believed(name) for name in ("as-csv", "as-xlsx", "as-html")}
    assert len(facts["as-csv"]) == 44 * 4 + len(RECODED)
    assert facts["as-csv"] == facts["as-xlsx"] == facts["as-html"]
    notes = {fact[8] for fact in facts["as-csv"]}
    assert "Rated advanced – see NHS England’s letter" in notes
    leads = {fact[2] for fact in facts["as-csv"] if fact[1] == "leader.stp_lead"}
    assert {"Ciarán D’Souza", "Anne O’Neill"} <= leads


# Mass-change guard -------------------------------------------------------------------------------


def test_a_release_listing_3_of_44_is_quarantined_until_accepted(tracker: Tracker) -> None:
    """A complete source suddenly listing 3 of 44 is quarantined with history untouched; after
    review, `fetch SOURCE --accept ID` applies it, ending the other 41 organisations' facts."""
    url = tracker.server.url("/dash.csv")
    tracker.configure(source_toml("dash", url, complete=True))
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()))
    assert tracker.cli("fetch", "dash").exit_code == 0
    before = tracker.snapshot()
    three = dashboard_csv(stp_rows("2018-03-01", count=3))
    tracker.server.route("/dash.csv", body=three)
    result = tracker.cli("fetch", "dash")
    assert result.exit_code == 1
    assert "dash: quarantined (fetch 2" in result.output
    assert "would end or change 41 of 44 organisations (93%, more than max_change 25%)" in (
        result.output
    )
    assert tracker.snapshot() == before
    row = tracker.fetches()[-1]
    assert (row["outcome"], row["sha256"]) == ("quarantined", hashlib.sha256(three).hexdigest())
    assert archived(tracker, row["sha256"]) == three
    again = tracker.cli("fetch", "dash")  # still the same bytes: quarantined again, not applied
    assert "dash: quarantined (fetch 3" in again.output
    assert tracker.snapshot() == before

    accepted = tracker.cli("fetch", "dash", "--accept", "2")
    assert accepted.exit_code == 0, accepted.output
    assert accepted.output.startswith("dash: changed (fetch 2, 3 rows, ")
    db = tracker.db()
    ended = db.execute(
        "select count(distinct org_code) from facts where source = 'dash' and retired_at is null "
        "and valid_to = '2018-03-01'"
    ).fetchone()[0]
    assert ended == 41
    to_null = db.execute(
        "select count(distinct org_code), count(*) from changes where source = 'dash' "
        "and new_value is null and effective = '2018-03-01' and fetch_id = 2"
    ).fetchone()
    assert tuple(to_null) == (41, 41 * 4 + 2)  # E54000033 and E54000035 also end org.code
    current = db.execute(
        "select distinct org_code from facts where source = 'dash' and retired_at is null "
        "and valid_to is null"
    ).fetchall()
    assert sorted(code for (code,) in current) == ["E54000005", "E54000006", "E54000007"]
    applied = tracker.fetches()[1]
    assert (applied["outcome"], applied["error"]) == ("changed", None)
    assert applied["finished_at"] == row["finished_at"] < applied["applied_at"]
    assert tracker.cli("fetch", "dash").output.startswith("dash: unchanged (fetch 4")


@pytest.mark.parametrize(
    ("args", "message", "exit_code"),
    [
        (["dash", "--accept", "1"], "fetch 1 of 'dash' is changed, not quarantined", 1),
        (["dash", "--accept", "99"], "fetch 99 is not a fetch of source 'dash'", 1),
        (["other", "--accept", "2"], "fetch 2 is not a fetch of source 'other'", 1),
        (["--accept", "2"], "--accept takes exactly one SOURCE", 2),
        (["dash", "other", "--accept", "2"], "--accept takes exactly one SOURCE", 2),
    ],
)
def test_accepting_anything_but_a_quarantined_fetch_is_an_error(
    tracker: Tracker, args: list[str], message: str, exit_code: int
) -> None:
    """--accept refuses applied fetches, unknown ids, another source's fetch and bad usage."""
    url = tracker.server.url("/dash.csv")
    tracker.configure(
        source_toml("dash", url, complete=True), source_toml("other", url, enabled=False)
    )
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()))
    assert tracker.cli("fetch", "dash").exit_code == 0
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows("2018-03-01", count=3)))
    assert tracker.cli("fetch", "dash").exit_code == 1
    before = tracker.snapshot(skip=())
    result = tracker.cli("fetch", *args)
    assert result.exit_code == exit_code
    assert message in result.output
    assert tracker.snapshot(skip=()) == before


def test_a_small_change_to_a_complete_source_is_applied(tracker: Tracker) -> None:
    """A complete source dropping 2 of 44 (under max_change) is applied straight away."""
    tracker.configure(source_toml("dash", tracker.server.url("/dash.csv"), complete=True))
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows()))
    assert tracker.collect().outcome == "changed"
    tracker.server.route("/dash.csv", body=dashboard_csv(stp_rows("2018-03-01", count=42)))
    report = tracker.collect()
    assert (report.outcome, report.records) == ("changed", 42)
    ended = {f[0] for f in tracker.believed() if f[6] == "2018-03-01"}
    assert ended == {"E54000047", "E54000048"}


def test_xlsx_header_cells_merged_down_both_rows_name_the_grouped_columns(
    tracker: Tracker,
) -> None:
    """A two-row header whose other names are cells merged down both rows still reads as
    "Rating Overall" / "Rating Leadership" and gives the same facts as the CSV."""
    rows = stp_rows()
    server = tracker.server
    server.route("/dash.csv", body=dashboard_csv(rows))
    server.route("/dash.xlsx", body=dashboard_xlsx(rows, merged_down=True))
    tracker.configure(
        source_toml("as-csv", server.url("/dash.csv")),
        source_toml("as-xlsx", server.url("/dash.xlsx"), GROUPED_COLUMNS, format="xlsx"),
    )
    result = tracker.cli("fetch")
    assert result.exit_code == 0, result.output
    assert tracker.believed("as-xlsx") == tracker.believed("as-csv")
