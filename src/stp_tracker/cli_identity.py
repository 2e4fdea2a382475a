"""The verbs about identities: an organisation's history along its line of succession, and
the aliases people review, add and remove. cli.py imports this module and registers its verbs
on the command group (import the group from cli, never this module first)."""

from __future__ import annotations

import json
from typing import Any

import click

from .cli import FORMATS, Context, common
from .errors import ResolveError
from .output import emit
from .service.lock import writer_lock


@click.command()
@click.argument("org")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@common
def history(ctx: Context, org: str, fmt: str) -> None:
    """Show everything known about ORG (a code or any name ever used), in valid-time order.

    When ORG names several organisations on one line of succession (Devon STP, then NHS
    Devon ICB), each is shown, oldest first.
    """
    from .store.queries import histories

    found = histories(ctx.db(), org)
    if fmt == "json":
        shown: Any = found[0] if len(found) == 1 else {"chain": found}
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    if len(found) > 1:
        chain = " -> ".join(f"{h['organisation']['name']} ({h['organisation']['code']})"
                            for h in found)  # fmt: skip
        click.echo(f"{org!r} names {len(found)} organisations, one after another: {chain}\n")
    for index, one in enumerate(found):
        if index:
            click.echo("")
        _print_history(one, fmt)


def _print_history(found: dict[str, Any], fmt: str) -> None:
    """One organisation's names, codes with when each meant it, lineage and timeline."""
    info = found["organisation"]
    click.echo(f"{info['name']} ({info['code']}, {info['kind']})")
    click.echo(f"  valid: {info['valid_from'] or 'unknown'} to {info['valid_to'] or 'now'}")
    if found["aliases"]:
        click.echo("  also known as: " + "; ".join(found["aliases"]))
    if found["codes"]:
        click.echo("  codes: " + "; ".join(_interval(c["code"], c) for c in found["codes"]))
    for link in found["lineage"]:
        click.echo(
            f"  {link['relation']}: {link['name']} ({link['code']}) {link['kind']} "
            f"{link['effective']}"
        )
    click.echo("")
    emit(found["timeline"], "csv" if fmt == "csv" else "table")


def _interval(text: str, row: dict[str, Any]) -> str:
    """'E54000054 (from 2020-04-01)', 'E54000005 (until 2020-04-01)' or just the text."""
    start, end = row.get("valid_from"), row.get("valid_to")
    if start and end:
        return f"{text} ({start} to {end})"
    return f"{text} (from {start})" if start else f"{text} (until {end})" if end else text


@click.group()
def alias() -> None:
    """Curate the names that resolve to organisations."""


@alias.command("add")
@click.argument("name")
@click.argument("code")
@common
def alias_add(ctx: Context, name: str, code: str) -> None:
    """Record NAME as a curated alias of the organisation CODE."""
    from .clock import stamp, utc_now
    from .resolve.resolver import alias_row

    with writer_lock(ctx.db_path, wait=ctx.wait, purpose="stp-tracker alias add"):
        db = ctx.db()
        found = db.execute("select name from organisations where code = ?", [code]).fetchone()
        if found is None:
            raise ResolveError(f"no organisation has the code {code!r}")
        with db.atomic():
            db.table("aliases").upsert(
                alias_row(name, code, "curated", stamp(utc_now())), pk=("alias", "code")
            )
    click.echo(f"{name!r} now resolves to {found[0]} ({code})")


@alias.command("list")
@click.option("--origin", help="Only aliases of this origin (fuzzy, curated, registry, ...).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@common
def alias_list(ctx: Context, origin: str | None, fmt: str) -> None:
    """List the names and codes that resolve to organisations, with how many fetches used each
    (for curated and fuzzy aliases)."""
    from .store.aliases import alias_rows

    emit(alias_rows(ctx.db(), origin=origin), fmt)


@alias.command("remove")
@click.argument("name")
@click.argument("code")
@common
def alias_remove(ctx: Context, name: str, code: str) -> None:
    """Remove the curated or fuzzy alias NAME of the organisation CODE.

    Fetches that resolved names through it keep their facts until `stp-tracker rebuild`
    re-resolves them; the alias is never proposed by fuzzy matching again.
    """
    from .clock import stamp, utc_now
    from .store.aliases import remove_alias

    with writer_lock(ctx.db_path, wait=ctx.wait, purpose="stp-tracker alias remove"):
        removed = remove_alias(ctx.db(), name, code, stamp(utc_now()))
    click.echo(removed.describe())
