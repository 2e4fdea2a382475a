"""What every verb shares: the context it runs in (--db and --config), the one-line error
handling, and the options several verbs take. cli.py, cli_identity.py and cli_publish.py all
build on it, so none of them imports another to get it."""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .config import DEFAULT_CONFIG, DEFAULT_DB, Config
from .config.loading import load_config
from .errors import ConfigError, StpTrackerError, system_error

FORMATS = click.Choice(["table", "csv", "json"])


class Context:
    """What every verb needs: the config folder and database path it was given."""

    wait = 0.0  # seconds a writing verb waits for another writer to finish

    def __init__(self, db_path: str | None, config_dir: str) -> None:
        self.config_dir = config_dir
        self._db_path = db_path
        self._config: Config | None = None

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_dir)
        return self._config

    @property
    def db_path(self) -> str:
        """--db if given, else tracker.toml's db (which STP_TRACKER_DB overrides)."""
        if self._db_path:
            return self._db_path
        if Path(self.config_dir).is_dir():
            return self.config().tracker.db
        return DEFAULT_DB

    def read_db(self) -> Any:
        """The database for reading only: never created nor upgraded (an error names a path
        that holds none, or a database an older release made)."""
        from .store.connect import open_read_only

        return open_read_only(self.db_path)

    def db(self, *, initialise: bool = False) -> Any:
        """The database to write to, created and upgraded if need be; with `initialise`, a
        new one gets the registry and reference facts."""
        from .store.apply import open_db

        db = open_db(self.db_path)
        if initialise and not db.execute("select 1 from organisations limit 1").fetchone():
            from .service.bootstrap import init as run_init

            run_init(db, self.config())
        return db


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --db and --config to a verb and turn project errors, and the operating system's
    (a full disk, a read-only folder, no memory), into one line and a non-zero exit."""

    @click.option(
        "--db",
        "db_path",
        default=None,
        help=f"SQLite database file [default: tracker.toml's db; env STP_TRACKER_DB; {DEFAULT_DB}]",
    )
    @click.option(
        "--config",
        "config_dir",
        envvar="STP_TRACKER_CONFIG",
        default=DEFAULT_CONFIG,
        show_default=True,
        help="Configuration folder (env STP_TRACKER_CONFIG).",
    )
    @functools.wraps(func)
    def wrapper(db_path: str | None, config_dir: str, **kwargs: Any) -> Any:
        try:
            return func(Context(db_path, config_dir), **kwargs)
        except StpTrackerError as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except (OSError, sqlite3.Error, MemoryError) as exc:
            where = db_path or DEFAULT_DB
            click.echo(f"error: {one_line(system_error(exc, where))}", err=True)
            sys.exit(1)

    return wrapper


def one_line(text: str) -> str:
    """A message on one line, however many its parts had."""
    return " ".join(text.split("\n")).replace("\r", " ")


def date_option(value: str | None, name: str) -> str | None:
    """Validate a date given on the command line."""
    if value is None:
        return None
    from .extract.dates import parse_date

    try:
        return parse_date(value, where=f"--{name}")
    except ConfigError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[1], param_hint=f"--{name}") from None


def server_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--host and --port, defaulting to tracker.toml's values."""
    func = click.option("--port", type=int, help="Port (default from tracker.toml: 8001).")(func)
    return click.option("--host", help="Address (default from tracker.toml: 127.0.0.1).")(func)
