"""Serve a published snapshot read-only (Datasette's immutable mode), cacheable by a CDN.

A snapshot file never changes while it is served, so every response is a function of the file's
bytes, the code and configuration serving it, the address asked for and, for pages whose date
defaults to today, the day. The ETag says exactly that: a weak tag (Datasette pages carry their
query time, so the bytes differ) built from the file's SHA-256, a digest of the deployment
(versions, metadata, templates) and the UTC date. A request whose If-None-Match carries the
current tag is answered 304 before any query runs, so revalidation costs a CDN almost nothing,
and the rendered pages are kept for the file being served (cache.py, `cache_mb`).

A replica swaps in a newer file (`SnapshotDatabase.swap`): requests under way finish on the old
file, later ones open the new one, and the tag changes with its hash.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from .app import ReadOnlyDatabase, build_datasette, make_server
from .cache import Policy, ResponseCache, by_commit, utc_day
from .settings import DATABASE, METADATA_FILE, published
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


class CachePolicy:
    """The ETag and Cache-Control of every successful read of the current snapshot, and the
    responses kept for it (cache.py): its state is the SHA-256 of the file a request reads."""

    def __init__(
        self,
        database: SnapshotDatabase,
        deployment: str,
        max_age: int,
        today: Callable[[], str] = utc_day,
        cache_mb: float = 0,
    ) -> None:
        self.database, self.deployment = database, deployment
        self.max_age, self.today = max_age, today
        self.policy = Policy(
            state=lambda: self.database.info.sha256[:24],
            deployment=deployment,
            cache_control=self.cache_control(),
            cache=ResponseCache(int(cache_mb * 1_000_000)) if cache_mb > 0 else None,
            today=lambda: self.today(),
            tag_all=True,
        )

    def etag(self) -> str:
        """W/"<content>.<deployment>.<day>": equal tags mean an equivalent response."""
        return self.policy.etag(self.policy.state())

    def cache_control(self) -> str:
        return f"public, max-age={self.max_age}" if self.max_age else "no-cache"


def caching(policy: CachePolicy) -> Callable[[Any], Any]:
    """ASGI middleware: each request pinned to one snapshot file, then a 304 for a current
    If-None-Match, a kept response, or Datasette's, with the snapshot's ETag and Cache-Control."""

    def wrap(app: Any) -> Any:
        tagged = by_commit(policy.policy)(app)

        async def pinned(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
                await app(scope, receive, send)
                return
            with policy.database.pinned():
                await tagged(scope, receive, send)

        return pinned

    return wrap


def build_immutable(
    path: Path, info: SnapshotInfo, config_folder: str | Path
) -> tuple[Datasette, SnapshotDatabase, CachePolicy]:
    """The configured Datasette serving the snapshot at `path` immutably, and its cache policy."""
    ds = build_datasette(path, config_folder)
    ds.remove_database(DATABASE)
    database = SnapshotDatabase(ds, info, path)
    ds.add_database(database, name=DATABASE)
    settings = published(ds)
    policy = CachePolicy(
        database,
        settings.deployment,
        int(ds.setting("default_cache_ttl")),
        cache_mb=settings.cache_mb,
    )
    ds.data_state = policy.policy.state  # type: ignore[attr-defined]
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
