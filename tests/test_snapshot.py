"""Published snapshots: `stp-tracker publish OUT` and `serve --immutable`, with cache headers.

The snapshot is taken from the same fixture database test_publish builds; requests go through
the real ASGI stack (the caching middleware around Datasette's app) with httpx's ASGI transport.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from stp_tracker.cli import main
from stp_tracker.publish.cache import deployment_digest
from stp_tracker.publish.immutable import (
    CachePolicy,
    build_immutable,
    caching,
    snapshot_config,
)
from stp_tracker.publish.snapshot import (
    INSPECT_FILE,
    MANIFEST_FILE,
    SNAPSHOT_FILE,
    describe,
    file_sha256,
    publish,
    read_info,
)
from tests.conftest import REPO, free_port
from tests.test_publish import build_database

PAGES = [
    "/",
    "/-/org/E54000010",
    "/-/map?as_of=2018-06-01",
    "/-/map.geojson?as_of=2018-06-01",
    "/stp/ratings_as_of?as_of=2017-07-21",
    "/stp/changes_since.json?since=2017-01-01&org=&kind=",
    "/stp/change_feed.atom",
    "/stp/organisation_feed.atom?org=E54000010",
    "/stp/facts",
    "/stp/recent_changes.json",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixture database of test_publish, with a raw archive beside it."""
    found = build_database(tmp_path_factory.mktemp("snapshot"))
    assert any((found["db_path"].parent / "raw").rglob("*.gz"))
    return found


@pytest.fixture(scope="module")
def out(built: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`stp-tracker publish OUT` of the fixture database."""
    folder = tmp_path_factory.mktemp("published") / "site"
    result = CliRunner().invoke(
        main,
        ["publish", str(folder), "--db", str(built["db_path"]), "--config", str(REPO / "config")],
    )
    assert result.exit_code == 0, result.output
    return folder


def get(app: Any, path: str, method: str = "GET", **headers: str) -> httpx.Response:
    """One request through an ASGI app over httpx's ASGI transport."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://stp.test") as client:
            return await client.request(method, path, headers=headers)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def served(out: Path) -> dict[str, Any]:
    """The snapshot served immutably, as `serve --immutable OUT` serves it."""
    path = out / SNAPSHOT_FILE
    ds, database, policy = build_immutable(path, read_info(path), snapshot_config(path, "nowhere"))
    asyncio.run(ds.invoke_startup())
    return {"ds": ds, "database": database, "policy": policy, "app": caching(policy)(ds.app())}


# publish ----------------------------------------------------------------------------------------


def test_publish_writes_the_snapshot_and_its_configuration_but_not_the_archive(out: Path) -> None:
    """OUT holds the database, its metadata, inspect data and manifest, and no raw archive."""
    names = {path.name for path in out.iterdir()}
    assert names == {SNAPSHOT_FILE, "datasette.yml", INSPECT_FILE, MANIFEST_FILE}
    assert (out / "datasette.yml").read_bytes() == (REPO / "config" / "datasette.yml").read_bytes()
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    assert manifest["sha256"] == file_sha256(out / SNAPSHOT_FILE)
    inspect = json.loads((out / INSPECT_FILE).read_text())["stp"]
    assert inspect["hash"] == manifest["sha256"]
    assert inspect["tables"]["organisations"]["count"] > 0  # tables only: facts is a view


def test_the_snapshot_is_standalone_analysed_compact_and_sound(built, out: Path) -> None:
    """Rollback journal (no -wal needed), planner statistics, no free pages, integrity ok, and
    the same rows as the live database."""
    conn = sqlite3.connect(f"file:{out / SNAPSHOT_FILE}?immutable=1", uri=True)
    live = sqlite3.connect(built["db_path"])
    try:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
        assert conn.execute("select count(*) from sqlite_stat1").fetchone()[0] > 0
        assert conn.execute("pragma freelist_count").fetchone()[0] == 0
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        ordered = {"facts": "id", "changes": "id", "organisations": "code", "boundaries": "rowid"}
        for table, order in ordered.items():
            sql = f"select * from {table} order by {order}"
            assert conn.execute(sql).fetchall() == live.execute(sql).fetchall(), table
    finally:
        conn.close()
        live.close()


def test_publish_copies_template_overrides_and_drops_stale_ones(built, tmp_path: Path) -> None:
    """config/templates goes beside the snapshot; a later publish without it removes it."""
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    (config / "templates").mkdir(exist_ok=True)
    (config / "templates" / "_footer.html").write_text("<p>our footer</p>")
    publish(built["db_path"], config, tmp_path / "site")
    assert (tmp_path / "site" / "templates" / "_footer.html").read_text() == "<p>our footer</p>"
    shutil.rmtree(config / "templates")
    publish(built["db_path"], config, tmp_path / "site")
    assert not (tmp_path / "site" / "templates").exists()


def test_publish_during_writes_is_consistent_and_never_blocks_the_writer(built, tmp_path) -> None:
    """A writer committing pairs of rows as fast as it can: each snapshot holds whole pairs,
    and the writer kept committing while the snapshots were taken."""
    live = tmp_path / "live.db"
    shutil.copy(built["db_path"], live)
    setup = sqlite3.connect(live)
    setup.execute("pragma journal_mode = wal")
    setup.execute("create table pairs (n integer)")
    setup.commit()
    setup.close()
    stop, commits = threading.Event(), [0]

    def write() -> None:
        conn = sqlite3.connect(live, timeout=30)
        while not stop.is_set():
            with conn:
                conn.executemany("insert into pairs values (?)", [(commits[0],)] * 2)
            commits[0] += 1
        conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        seen = []
        for attempt in range(3):
            before = commits[0]
            publish(live, REPO / "config", tmp_path / f"site{attempt}")
            seen.append(commits[0] - before)
    finally:
        stop.set()
        writer.join()
    assert all(moved > 0 for moved in seen)
    for attempt in range(3):
        snap = sqlite3.connect(tmp_path / f"site{attempt}" / SNAPSHOT_FILE)
        rows = snap.execute("select count(*), count(distinct n) from pairs").fetchone()
        snap.close()
        assert rows[0] == 2 * rows[1]


@pytest.mark.parametrize(
    "where, why",
    [("missing.db", "no database to publish"), ("same-folder", "a folder of its own")],
)
def test_publish_refuses_with_one_line(built, tmp_path, where: str, why: str) -> None:
    """A missing database, or OUT being the live database's folder, is a one-line error."""
    db = tmp_path / "missing.db" if where == "missing.db" else built["db_path"]
    out = db.parent if where == "same-folder" else tmp_path / "site"
    result = CliRunner().invoke(main, ["publish", str(out), "--db", str(db)])
    assert result.exit_code == 1
    assert why in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_read_info_measures_a_file_whose_inspect_data_is_stale(out: Path, tmp_path) -> None:
    """A snapshot replaced without its inspect data is described from the file itself."""
    copy = tmp_path / SNAPSHOT_FILE
    shutil.copy(out / SNAPSHOT_FILE, copy)
    stale = json.loads((out / INSPECT_FILE).read_text())
    stale["stp"]["hash"] = "0" * 64
    stale["stp"]["tables"]["organisations"]["count"] = -1
    (tmp_path / INSPECT_FILE).write_text(json.dumps(stale))
    assert read_info(copy) == describe(copy)
    assert read_info(out / SNAPSHOT_FILE) == describe(out / SNAPSHOT_FILE)


# serving ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_served_with_a_content_etag_and_public_caching(served, path: str) -> None:
    """Organisation page, map, GeoJSON, canned queries, feeds and tables: 200, a weak ETag
    naming the file's hash, and Cache-Control public."""
    response = get(served["app"], path)
    assert response.status_code == 200, response.text[:300]
    etag = response.headers["etag"]
    assert etag.startswith('W/"') and served["database"].info.sha256[:24] in etag
    assert response.headers["cache-control"] == "public, max-age=60"


@pytest.mark.parametrize("path", PAGES[:4])
def test_a_current_if_none_match_is_answered_304_without_a_body(served, path: str) -> None:
    """Revalidation with the current tag (alone, in a list, or strong) gives 304 and no body."""
    etag = get(served["app"], path).headers["etag"]
    for header in (etag, f'"other", {etag}', etag.removeprefix("W/")):
        response = get(served["app"], path, **{"If-None-Match": header})
        assert response.status_code == 304 and response.content == b""
        assert response.headers["etag"] == etag
    assert get(served["app"], path, **{"If-None-Match": '"stale"'}).status_code == 200


def test_the_etag_changes_with_the_deployment_and_the_day(served, out, tmp_path) -> None:
    """Another template, other metadata, or another day gives another tag."""
    policy: CachePolicy = served["policy"]
    later = CachePolicy(policy.database, policy.deployment, 60, today=lambda: "29991231")
    assert later.etag() != policy.etag()
    assert deployment_digest(out) == policy.deployment
    shutil.copy(out / "datasette.yml", tmp_path / "datasette.yml")
    assert deployment_digest(tmp_path) == policy.deployment
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "_footer.html").write_text("<p>ours</p>")
    templated = deployment_digest(tmp_path)
    (tmp_path / "datasette.yml").write_text("title: Another\n")
    digests = {policy.deployment, templated, deployment_digest(tmp_path)}
    assert len(digests) == 3
    assert CachePolicy(policy.database, templated, 60).etag() != policy.etag()


def test_errors_and_refusals_carry_no_etag(served) -> None:
    """A 404, a POST (405) and a write through ?sql= are never marked cacheable."""
    missing = get(served["app"], "/-/org/Nowhere%20At%20All")
    assert missing.status_code == 404 and "etag" not in missing.headers
    posted = get(served["app"], "/stp", method="POST")
    assert posted.status_code == 405 and "etag" not in posted.headers
    write = get(served["app"], "/stp.json?sql=delete+from+facts")
    assert write.status_code == 400 and "etag" not in write.headers


def test_a_swap_serves_new_requests_from_the_new_file_and_pinned_ones_from_the_old(
    built, out, tmp_path
) -> None:
    """After swap(), new requests read the new file and get its tag, while a request that began
    before the swap keeps reading the file it started on."""
    first = tmp_path / "stp-1.db"
    shutil.copy(out / SNAPSHOT_FILE, first)
    ds, database, policy = build_immutable(first, read_info(first), out)
    app = caching(policy)(ds.app())
    second = tmp_path / "stp-2.db"
    shutil.copy(first, second)
    conn = sqlite3.connect(second)
    for table in ("fact_versions", "fact_groups"):  # the stored history behind `facts`
        conn.execute(
            f"delete from {table} where org = "
            "(select id from organisations where code = 'E54000010')"
        )
    conn.commit()
    conn.close()

    async def facts() -> int:
        found = await database.execute("select count(*) from facts where org_code = 'E54000010'")
        return found.rows[0][0]

    async def scenario() -> tuple[int, int]:
        with database.pinned():
            database.swap(read_info(second), second)
            pinned = await facts()
        return pinned, await facts()

    before = get(app, "/-/org/E54000010")
    pinned, after = asyncio.run(scenario())
    assert pinned > 0 and after == 0
    now = get(app, "/-/org/E54000010")
    assert now.headers["etag"] != before.headers["etag"]
    assert (
        get(app, "/-/org/E54000010", **{"If-None-Match": before.headers["etag"]}).status_code == 200
    )


def test_serve_immutable_names_a_missing_snapshot_in_one_line(tmp_path) -> None:
    """`serve --immutable` of a folder with no snapshot says how to make one."""
    result = CliRunner().invoke(main, ["serve", "--immutable", str(tmp_path)])
    assert result.exit_code == 1
    assert "stp-tracker publish" in result.output and "Traceback" not in result.output


def test_serve_immutable_runs_from_the_snapshot_folder_alone(out: Path, tmp_path) -> None:
    """`stp-tracker serve --immutable OUT` as a process, with no configuration folder: pages
    come with the snapshot's tag, and revalidation is a 304."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stp_tracker", "serve", "--immutable", str(out), "--port",
         str(port), "--config", str(tmp_path / "no-config-here")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/-/map.geojson?as_of=2018-06-01"
        deadline = time.monotonic() + 30
        while True:
            try:
                first = httpx.get(url, timeout=5)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert (
            first.status_code == 200
            and file_sha256(out / SNAPSHOT_FILE)[:24] in first.headers["etag"]
        )
        again = httpx.get(url, headers={"If-None-Match": first.headers["etag"]}, timeout=5)
        assert again.status_code == 304
    finally:
        process.terminate()
        process.communicate(timeout=20)
