"""Failed input does not accumulate: unresolved names are kept once each with a count, up to a
cap, and failed bodies leave the raw archive by age and size, as `status` reports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stp_tracker.cli import main
from stp_tracker.config import TrackerConfig
from stp_tracker.config.loading import load_config
from stp_tracker.fetch.archive import archive_root, body_path
from stp_tracker.service.retention import failed_bodies, prune_failed, throttled
from stp_tracker.store.apply import open_db
from stp_tracker.store.fetches import MAX_UNMATCHED
from tests.conftest import csv_bytes
from tests.httpserver import FixtureServer
from tests.test_collect import source_toml, write_sources

PRESS = {"Partnership": "org.name", "Rating": "rating.overall"}
GOOD = csv_bytes([["Dorset", "Outstanding"]], ["Partnership", "Rating"])


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A real HTTP server for the press source."""
    with FixtureServer() as running:
        yield running


@pytest.fixture
def env(tmp_path: Path, server: FixtureServer) -> dict[str, str]:
    """A config with one press source (names only, dated by --as-of), and an initialised
    database; the environment the CLI reads them from."""
    config = write_sources(
        tmp_path / "config",
        source_toml(
            "press", server.url("/press.csv"), PRESS, effective="2017-07-21", effective_column=None
        ),
    )
    values = {"STP_TRACKER_DB": str(tmp_path / "db" / "stp.db"), "STP_TRACKER_CONFIG": str(config)}
    assert CliRunner().invoke(main, ["init"], env=values).exit_code == 0
    return values


def cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run a verb; its exit code, stdout and stderr."""
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_unmatched_names_are_kept_once_each_with_a_count_and_capped(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A file of 1,500 unknown names, each twice, keeps 1,000 distinct rows with their
    count and one row saying how many more were cut; long or control-laden names are clipped
    and escaped, and the fetch's error is one bounded line."""
    names = [f"Nowhere Partnership {n:04d}" for n in range(1500)]
    names[0] = "Evil\x1b[31m " + "x" * 5000
    rows = [[name, "Outstanding"] for name in names * 2]
    path = tmp_path / "unknown.csv"
    path.write_bytes(csv_bytes(rows, ["Partnership", "Rating"]))
    code, _, err = cli(env, "ingest", "press", str(path))
    assert code == 1 and len(err.splitlines()) == 1
    db = open_db(env["STP_TRACKER_DB"])
    kept = list(db.query("select * from unmatched order by id"))
    assert len(kept) == MAX_UNMATCHED + 1
    assert {row["occurrences"] for row in kept[:-1]} == {2}
    assert kept[-1]["name"] == "[500 more distinct names not kept: at most 1,000 per fetch]"
    assert kept[-1]["occurrences"] == 1000 and kept[-1]["file"] == "unknown.csv"
    assert kept[0]["row"] == 2 and kept[0]["file"] == "unknown.csv"  # the first data row
    assert "\x1b" not in kept[0]["name"] and "\\x1b" in kept[0]["name"]
    assert len(kept[0]["name"]) < 300
    (error,) = db.execute("select error from fetches where source = 'press'").fetchone()
    assert "\n" not in error and "\x1b" not in error and len(error) < 1100


def failing_fetches(env: dict[str, str], server: FixtureServer, count: int) -> list[str]:
    """`count` fetches of HTML pages with different bytes, each failing; their hashes."""
    for n in range(count):
        server.route("/press.csv", body=f"<html><body>error page {n}</body></html>")
        assert cli(env, "fetch", "press")[0] == 1
    db = open_db(env["STP_TRACKER_DB"])
    return [r[0] for r in db.execute("select sha256 from fetches where outcome = 'failed'")]


def tracker(**values: object) -> TrackerConfig:
    """Tracker settings with the given retention values."""
    return TrackerConfig(**values)  # type: ignore[arg-type]


def test_failed_bodies_are_kept_then_pruned_by_age(env: dict[str, str], server) -> None:
    """A failed body stays in the archive for inspection (and status counts it); once older
    than keep_failed it goes, while applied bodies and every fetches row stay."""
    server.route("/press.csv", body=GOOD)
    assert cli(env, "fetch", "press")[0] == 0
    shas = failing_fetches(env, server, 2)
    db = open_db(env["STP_TRACKER_DB"])
    archive = archive_root(env["STP_TRACKER_DB"])
    assert {body.sha256 for body in failed_bodies(db, archive)} == set(shas)
    status = json.loads(cli(env, "status", "--format", "json")[1])
    (press,) = [row for row in status if row["source"] == "press"]
    assert press["failed_bodies"] == 2 and press["failed_bodies_bytes"] > 0
    table = cli(env, "status")[1]
    assert "failed bodies kept for inspection: 2" in table and "kept 30d" in table
    now = dt.datetime.now(dt.UTC)
    assert prune_failed(db, tracker(keep_failed="30d"), now).bodies == 0
    later = prune_failed(db, tracker(keep_failed="30d"), now + dt.timedelta(days=31))
    assert later.bodies == 2 and later.bytes > 0
    assert not any(body_path(archive, sha).exists() for sha in shas)
    (applied,) = db.execute("select sha256 from fetches where outcome = 'changed' "
                            "and source = 'press'").fetchone()  # fmt: skip
    assert body_path(archive, applied).exists()
    assert db.execute("select count(*) from fetches where source = 'press'").fetchone() == (3,)


def test_failed_bodies_beyond_the_size_cap_go_oldest_first(env: dict[str, str], server) -> None:
    """With room for one body under keep_failed_mb, the newest failed body is kept."""
    shas = failing_fetches(env, server, 3)
    db = open_db(env["STP_TRACKER_DB"])
    archive = archive_root(env["STP_TRACKER_DB"])
    pruned = prune_failed(db, tracker(keep_failed_mb=0), dt.datetime.now(dt.UTC))
    assert pruned.bodies == 3
    shas = failing_fetches(env, server, 3)[-3:]
    sizes = [body_path(archive, sha).stat().st_size for sha in shas]
    budget = tracker(keep_failed_mb=1)
    assert sum(sizes) < 1_000_000  # all fit: nothing goes
    assert prune_failed(db, budget, dt.datetime.now(dt.UTC)).bodies == 0
    assert [body_path(archive, sha).exists() for sha in shas] == [True, True, True]


def test_quarantined_bodies_are_never_pruned(tmp_path: Path, server: FixtureServer) -> None:
    """A quarantined body waits for `fetch --accept`, whatever its age."""
    config = write_sources(
        tmp_path / "config",
        source_toml("full", server.url("/full.csv"), PRESS, effective="2017-07-21",
                    effective_column=None, complete=True),
    )  # fmt: skip
    env = {"STP_TRACKER_DB": str(tmp_path / "stp.db"), "STP_TRACKER_CONFIG": str(config)}
    everyone = [["Dorset", "Outstanding"], ["Staffordshire", "Red"], ["West Yorkshire", "Red"],
                ["Greater Manchester", "Advanced"], ["Cheshire and Merseyside", "Red"]]  # fmt: skip
    server.route("/full.csv", body=csv_bytes(everyone, ["Partnership", "Rating"]))
    assert cli(env, "fetch", "full")[0] == 0
    server.route("/full.csv", body=csv_bytes(everyone[:1], ["Partnership", "Rating"]))
    assert cli(env, "fetch", "full")[0] == 1
    db = open_db(env["STP_TRACKER_DB"])
    (sha,) = db.execute("select sha256 from fetches where outcome = 'quarantined'").fetchone()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    prune_failed(db, tracker(keep_failed="1d", keep_failed_mb=0), later)
    assert body_path(archive_root(env["STP_TRACKER_DB"]), sha).exists()


def test_old_unmatched_names_of_failed_fetches_are_pruned(tmp_path: Path, env) -> None:
    """Unresolved names of a failed fetch go with its body once older than keep_failed."""
    path = tmp_path / "unknown.csv"
    path.write_bytes(csv_bytes([["Nowhere", "Red"]], ["Partnership", "Rating"]))
    assert cli(env, "ingest", "press", str(path))[0] == 1
    db = open_db(env["STP_TRACKER_DB"])
    now = dt.datetime.now(dt.UTC)
    assert prune_failed(db, tracker(), now).unmatched == 0
    assert prune_failed(db, tracker(), now + dt.timedelta(days=31)).unmatched == 1
    assert db.execute("select count(*) from unmatched").fetchone() == (0,)


def test_pruning_in_the_service_is_throttled() -> None:
    """The service prunes after its first write, then at most once per interval."""
    calls: list[object] = []
    prune = throttled(calls.append, every=3600)
    for marker in ("first", "second", "third"):
        prune(marker)  # type: ignore[arg-type]
    assert calls == ["first"]


def test_retention_settings_are_validated(tmp_path: Path) -> None:
    """keep_failed must be a duration and keep_failed_mb a whole number."""
    from stp_tracker.errors import ConfigError

    folder = tmp_path / "config"
    folder.mkdir()
    for text, key in (('keep_failed = "soon"', "keep_failed"), ("keep_failed_mb = -1",
                      "keep_failed_mb"), ('redact_params = "key"', "redact_params")):  # fmt: skip
        (folder / "tracker.toml").write_text(f"[tracker]\n{text}\n")
        with pytest.raises(ConfigError, match=key):
            load_config(folder, environ={})
