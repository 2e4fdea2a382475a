"""The command line: thin verbs over the library, errors as one line and a non-zero exit.

Each verb imports what it uses when it runs, so an identical re-ingest loads no parser.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .config import DEFAULT_CONFIG, DEFAULT_DB, Config, load_config
from .errors import ConfigError, StpTrackerError, system_error
from .output import emit
from .service.lock import writer_lock


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stp-tracker")
def main() -> None:
    """The versioned history of how NHS health-system partnerships are rated and led."""


@main.command()
@common
def init(ctx: Context) -> None:
    """Create the database, load the bundled registry and ingest the reference facts."""
    from .service.bootstrap import init as run_init

    config = ctx.config()
    with writer_lock(ctx.db_path, wait=ctx.wait, purpose="stp-tracker init"):
        db = ctx.db()
        reports = run_init(db, config)
    count = db.execute("select count(*) from organisations").fetchone()[0]
    if not reports:
        click.echo(f"{ctx.db_path}: up to date ({count} organisations)")
        return
    parts = [f"{count} organisations"]
    for name, report in reports.items():
        result = report.result
        parts.append(
            f"{name}: " + "; ".join(report.notes)
            if report.notes
            else f"{name}: {result.facts_recorded} facts, {result.changes_recorded} changes, "
            f"{result.events_recorded} events"
        )
    click.echo(f"{ctx.db_path}: " + "\n  ".join(parts))


@main.command()
@click.argument("source")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--as-of", help="Effective date of the release(s), when the files do not say.")
@common
def ingest(ctx: Context, source: str, files: Sequence[str], as_of: str | None) -> None:
    """Ingest local FILES as releases of SOURCE (all of them, or none on any error)."""
    from .store.reingest import reingest_unchanged

    config = ctx.config()
    as_of = date_option(as_of, "as-of")
    lines: list[str] = []
    with writer_lock(ctx.db_path, wait=ctx.wait, purpose="stp-tracker ingest"):
        restated = reingest_unchanged(ctx.db_path, config, source, files, as_of=as_of)
        if restated is not None:
            counts = [restated.rows, 0, restated.releases, 0, 0, 0]
        else:
            from .extract.identify import summary_lines
            from .pipeline import ingest_files

            with one_shot():
                report = ingest_files(ctx.db(), config, source, files, as_of=as_of)
            result = report.result
            counts = [report.records, result.releases, result.unchanged_releases]
            counts += [result.facts_recorded, result.changes_recorded, result.facts_retired]
            lines = summary_lines(report.created, report.fuzzy, report.skipped) + report.notes
    click.echo(
        "{}: {} file(s), {} rows, {} release(s) applied, {} unchanged; {} facts and {} changes "
        "recorded, {} facts retired".format(source, len(files), *counts)
    )
    for line in lines:
        click.echo(f"  {line}")


@contextmanager
def one_shot() -> Iterator[None]:
    """Run a one-shot command's bulk work without the cycle collector.

    A backfill holds a million small objects, none in reference cycles, and each collection
    walks them all: a fifth of its time. Only this process's own verb pauses it, and nothing
    else runs in it meanwhile (the service, where Datasette serves, never does).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


FORMATS = click.Choice(["table", "csv", "json"])


@main.command()
@click.option("--since", help="Only changes effective on or after this date.")
@click.option("--org", "org", help="Only changes of this organisation (code or name).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@common
def changes(ctx: Context, since: str | None, org: str | None, fmt: str) -> None:
    """List the changes the database believes, newest effective date first."""
    from .store.queries import change_rows

    rows = change_rows(ctx.read_db(), since=date_option(since, "since"), org=org)
    emit(rows, fmt)


@main.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--accept",
    type=int,
    metavar="FETCH_ID",
    help="Apply a quarantined fetch of SOURCE after reviewing it.",
)
@click.option(
    "--wait",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds to wait for another writer (a running service) to finish.",
)
@common
def fetch(ctx: Context, sources: Sequence[str], accept: int | None, wait: float) -> None:
    """Fetch SOURCES now (every enabled source when none is named) and apply what changed.

    Sources are fetched at once (tracker.toml's `fetchers` at a time) and applied one by one.
    """
    from .clock import stamp, utc_now
    from .service.collect import accept_quarantined
    from .service.pool import collect_all
    from .store.fetches import recover_interrupted

    config = ctx.config()
    if accept is not None and len(sources) != 1:
        raise click.UsageError("--accept takes exactly one SOURCE")
    chosen = [config.source(name) for name in dict.fromkeys(sources)] or [
        s for s in config.sources.values() if s.enabled and s.url
    ]
    with writer_lock(ctx.db_path, wait=wait, purpose="stp-tracker fetch"):
        db = ctx.db(initialise=True)
        recover_interrupted(db, stamp(utc_now()))
        if accept is not None:
            reports = [accept_quarantined(db, config, chosen[0], accept)]
        else:
            db.close()
            with progress(chosen, "Fetching", lambda s: s.name) as bar:
                reports = collect_all(
                    ctx.db_path, config, chosen, progress=lambda source: bar.update(1, source)
                )
    from .extract.identify import summary_lines

    for report in reports:
        line = (
            f"{report.source}: {report.outcome} (fetch {report.fetch_id}, "
            f"{report.records} rows, {report.changes} changes, {report.seconds:.1f}s)"
        )
        click.echo(line + (f": {report.error}" if report.error else ""))
        extras = summary_lines(report.created, list(report.fuzzy), list(report.skipped))
        for extra in [*extras, *report.notes]:
            click.echo(f"  {extra}")
    if not all(report.ok for report in reports):
        sys.exit(1)


def progress(items: Sequence[Any], label: str, show: Callable[[Any], str]) -> Any:
    """A progress bar on a terminal for long manual runs; silent when output is piped."""
    return click.progressbar(
        length=len(items),
        label=label,
        file=sys.stderr,
        item_show_func=lambda i: show(i) if i else None,
        hidden=not sys.stderr.isatty(),
    )


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@common
def status(ctx: Context, fmt: str) -> None:
    """Each source's schedule, last attempt and outcome, failures and next run, and the
    failed bodies kept for inspection under the pruning policy.

    Exits 1 when a source has failed more times in a row than its max_failures allows, so it
    can serve as a health check.
    """
    from .clock import utc_now
    from .service.retention import policy_text
    from .service.schedule import source_status

    config = ctx.config()
    rows = source_status(ctx.read_db(), config, utc_now())
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    else:
        hidden = ("last_error", "failed_bodies_bytes")
        emit([{k: v for k, v in r.items() if k not in hidden} for r in rows], "table")
        count = sum(row["failed_bodies"] for row in rows)
        size = sum(row["failed_bodies_bytes"] for row in rows)
        click.echo(
            f"failed bodies kept for inspection: {count} ({size / 1_000_000:.1f} MB); "
            f"{policy_text(config.tracker)}"
        )
        for row in rows:
            if row["last_error"]:
                click.echo(f"{row['source']}: {row['last_error']}", err=True)
    if any(row["failing"] for row in rows):
        sys.exit(1)


@main.command()
@click.option(
    "--current-config",
    is_flag=True,
    help="Replay every fetch under today's configuration instead of the one it was applied with.",
)
@click.option(
    "--drop-unreplayable",
    is_flag=True,
    help="Swap in the rebuilt database even if some fetches cannot be replayed (losing them).",
)
@common
def rebuild(ctx: Context, current_config: bool, drop_unreplayable: bool) -> None:
    """Replay the raw archive through today's parsers into a fresh database and swap it in.

    Each fetch is replayed under the configuration it was applied with, so no release is lost
    to a later change of mapping. If any fetch cannot be replayed the live database is left
    untouched and the fetches are listed.
    """
    from .service.rebuild import rebuild as run_rebuild

    config = ctx.config()
    with (
        writer_lock(ctx.db_path, wait=ctx.wait, purpose="stp-tracker rebuild"),
        click.progressbar(
            length=1, label="Rebuilding", file=sys.stderr, hidden=not sys.stderr.isatty()
        ) as bar,
    ):

        def advance(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        counts = run_rebuild(
            ctx.db_path,
            config,
            progress=advance,
            current_config=current_config,
            drop_unreplayable=drop_unreplayable,
        )
    click.echo(
        f"{ctx.db_path}: rebuilt from {counts['fetches']} fetches "
        f"({counts['replayed']} replayed, {counts['failed']} dropped as unreplayable)"
    )
    for line in counts.get("dropped_lines", []):
        click.echo(f"  dropped: {line}")


def server_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--host and --port, defaulting to tracker.toml's values."""
    func = click.option("--port", type=int, help="Port (default from tracker.toml: 8001).")(func)
    return click.option("--host", help="Address (default from tracker.toml: 127.0.0.1).")(func)


@main.command()
@server_options
@click.option(
    "--immutable",
    "snapshot",
    metavar="PATH",
    help="Serve a snapshot made by `publish` (its folder or file) immutably, with cache headers.",
)
@common
def serve(ctx: Context, host: str | None, port: int | None, snapshot: str | None) -> None:
    """Serve the database with Datasette (read-only), without fetching."""
    if snapshot is not None:
        from .cli_publish import serve_snapshot

        serve_snapshot(ctx, snapshot, host, port)
        return
    from .publish import build_datasette, make_server
    from .store.connect import read_only_connection

    config = ctx.config()
    read_only_connection(ctx.db_path).close()  # a missing or outdated database is an error
    tracker = config.tracker
    click.echo(f"Serving {ctx.db_path} on http://{host or tracker.host}:{port or tracker.port}/")
    make_server(
        build_datasette(ctx.db_path, config.folder), host or tracker.host, port or tracker.port
    ).run()


@main.command()
@server_options
@click.option(
    "--log-format",
    type=click.Choice(["human", "json"]),
    help="Log line format (default from tracker.toml).",
)
@click.option("--no-serve", is_flag=True, help="Only run the scheduler, without Datasette.")
@common
def run(
    ctx: Context, host: str | None, port: int | None, log_format: str | None, no_serve: bool
) -> None:
    """Run the service: fetch every enabled source on schedule while Datasette serves."""
    from .service.logs import setup_logging
    from .service.run import run_service

    config = ctx.config()
    tracker = config.tracker
    setup_logging(log_format or tracker.log_format)
    with writer_lock(ctx.db_path, purpose="stp-tracker run"):
        ctx.db(initialise=True).close()
    finished = run_service(
        Path(ctx.db_path),
        config,
        host=host or tracker.host,
        port=port or tracker.port,
        serve=not no_serve,
    )
    if not finished:  # a writer still parsing: leave now rather than tear its objects down
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


from .cli_identity import alias, history, proposal  # noqa: E402  (verbs that use common)
from .cli_publish import publish, replica  # noqa: E402  (they use the helpers above)

main.add_command(history)
main.add_command(alias)
main.add_command(proposal)
main.add_command(publish)
main.add_command(replica)

if __name__ == "__main__":
    main()
