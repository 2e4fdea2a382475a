"""Responses kept per commit (publish/cache.py): what is kept, when it is dropped, and that a
commit is seen by the very next request."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from stp_tracker.errors import ConfigError
from stp_tracker.publish import build_datasette
from stp_tracker.publish.cache import (
    CACHE_HEADER,
    LiveState,
    Policy,
    ResponseCache,
    by_commit,
    cacheable,
    live_caching,
)
from stp_tracker.publish.settings import published_settings
from tests.conftest import REPO


class Counting:
    """An ASGI app answering `body` for every path (404 for /missing), counting its calls;
    `during` runs while it answers (a commit landing mid-request)."""

    def __init__(self, body: bytes = b"page", during: Callable[[], None] | None = None) -> None:
        self.calls, self.body, self.during = 0, body, during

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        await asyncio.sleep(0.01)
        if self.during:
            self.during()
        status = 404 if scope["path"] == "/missing" else 200
        headers = [(b"content-type", b"text/plain")]
        if scope["path"] == "/cookie":
            headers.append((b"set-cookie", b"a=b"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def policy(state: list[int], max_bytes: int = 10_000) -> Policy:
    """Tags and a cache over a state the test moves by hand."""
    return Policy(
        state=lambda: str(state[0]),
        deployment="d" * 12,
        cache_control=None,
        cache=ResponseCache(max_bytes),
        today=lambda: "20260101",
    )


def fetch(app: Any, *paths: str, **headers: str) -> list[httpx.Response]:
    """GET each of `paths` at once through `app`."""

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://stp.test") as client:
            return list(await asyncio.gather(*(client.get(p, headers=headers) for p in paths)))

    return asyncio.run(go())


def test_a_page_is_built_once_per_commit_and_again_after_the_next() -> None:
    """The second request for an address is answered from memory with the same tag; after a
    commit the next request is built again, with a new tag."""
    state, inner = [1], Counting()
    app = by_commit(policy(state))(inner)
    first, second = fetch(app, "/stp/x"), fetch(app, "/stp/x")
    assert (first[0].headers[CACHE_HEADER], second[0].headers[CACHE_HEADER]) == ("MISS", "HIT")
    assert first[0].headers["etag"] == second[0].headers["etag"] and inner.calls == 1
    state[0] = 2
    (third,) = fetch(app, "/stp/x")
    assert third.headers[CACHE_HEADER] == "MISS" and inner.calls == 2
    assert third.headers["etag"] != first[0].headers["etag"]


def test_requests_arriving_together_build_a_page_once() -> None:
    """Twenty requests for one address at once: one builds it, the others get it."""
    inner = Counting()
    responses = fetch(by_commit(policy([1]))(inner), *["/-/map.geojson"] * 20)
    assert inner.calls == 1 and {r.text for r in responses} == {"page"}


def test_a_page_read_while_a_commit_lands_is_not_kept() -> None:
    """If the commit moves while a page is built, it is sent but not kept: it may show two."""
    state = [1]
    inner = Counting(during=lambda: state.__setitem__(0, state[0] + 1))
    app = by_commit(policy(state))(inner)
    fetch(app, "/stp/x")
    fetch(app, "/stp/x")
    assert inner.calls == 2


def test_a_current_tag_is_answered_304_before_the_app_runs() -> None:
    """Revalidating with the current tag costs no page at all; an old tag gets the page."""
    state, inner = [1], Counting()
    app = by_commit(policy(state))(inner)
    (page,) = fetch(app, "/-/org/A1")
    (again,) = fetch(app, "/-/org/A1", **{"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and inner.calls == 1
    state[0] = 2
    (moved,) = fetch(app, "/-/org/A1", **{"If-None-Match": page.headers["etag"]})
    assert moved.status_code == 200 and inner.calls == 2


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/missing", {}), ("/cookie", {}), ("/stp/x", {"Cookie": "ds_actor=1"}),
     ("/stp/x", {"Authorization": "Bearer x"}), ("/-/versions.json", {})],
)  # fmt: skip
def test_private_failed_and_introspection_answers_are_never_kept(
    path: str, headers: dict[str, str]
) -> None:
    """Errors, answers setting a cookie, requests with credentials and Datasette's own /-/
    pages are built every time."""
    inner = Counting()
    app = by_commit(policy([1]))(inner)
    fetch(app, path, **headers)
    (second,) = fetch(app, path, **headers)
    assert inner.calls == 2 and second.headers.get(CACHE_HEADER) != "HIT"


def test_the_cache_keeps_at_most_its_bytes_least_recently_used_first() -> None:
    """Entries past the bound push out the least recently used; one larger than an eighth of
    the bound is never kept."""
    inner = Counting(body=b"x" * 900)
    state = [1]
    rules = policy(state, max_bytes=8 * 1_200)
    app = by_commit(rules)(inner)
    for k in range(12):
        fetch(app, f"/stp/{k}")
    assert rules.cache is not None
    assert rules.cache.used <= rules.cache.max_bytes and len(rules.cache.entries) < 12
    assert (b"http", b"stp.test", b"/stp/11", b"") in rules.cache.entries
    assert (b"http", b"stp.test", b"/stp/0", b"") not in rules.cache.entries
    big = by_commit(policy(state, max_bytes=8 * 500))(Counting(body=b"x" * 900))
    fetch(big, "/stp/big")
    assert fetch(big, "/stp/big")[0].headers[CACHE_HEADER] == "MISS"


def test_only_pages_built_from_the_data_are_kept() -> None:
    """The database's pages, the home page, organisation pages and the map are kept; Datasette's
    introspection and static files are not."""
    assert all(map(cacheable, ["/", "/stp", "/stp/facts.json", "/-/org/A1", "/-/map.geojson"]))
    assert not any(map(cacheable, ["/-/versions.json", "/-/static/app.css", "/-/threads"]))


# The live database -----------------------------------------------------------------------------


@pytest.fixture
def db_path(one_organisation: Path) -> Path:
    """A database in today's shape with one organisation, A1."""
    return one_organisation


def test_a_commit_is_on_the_next_page_of_the_live_site(db_path: Path) -> None:
    """The live site keeps an organisation's page until the writer commits, and the request
    after the commit shows what was committed."""
    ds = build_datasette(db_path, REPO / "config")
    asyncio.run(ds.invoke_startup())
    app = live_caching(ds)(ds.app())
    first, kept = fetch(app, "/-/org/A1")[0], fetch(app, "/-/org/A1")[0]
    assert "Before" in first.text and kept.headers[CACHE_HEADER] == "HIT"
    writer = sqlite3.connect(db_path)
    with writer:
        writer.execute("update organisations set name = 'After' where code = 'A1'")
    writer.close()
    (after,) = fetch(app, "/-/org/A1")
    assert "After" in after.text and after.headers[CACHE_HEADER] == "MISS"
    assert after.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize("kept", [True, False])
def test_a_new_organisation_is_linked_on_the_next_page_after_its_commit(
    db_path: Path, kept: bool
) -> None:
    """The codes table cells link are read again once the database commits, so a page built
    (and kept) right after an organisation arrives links it, not a minute later."""
    alias = (
        "insert into aliases (alias, normalised, code, origin) values ('{0}', '{0}', '{0}', 'x')"
    )
    writer = sqlite3.connect(db_path)
    with writer:
        writer.execute(alias.format("A1"))
    ds = build_datasette(db_path, REPO / "config")
    ds.stp_tracker = replace(ds.stp_tracker, cache_mb=32 if kept else 0)
    app = live_caching(ds)(ds.app())
    (before,) = fetch(app, "/stp/aliases")
    assert 'href="/-/org/A1"' in before.text
    with writer:
        writer.execute("insert into organisations (code, name, kind) values ('B2', 'New', 'stp')")
    with writer:
        writer.execute(alias.format("B2"))
    writer.close()
    (after,) = fetch(app, "/stp/aliases")
    assert 'href="/-/org/B2"' in after.text


def test_the_live_state_moves_with_every_commit_and_only_then(db_path: Path) -> None:
    """The state is the same until another connection commits, and differs after."""
    state = LiveState(str(db_path))
    before = state()
    assert state() == before
    writer = sqlite3.connect(db_path)
    with writer:
        writer.execute("insert into organisations (code, name, kind) values ('B2', 'b', 'stp')")
    writer.close()
    assert state() != before
    assert LiveState(str(db_path))() != state()  # another process's tags never match ours


@pytest.mark.parametrize("value", [-1, "lots", True])
def test_a_wrong_cache_size_names_the_file_and_key(value: Any) -> None:
    """plugins.stp-tracker.cache_mb must be a number of megabytes, 0 or more."""
    metadata = {"plugins": {"stp-tracker": {"cache_mb": value}}}
    with pytest.raises(ConfigError, match=r"my\.yml: plugins\.stp-tracker\.cache_mb must be"):
        published_settings(metadata, "my.yml")


@pytest.mark.parametrize(("value", "kept"), [(0, None), (0.5, 500_000)])
def test_the_cache_size_is_the_configured_megabytes(db_path: Path, value: float, kept) -> None:
    """cache_mb: 0 sends tags but keeps no page; otherwise that many megabytes are kept."""
    settings = published_settings({"plugins": {"stp-tracker": {"cache_mb": value}}})
    assert settings.cache_mb == value
    ds = build_datasette(db_path, REPO / "config")
    ds.stp_tracker = replace(ds.stp_tracker, cache_mb=value)
    app = live_caching(ds)(ds.app())
    fetch(app, "/-/org/A1")
    (second,) = fetch(app, "/-/org/A1")
    assert "etag" in second.headers
    assert second.headers.get(CACHE_HEADER) == (None if kept is None else "HIT")
