"""Responses kept per commit: conditional requests answered from the commit alone, and a small
cache of rendered pages.

The database changes when a fetch lands, a few times a day, and is read far more often. So
every anonymous GET of a page built from the data (`cacheable`) is tied to the commit of the
database it was read from, the *state* (`LiveState`: a process's own token and SQLite's
`PRAGMA data_version`, which moves with every commit any other connection makes; a snapshot's
SHA-256). Its weak ETag names that state (with the deployment and the UTC day, since pages
default to today), so a client or proxy revalidating with the current tag gets a 304 before
any query runs; and the rendered response is kept in a `ResponseCache` under that state, so
the next request for the same address is answered from memory until the next commit.

A response is kept only when the state was the same before the request began and after it
ended, so a page is never stored (nor served again) if a commit landed while it was read: a
cached page shows exactly one commit. Requests that carry a cookie or credentials, anything
but GET, and answers other than 200, with a cookie or too large to keep are passed through.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .settings import DATABASE, metadata_path, published

Key = tuple[bytes, bytes, bytes, bytes]  # scheme, host, path, query string
State = Callable[[], str]

CACHE_HEADER = "x-stp-cache"  # HIT or MISS, so the cache can be seen working


def deployment_digest(config_folder: str | Path) -> str:
    """A digest of what shapes responses besides the data: versions, metadata and templates."""
    digest = hashlib.sha256()
    for package in ("stp-tracker", "datasette"):
        digest.update(f"{package}={version(package)}\n".encode())
    digest.update(metadata_path(config_folder).read_bytes())
    templates = Path(config_folder) / "templates"
    if templates.is_dir():
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(templates)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def utc_day() -> str:
    """Today in UTC as YYYYMMDD: pages whose date defaults to today change at midnight."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d")


def cacheable(path: str) -> bool:
    """Whether the page at `path` is built from the data alone: the database's pages, the
    home page, organisation pages and the map, not Datasette's introspection or static files."""
    if path.startswith("/-/"):
        return path.startswith(("/-/org/", "/-/map"))
    return True


@dataclass
class Entry:
    """A rendered response: its status, headers and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 100


@dataclass
class ResponseCache:
    """At most `max_bytes` of responses, all of one state; the least recently used go first,
    and a request in a newer state empties it. One per server, used from its event loop."""

    max_bytes: int
    state: str | None = None
    entries: OrderedDict[Key, Entry] = field(default_factory=OrderedDict)
    used: int = 0
    building: dict[Key, asyncio.Future[None]] = field(default_factory=dict)

    @property
    def entry_limit(self) -> int:
        """The largest response kept: an eighth of the whole, so a few cannot crowd it out."""
        return self.max_bytes // 8

    def _enter(self, state: str) -> None:
        if state != self.state:
            self.state, self.used = state, 0
            self.entries.clear()
            self.building.clear()

    def get(self, state: str, key: Key) -> Entry | None:
        self._enter(state)
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, state: str, key: Key, entry: Entry) -> None:
        """Keep `entry`, if it is of the current state and small enough."""
        if state != self.state or entry.size > self.entry_limit:
            return
        old = self.entries.pop(key, None)
        self.used += entry.size - (old.size if old else 0)
        self.entries[key] = entry
        while self.used > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.used -= dropped.size


class LiveState:
    """The commit a live database file is at, as far as this process can tell: a token of
    this process and SQLite's data_version on a connection of its own (which counts the commits
    other connections make), so a tag never outlives a restart."""

    def __init__(self, path: str) -> None:
        self.path, self.token = path, secrets.token_hex(4)
        self.conn: sqlite3.Connection | None = None

    def __call__(self) -> str:
        if self.conn is None:
            uri = f"file:{self.path}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        return f"{self.token}-{self.conn.execute('pragma data_version').fetchone()[0]}"


@dataclass(frozen=True)
class Policy:
    """How responses of one server are tagged and kept: the state, the deployment's digest,
    the day, the Cache-Control sent, and the cache (None: tags only)."""

    state: State
    deployment: str
    cache_control: str | None
    cache: ResponseCache | None
    today: Callable[[], str]
    tag_all: bool = False  # tag every page, not only `cacheable` ones (a snapshot never changes)

    def etag(self, state: str) -> str:
        """W/"<state>.<deployment>.<day>": equal tags mean an equivalent response."""
        return f'W/"{state}.{self.deployment[:12]}.{self.today()}"'


def matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/ is ignored, and * matches anything."""
    bare = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == bare:
            return True
    return False


def _request_headers(scope: dict[str, Any]) -> dict[bytes, bytes]:
    return {key.lower(): value for key, value in scope.get("headers") or []}


def _key(scope: dict[str, Any], headers: dict[bytes, bytes]) -> Key:
    """What a response depends on besides the state: absolute links use scheme and host."""
    return (
        str(scope.get("scheme", "http")).encode(),
        headers.get(b"host", b""),
        str(scope.get("path", "")).encode(),
        scope.get("query_string", b""),
    )


def tagged(
    headers: list[tuple[bytes, bytes]], etag: str, cache_control: str | None, hit: bytes | None
) -> list[tuple[bytes, bytes]]:
    """A 200's headers with our ETag (and Cache-Control, if set), unless it has its own ETag
    or sets a cookie: then it is private or already tagged, and left as it is."""
    names = {key.lower() for key, _ in headers}
    if b"etag" in names or b"set-cookie" in names:
        return headers
    kept = [(k, v) for k, v in headers if k.lower() != b"cache-control" or cache_control is None]
    extra = [(b"etag", etag.encode())]
    if cache_control is not None:
        extra.append((b"cache-control", cache_control.encode()))
    if hit is not None:
        extra.append((CACHE_HEADER.encode(), hit))
    return [*kept, *extra]


async def _send_entry(send: Any, entry: Entry, etag: str, policy: Policy, head: bool) -> None:
    headers = tagged(entry.headers, etag, policy.cache_control, b"HIT")
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else entry.body})


async def _not_modified(send: Any, etag: str, policy: Policy) -> None:
    headers = [(b"etag", etag.encode())]
    if policy.cache_control is not None:
        headers.append((b"cache-control", policy.cache_control.encode()))
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def by_commit(policy: Policy) -> Callable[[Any], Any]:
    """ASGI middleware: a 304 for a current If-None-Match, a kept response when there is one,
    otherwise the app's, tagged, and kept if the state did not move while it was built."""

    def wrap(app: Any) -> Any:
        async def respond(scope: dict[str, Any], receive: Any, send: Any) -> None:
            method = scope.get("method")
            if scope["type"] != "http" or method not in ("GET", "HEAD"):
                await app(scope, receive, send)
                return
            headers = _request_headers(scope)
            private = b"cookie" in headers or b"authorization" in headers
            if private or not (policy.tag_all or cacheable(scope.get("path", ""))):
                await app(scope, receive, send)
                return
            await _answer(policy, app, scope, receive, send, headers)

        return respond

    return wrap


async def _answer(
    policy: Policy, app: Any, scope: Any, receive: Any, send: Any, headers: dict[bytes, bytes]
) -> None:
    etag = policy.etag(policy.state())  # the commit, deployment and day a response is of
    asked = headers.get(b"if-none-match", b"").decode("latin-1")
    if asked and matches(asked, etag):
        await _not_modified(send, etag, policy)
        return
    cache = policy.cache if cacheable(scope.get("path", "")) else None
    if cache is None:
        await _render(policy, app, scope, receive, send, etag, None)
        return
    key, head = _key(scope, headers), scope["method"] == "HEAD"
    while (entry := cache.get(etag, key)) is None and key in cache.building:
        await asyncio.shield(cache.building[key])  # one request builds it; the others wait
        if policy.etag(policy.state()) != etag or key not in cache.entries:
            await _render(policy, app, scope, receive, send, etag, None)
            return
    if entry is not None:
        await _send_entry(send, entry, etag, policy, head)
        return
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    cache.building[key] = done
    try:
        built = await _render(policy, app, scope, receive, send, etag, cache.entry_limit)
        if built is not None and not head and policy.etag(policy.state()) == etag:
            cache.put(etag, key, built)  # the commit did not move while it was read
    finally:
        if cache.building.get(key) is done:
            del cache.building[key]
        done.set_result(None)


async def _render(
    policy: Policy,
    app: Any,
    scope: Any,
    receive: Any,
    send: Any,
    etag: str,
    keep: int | None,
) -> Entry | None:
    """Run the app, tagging a 200; with `keep`, also return a 200 of at most `keep` bytes
    that sets no cookie, to be kept."""
    start: dict[str, Any] = {}
    body: list[bytes] = []
    size = 0

    async def capture(message: dict[str, Any]) -> None:
        nonlocal size
        if message["type"] == "http.response.start":
            start.update(message)
            if message["status"] == 200:
                hit = None if keep is None else b"MISS"
                headers = list(message.get("headers") or [])
                message = {**message, "headers": tagged(headers, etag, policy.cache_control, hit)}
        elif message["type"] == "http.response.body" and keep is not None and size <= keep:
            chunk = message.get("body", b"")
            size += len(chunk)
            body.append(chunk)
        await send(message)

    await app(scope, receive, capture)
    headers = list(start.get("headers") or [])
    names = {key.lower() for key, _ in headers}
    if keep is None or start.get("status") != 200 or size > keep or b"set-cookie" in names:
        return None
    return Entry(200, headers, b"".join(body))


def live_caching(datasette: Any) -> Callable[[Any], Any]:
    """The middleware of a server of the live database: tags and a cache of
    `plugins.stp-tracker.cache_mb` (0: tags only), by the commit the file is at."""
    settings = published(datasette)
    megabytes = settings.cache_mb
    state = LiveState(datasette.get_database(DATABASE).path)
    datasette.data_state = state
    policy = Policy(
        state=state,
        deployment=settings.deployment,
        cache_control=None,  # Datasette's own (default_cache_ttl)
        cache=ResponseCache(int(megabytes * 1_000_000)) if megabytes > 0 else None,
        today=utc_day,
    )
    return by_commit(policy)


__all__ = [
    "LiveState",
    "Policy",
    "ResponseCache",
    "by_commit",
    "cacheable",
    "deployment_digest",
    "live_caching",
    "matches",
    "utc_day",
]
