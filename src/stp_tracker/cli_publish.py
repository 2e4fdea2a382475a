"""The verbs that take the published site beyond one machine: `publish` and `replica`, and the
`serve --immutable` branch. They live here so cli.py stays a readable size; cli.py registers
them on `main`, so import them through `stp_tracker.cli`."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import Context, common, server_options
from .config import TrackerConfig


def _tracker(ctx: Context) -> TrackerConfig:
    """tracker.toml's settings, or the defaults where there is no configuration folder."""
    return ctx.config().tracker if Path(ctx.config_dir).is_dir() else TrackerConfig()


def serve_snapshot(ctx: Context, path: str, host: str | None, port: int | None) -> None:
    """`serve --immutable PATH`: no configuration folder is needed beyond the snapshot's own."""
    from .publish.immutable import immutable_server
    from .publish.snapshot import snapshot_file

    found = snapshot_file(path)
    tracker = _tracker(ctx)
    host, port = host or tracker.host, port or tracker.port
    server = immutable_server(found, ctx.config_dir, host, port)
    click.echo(f"Serving {found} (immutable) on http://{host}:{port}/")
    server.run()


@click.command()
@click.argument("out", type=click.Path(file_okay=False))
@common
def publish(ctx: Context, out: str) -> None:
    """Write a consistent, compact snapshot of the database and its Datasette configuration
    into OUT, for `serve --immutable OUT` on any number of machines."""
    from .publish.snapshot import publish as run_publish

    manifest = run_publish(ctx.db_path, ctx.config_dir, out)
    click.echo(
        f"{out}: published {manifest['file']} ({manifest['bytes'] / 1e6:.1f} MB, "
        f"sha256 {manifest['sha256'][:12]}) from {ctx.db_path}"
    )


@click.command()
@click.argument("url")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False),
    help="Folder for the restored copies [default: 'replica' beside the database].",
)
@click.option(
    "--every",
    default="30s",
    show_default=True,
    help="How often to look for newer data at URL (e.g. 10s, 5m).",
)
@click.option("--log-format", type=click.Choice(["human", "json"]), help="Log line format.")
@server_options
@common
def replica(
    ctx: Context,
    url: str,
    folder: str | None,
    every: str,
    log_format: str | None,
    host: str | None,
    port: int | None,
) -> None:
    """Serve a read-only replica restored from the Litestream replica at URL (s3://..., file://
    or a folder), swapping in a fresh copy whenever the writer has moved on."""
    from .config import parse_duration
    from .service.logs import setup_logging
    from .service.replica import litestream_command, run_replica

    seconds = parse_duration(every, "--every", "every")
    litestream_command()  # fail now, with the fix, when litestream is missing
    tracker = _tracker(ctx)
    setup_logging(log_format or tracker.log_format)
    run_replica(
        url,
        Path(folder) if folder else Path(ctx.db_path).parent / "replica",
        ctx.config_dir,
        host=host or tracker.host,
        port=port or tracker.port,
        every=seconds,
    )
