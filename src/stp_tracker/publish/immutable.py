"""Serve a published snapshot read-only (Datasette's immutable mode), cacheable by a CDN.

A snapshot file never changes while it is served, so every response is a function of the file's
bytes, the code and configuration serving it, the address asked for and, for pages whose date
defaults to today, the day. The ETag says exactly that: a weak tag (Datasette pages carry their
query time, so the bytes differ) built from the file's SHA-256, a digest of the deployment
(versions, metadata, templates) and the UTC date. A request whose If-None-Match carries the
current tag is answered 304 before any query runs, so revalidation costs a CDN almost nothing.

A replica swaps in a newer file (`SnapshotDatabase.swap`): requests under way finish on the old
file, later ones open the new one, and the tag changes with its hash.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from .app import ReadOnlyDatabase, build_datasette, make_server
from .settings import DATABASE, METADATA_FILE, metadata_path
from .snapshot import SnapshotInfo, read_info

_local = threading.local()


@dataclass(frozen=True)
class Generation:
    """One file a SnapshotDatabase has served: its number, path and description."""

    number: int
    path: str
    info: SnapshotInfo


_pinned: contextvars.ContextVar[Generation | None] = contextvars.ContextVar(
    "stp_snapshot_generation", default=None
)


class SnapshotDatabase(ReadOnlyDatabase):
    """An immutable database file that a replica may replace with a newer one while serving.

    Each request is pinned to the generation current when it began (`pinned`), so a page built
    from several queries never mixes two snapshots; each worker thread keeps a connection per
    generation still in use and closes older ones. A replaced file must stay on disk until the
    swap after next (the replica keeps the previous one for requests still under way).
    """

    def __init__(self, ds: Datasette, info: SnapshotInfo, path: Path) -> None:
        super().__init__(ds, str(path), is_mutable=False)
        self._key = f"snapshot_{id(self)}"
        self.current = Generation(0, str(path), info)
        self._use(self.current)

    @property
    def info(self) -> SnapshotInfo:
        generation = _pinned.get()
        return (generation or self.current).info

    def _use(self, generation: Generation) -> None:
        self.path = generation.path
        self.cached_hash = generation.info.sha256
        self.cached_size = generation.info.bytes
        self._cached_table_counts = dict(generation.info.tables)

    def swap(self, info: SnapshotInfo, path: Path) -> None:
        """Serve `path` to every request that starts from now on."""
        self.current = Generation(self.current.number + 1, str(path), info)
        self._use(self.current)

    @contextlib.contextmanager
    def pinned(self) -> Iterator[Generation]:
        """Pin the current generation for the request running in this context."""
        token = _pinned.set(self.current)
        try:
            yield self.current
        finally:
            _pinned.reset(token)

    def _connection(self, generation: Generation) -> Any:
        held: dict[int, Any] | None = getattr(_local, self._key, None)
        if held is None:
            held = {}
            setattr(_local, self._key, held)
        for number in [n for n in held if n < self.current.number - 1]:
            stale = held.pop(number)
            stale.close()
            with contextlib.suppress(ValueError):
                self._all_file_connections.remove(stale)
        if generation.number not in held:
            conn = sqlite3.connect(
                f"file:{generation.path}?immutable=1", uri=True, check_same_thread=False
            )
            self._all_file_connections.append(conn)
            self.ds._prepare_connection(conn, self.name)
            held[generation.number] = conn
        return held[generation.number]

    async def execute_fn(self, fn: Callable[[Any], Any]) -> Any:
        """Run `fn` on this thread's connection to the request's generation of the file."""
        generation = _pinned.get() or self.current
        if self.ds.executor is None:
            return fn(self._connection(generation))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.ds.executor, lambda: fn(self._connection(generation))
        )


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


class CachePolicy:
    """The ETag and Cache-Control of every successful read of the current snapshot."""

    def __init__(
        self,
        database: SnapshotDatabase,
        deployment: str,
        max_age: int,
        today: Callable[[], str] = utc_day,
    ) -> None:
        self.database, self.deployment = database, deployment
        self.max_age, self.today = max_age, today

    def etag(self) -> str:
        """W/"<content>.<deployment>.<day>": equal tags mean an equivalent response."""
        return f'W/"{self.database.info.sha256[:24]}.{self.deployment[:12]}.{self.today()}"'

    def cache_control(self) -> str:
        return f"public, max-age={self.max_age}" if self.max_age else "no-cache"


def _matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/ is ignored, and * matches anything."""
    bare = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == bare:
            return True
    return False


def caching(policy: CachePolicy) -> Callable[[Any], Any]:
    """ASGI middleware: 304 for a current If-None-Match; ETag and Cache-Control on each 200."""

    def wrap(app: Any) -> Any:
        async def cached(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
                await app(scope, receive, send)
                return
            with policy.database.pinned():
                await _respond(policy, app, scope, receive, send)

        return cached

    return wrap


async def _respond(policy: CachePolicy, app: Any, scope: Any, receive: Any, send: Any) -> None:
    """One GET or HEAD against the pinned snapshot: 304 when the client's copy is current."""
    etag = policy.etag()
    asked = dict(scope.get("headers") or []).get(b"if-none-match", b"").decode("latin-1")
    if asked and _matches(asked, etag):
        headers = [(b"etag", etag.encode()), (b"cache-control", policy.cache_control().encode())]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return

    async def tagged(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] == 200:
            message = {**message, "headers": _with_cache_headers(message, etag, policy)}
        await send(message)

    await app(scope, receive, tagged)


def _with_cache_headers(message: dict[str, Any], etag: str, policy: CachePolicy) -> list[Any]:
    """The response's headers with our ETag and Cache-Control, unless it is private or tagged."""
    headers = list(message.get("headers") or [])
    names = {key.lower() for key, _ in headers}
    if b"etag" in names or b"set-cookie" in names:
        return headers
    kept = [(key, value) for key, value in headers if key.lower() != b"cache-control"]
    return [
        *kept,
        (b"etag", etag.encode()),
        (b"cache-control", policy.cache_control().encode()),
    ]


def build_immutable(
    path: Path, info: SnapshotInfo, config_folder: str | Path
) -> tuple[Datasette, SnapshotDatabase, CachePolicy]:
    """The configured Datasette serving the snapshot at `path` immutably, and its cache policy."""
    ds = build_datasette(path, config_folder)
    ds.remove_database(DATABASE)
    database = SnapshotDatabase(ds, info, path)
    ds.add_database(database, name=DATABASE)
    policy = CachePolicy(
        database, deployment_digest(config_folder), int(ds.setting("default_cache_ttl"))
    )
    return ds, database, policy


def snapshot_config(path: Path, fallback: str | Path) -> Path:
    """Where a snapshot's metadata and templates come from: beside it if `publish` put them
    there, else the configuration folder."""
    return path.parent if (path.parent / METADATA_FILE).is_file() else Path(fallback)


def immutable_server(path: Path, config_folder: str | Path, host: str, port: int) -> Any:
    """A uvicorn server for the snapshot at `path` (see `snapshot_config`), with cache headers."""

    info = read_info(path)
    ds, _, policy = build_immutable(path, info, snapshot_config(path, config_folder))
    return make_server(ds, host, port, wrap=caching(policy))
