"""The command line: thin verbs over the library, errors as one line and a non-zero exit.

Each verb imports what it uses when it runs, so an identical re-ingest loads no parser.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .cli_common import FORMATS, Context, common, date_option, server_options
from .cli_identity import alias, history, proposal
from .cli_publish import publish, replica
from .output import emit
from .service.lock import writer_lock


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
        import logging  # loaded by the service already; a one-shot verb never needs it

        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


main.add_command(history)
main.add_command(alias)
main.add_command(proposal)
main.add_command(publish)
main.add_command(replica)

if __name__ == "__main__":
    main()
