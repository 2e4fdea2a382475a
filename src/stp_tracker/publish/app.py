"""Build the configured, read-only Datasette for the database, and a server to run it.

The database stays mutable (the scheduler writes to it in WAL mode while Datasette reads), but
this Datasette cannot write to it: reads use SQLite's read-only mode with ``query_only`` on,
the write path of Datasette's Database is closed, write actions are refused and any request but
GET or HEAD is answered 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm
from jinja2 import ChoiceLoader, FileSystemLoader

from ..errors import ConfigError
from ..publish import hooks
from .cache import deployment_digest, live_caching
from .settings import DATABASE, Published, load_metadata, metadata_path, published_settings

STATIC_MOUNT = "-/stp-tracker"
MAX_CONNECTIONS = 100
GRACEFUL_SECONDS = 3


class ReadOnlyDatabase(Database):
    """A live database file that Datasette may read but never write."""

    def connect(self, write: bool = False) -> Any:
        """A read-only connection; asking for a writable one is an error."""
        if write:
            raise PermissionError(f"{self.path}: the published database is read-only")
        return super().connect(write=False)

    async def execute_write_fn(self, fn: Any, block: bool = True) -> Any:
        """Refuse every write (Datasette's write queries and plugins all come through here)."""
        raise PermissionError(f"{self.path}: the published database is read-only")


class PublishedDatasette(Datasette):
    """A Datasette that carries our `Published` settings from the start.

    Datasette builds its ASGI app (and so asks plugins for routes) inside __init__, so the
    settings our hooks look for must be in place before that.
    """

    # The state of the database pages are kept by (set by the server's caching middleware,
    # cache.py), so what the hooks remember can follow it.
    data_state: Callable[[], str] | None = None

    def __init__(self, published: Published, *args: Any, **kwargs: Any) -> None:
        self.stp_tracker = published
        super().__init__(*args, **kwargs)


def package_dir(name: str) -> str:
    """A folder shipped inside this package (templates, static)."""
    return str(resources.files("stp_tracker.publish") / name)


def register_hooks() -> None:
    """Register our Datasette hooks once per process."""
    if not pm.is_registered(hooks):
        pm.register(hooks, name="stp_tracker.publish.hooks")


def build_datasette(db_path: str | Path, config_folder: str | Path) -> Datasette:
    """The configured, read-only Datasette publishing `db_path` as the database "stp".

    Metadata comes from config_folder/datasette.yml (else the package's copy); templates in
    config_folder/templates override the package's, which override Datasette's.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise ConfigError(f"{db_path}: no database to publish (run `stp-tracker init` first)")
    source = metadata_path(config_folder)
    metadata, settings = load_metadata(source)
    register_hooks()
    user_templates = Path(config_folder) / "templates"
    ours = replace(
        published_settings(metadata, str(source)), deployment=deployment_digest(config_folder)
    )
    ds = PublishedDatasette(
        ours,
        [],
        metadata=metadata,
        settings=settings,
        static_mounts=[(STATIC_MOUNT, package_dir("static"))],
    )
    ds.remove_database("_memory")  # Datasette adds it when given no files; we publish one
    ds.add_database(ReadOnlyDatabase(ds, str(db_path.resolve()), is_mutable=True), name=DATABASE)
    folders = [str(user_templates)] if user_templates.is_dir() else []
    ds.jinja_env.loader = ChoiceLoader(
        [FileSystemLoader([*folders, package_dir("templates")]), ds.jinja_env.loader]
    )
    return ds


def make_server(ds: Datasette, host: str, port: int, wrap: Any = None) -> uvicorn.Server:
    """A uvicorn server for `ds`; run it (in a thread if you like), stop it with should_exit.

    `wrap` is ASGI middleware put around Datasette's app: by default the live database's
    tags and cache of responses by commit (cache.py); the snapshot's, for a snapshot.
    """
    config = uvicorn.Config(
        (live_caching(ds) if wrap is None else wrap)(ds.app()),
        host=host,
        port=port,
        log_config=None,  # leave the service's logging as the service set it up
        access_log=False,
        lifespan="on",
        server_header=False,
        limit_concurrency=MAX_CONNECTIONS,  # more at once are answered 503
        timeout_graceful_shutdown=GRACEFUL_SECONDS,  # a stop never waits on a slow client
    )
    return uvicorn.Server(config)
