"""The command line: thin verbs over the library, errors as one line and a non-zero exit."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from .config import DEFAULT_CONFIG, DEFAULT_DB, Config, load_config
from .dates import parse_date
from .errors import ConfigError, StpTrackerError
from .queries import change_rows, history_of
from .store import open_db


class Context:
    """What every verb needs: the config folder and database path it was given."""

    def __init__(self, db_path: str, config_dir: str) -> None:
        self.db_path, self.config_dir = db_path, config_dir

    def config(self) -> Config:
        return load_config(self.config_dir)

    def db(self) -> Any:
        return open_db(self.db_path)


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --db and --config to a verb and turn project errors into one line and exit 1."""

    @click.option(
        "--db",
        "db_path",
        envvar="STP_TRACKER_DB",
        default=DEFAULT_DB,
        show_default=True,
        help="SQLite database file (env STP_TRACKER_DB).",
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
    def wrapper(db_path: str, config_dir: str, **kwargs: Any) -> Any:
        try:
            return func(Context(db_path, config_dir), **kwargs)
        except StpTrackerError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def date_option(value: str | None, name: str) -> str | None:
    """Validate a date given on the command line."""
    if value is None:
        return None
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
    from .bootstrap import init as run_init

    config, db = ctx.config(), ctx.db()
    report = run_init(db, config)
    count = db.execute("select count(*) from organisations").fetchone()[0]
    if report is None:
        click.echo(f"{ctx.db_path}: up to date ({count} organisations)")
    else:
        result = report.result
        click.echo(
            f"{ctx.db_path}: {count} organisations; reference facts: "
            f"{result.facts_recorded} facts, {result.changes_recorded} changes, "
            f"{result.events_recorded} events"
        )


@main.command()
@click.argument("source")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--as-of", help="Effective date of the release(s), when the files do not say.")
@common
def ingest(ctx: Context, source: str, files: Sequence[str], as_of: str | None) -> None:
    """Ingest local FILES as releases of SOURCE (all of them, or none on any error)."""
    from .pipeline import ingest_files

    config, db = ctx.config(), ctx.db()
    report = ingest_files(db, config, source, files, as_of=date_option(as_of, "as-of"))
    result = report.result
    click.echo(
        f"{source}: {len(files)} file(s), {report.records} rows, {result.releases} release(s) "
        f"applied, {result.unchanged_releases} unchanged; {result.facts_recorded} facts and "
        f"{result.changes_recorded} changes recorded, {result.facts_retired} facts retired"
    )


FORMATS = click.Choice(["table", "csv", "json"])


def emit(rows: list[dict[str, Any]], fmt: str) -> None:
    """Print rows as an aligned table, CSV or JSON."""
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        if fmt == "table":
            click.echo("(no rows)")
        return
    columns = list(rows[0])
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
        return
    text = [[("" if r[c] is None else str(r[c])) for c in columns] for r in rows]
    widths = [max(len(c), *(len(t[i]) for t in text)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for line in text:
        click.echo("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


@main.command()
@click.option("--since", help="Only changes effective on or after this date.")
@click.option("--org", "org", help="Only changes of this organisation (code or name).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@common
def changes(ctx: Context, since: str | None, org: str | None, fmt: str) -> None:
    """List the changes the database believes, newest effective date first."""
    rows = change_rows(ctx.db(), since=date_option(since, "since"), org=org)
    emit(rows, fmt)


@main.command()
@click.argument("org")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@common
def history(ctx: Context, org: str, fmt: str) -> None:
    """Show everything known about ORG (a code or any known name), in valid-time order."""
    found = history_of(ctx.db(), org)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    info = found["organisation"]
    click.echo(f"{info['name']} ({info['code']}, {info['kind']})")
    click.echo(f"  valid: {info['valid_from'] or 'unknown'} to {info['valid_to'] or 'now'}")
    if found["aliases"]:
        click.echo("  also known as: " + "; ".join(found["aliases"]))
    for link in found["lineage"]:
        click.echo(
            f"  {link['relation']}: {link['name']} ({link['code']}) {link['kind']} "
            f"{link['effective']}"
        )
    click.echo("")
    if fmt == "csv":
        emit(found["timeline"], "csv")
    else:
        emit(found["timeline"], "table")


def run() -> None:
    """Console-script entry point."""
    main()


if __name__ == "__main__":
    main()
