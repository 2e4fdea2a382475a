"""Publish only what is public: no credentials, secret parameters, local folders or raw control
characters reach a table Datasette serves."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from stp_tracker.cli import main
from stp_tracker.publish import build_datasette
from stp_tracker.redact import MAX_TEXT, public_text, public_url
from stp_tracker.store.apply import open_db
from tests.conftest import csv_bytes
from tests.httpserver import FixtureServer
from tests.test_collect import source_toml, write_sources

TOKEN = "tok3n-s3cr3t-value"
PASSWORD = "hunter2-pw"
PRESS = {"Partnership": "org.name", "Rating": "rating.overall"}


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://data.example.org/a.csv?api_key=123&year=2017",
         "https://data.example.org/a.csv?api_key=REDACTED&year=2017"),
        ("https://bob:pw@data.example.org:8443/a.csv", "https://data.example.org:8443/a.csv"),
        ("https://x.org/q?X-Amz-Signature=abc&X-Amz-Credential=def&page=2",
         "https://x.org/q?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&page=2"),
        ("https://x.org/q?where=1%3D1&outFields=A,B&f=geojson",
         "https://x.org/q?where=1%3D1&outFields=A,B&f=geojson"),
        ("https://x.org/a.csv#access_token=abc", "https://x.org/a.csv"),
        ("/home/alice/data/july.csv", "july.csv"),
        ("file:///srv/stp/private%20dir/june.xlsx", "june.xlsx"),
        ("relative/dir/may.csv", "may.csv"),
    ],
)  # fmt: skip
def test_public_urls(url: str, public: str) -> None:
    """Credentials, secret-named parameters, fragments and local folders are hidden."""
    assert public_url(url) == public


def test_the_list_of_secret_parameters_is_configurable() -> None:
    """Only the given words mark parameters as secret when a list is passed."""
    url = "https://x.org/a?year=2017&key=1"
    assert public_url(url, ("year",)) == "https://x.org/a?year=REDACTED&key=1"


@given(
    name=st.sampled_from(["api_key", "token", "Secret", "password", "sig", "access_token"]),
    value=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.~", min_size=8, max_size=40),
    other=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10),
)
def test_a_secret_parameter_never_survives(name: str, value: str, other: str) -> None:
    """Whatever its value and wherever it sits among other parameters, it is not published,
    neither from a URL nor from a message quoting the URL."""
    url = f"https://h.example/p?a={other}&{name}={value}&b=1"
    assert value not in (public_url(url) or "")
    assert value not in (public_text(f"could not fetch {url}: HTTP 404") or "")


@given(st.text(max_size=3000))
def test_public_text_is_one_bounded_line(text: str) -> None:
    """Any text becomes one line without control characters, no longer than the limit (and
    the note of how much was cut)."""
    shown = public_text(text) or ""
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in shown)
    assert len(shown) <= MAX_TEXT + len("… (9,999,999 more characters)")


def every_cell(db_path: Path) -> str:
    """The text of every cell of every table, joined (read as it is, migrating nothing)."""
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        cells = [
            str(v) for t in tables for row in conn.execute(f"select * from [{t}]") for v in row
        ]
    return "\n".join(cells)


def test_a_token_in_a_sources_url_is_sent_but_never_published(tmp_path: Path) -> None:
    """The server receives the token and password; no table, and no Datasette page, holds
    them, after a successful fetch, a failed one and a redirect."""
    with FixtureServer() as server:
        url = server.url(f"/press.csv?api_key={TOKEN}&year=2017")
        url = url.replace("http://", f"http://reader:{PASSWORD}@")
        config = write_sources(
            tmp_path / "config",
            source_toml("press", url, PRESS, effective="2017-07-21", effective_column=None),
        )
        env = {"STP_TRACKER_DB": str(tmp_path / "stp.db"), "STP_TRACKER_CONFIG": str(config)}
        runner = CliRunner()
        server.route("/press.csv", body=csv_bytes([["Dorset", "Outstanding"]],
                                                  ["Partnership", "Rating"]))  # fmt: skip
        assert runner.invoke(main, ["fetch", "press"], env=env).exit_code == 0
        server.route("/press.csv", status=404)
        failed = runner.invoke(main, ["fetch", "press"], env=env)
        server.route("/press.csv", redirect_to=server.url(f"/x.csv?token={TOKEN}", "localhost"))
        moved = runner.invoke(main, ["fetch", "press"], env=env)
        assert server.requests[0].path == f"/press.csv?api_key={TOKEN}&year=2017"
        assert server.requests[0].headers["Authorization"].startswith("Basic ")
    assert failed.exit_code == 1 and moved.exit_code == 1
    assert TOKEN not in failed.output + moved.output
    stored = every_cell(tmp_path / "stp.db")
    assert TOKEN not in stored and PASSWORD not in stored and "reader" not in stored
    assert "api_key=REDACTED&year=2017" in stored
    ds = build_datasette(tmp_path / "stp.db", config)

    async def pages() -> str:
        await ds.invoke_startup()
        paths = ["/stp/sources.json", "/stp/fetches.json", "/stp/source_status.json"]
        return "".join([(await ds.client.get(path)).text for path in paths])

    published = asyncio.run(pages())
    assert "REDACTED" in published and TOKEN not in published and PASSWORD not in published


def test_local_paths_are_published_by_file_name_only(tmp_path: Path, write_csv) -> None:
    """The bundled reference file, an ingested file and their errors show no folder."""
    config = write_sources(
        tmp_path / "config",
        source_toml("press", "press.csv", PRESS, effective="2017-07-21", effective_column=None),
    )
    env = {"STP_TRACKER_DB": str(tmp_path / "db" / "stp.db"), "STP_TRACKER_CONFIG": str(config)}
    runner = CliRunner()
    assert runner.invoke(main, ["init"], env=env).exit_code == 0
    good = write_csv("good.csv", [["Dorset", "Outstanding"]], ["Partnership", "Rating"])
    bad = write_csv("bad.csv", [["Nowhere At All", "Red"]], ["Partnership", "Rating"])
    assert runner.invoke(main, ["ingest", "press", str(good)], env=env).exit_code == 0
    assert runner.invoke(main, ["ingest", "press", str(bad)], env=env).exit_code == 1
    stored = every_cell(tmp_path / "db" / "stp.db")
    assert str(tmp_path) not in stored and "site-packages" not in stored
    assert "/stp_tracker/" not in stored
    db = open_db(tmp_path / "db" / "stp.db")
    urls = {row[0] for row in db.execute("select url from fetches")}
    assert urls == {"reference-2017.csv", "good.csv", "bad.csv", "stp-2017-boundaries.geojson",
                    "icb-2022-boundaries.geojson"}  # fmt: skip
    assert db.execute("select url from sources where name = 'reference-2017'").fetchone() == (
        "reference-2017.csv",
    )


def test_an_older_database_is_cleaned_when_opened(tmp_path: Path) -> None:
    """Rows written before redaction existed are redacted by a migration."""
    path = tmp_path / "stp.db"
    db = open_db(path)
    secret_url = f"https://u:{PASSWORD}@x.org/a.csv?token={TOKEN}"
    db["fetches"].insert({"source": "s", "started_at": "2020-01-01", "url": secret_url,
                          "error": f"could not fetch {secret_url}\nboom"})  # fmt: skip
    db["sources"].insert({"name": "s", "url": "/home/alice/secret-folder/s.csv"})
    definition = json.dumps({"source": {"name": "s", "url": secret_url}, "scale": None})
    db["configurations"].insert({"digest": "d", "source": "s", "definition": definition,
                                 "recorded_at": "2020-01-01"})  # fmt: skip
    db.execute("delete from _sqlite_migrations where name = 'm011_public_urls'")
    db.conn.commit()
    db.close()
    stored = every_cell(path)
    assert TOKEN in stored  # as an old version would have left it
    open_db(path).close()
    stored = every_cell(path)
    assert TOKEN not in stored and PASSWORD not in stored and "secret-folder" not in stored
    assert "\nboom" not in stored
