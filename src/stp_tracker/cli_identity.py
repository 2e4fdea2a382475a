"""The verbs about identities: an organisation's history along its line of succession, the
aliases people review, add and remove, and the registry changes sources propose. cli.py
imports this module and registers its verbs on the command group (import the group from cli,
never this module first)."""

from __future__ import annotations

import json
from typing import Any

import click

from .cli_common import FORMATS, Context, common
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

    found = histories(ctx.read_db(), org)
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

    emit(alias_rows(ctx.read_db(), origin=origin), fmt)


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


@click.group()
def proposal() -> None:
    """Review the registry changes a source proposes (an ODS source: lifetimes, names and
    lineage that contradict the bundled registry)."""


@proposal.command("list")
@click.option(
    "--state",
    type=click.Choice(["open", "accepted", "rejected", "all"]),
    default="open",
    show_default=True,
)
@click.option("--source", help="Only proposals of this source.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@common
def proposal_list(ctx: Context, state: str, source: str | None, fmt: str) -> None:
    """List proposals (open ones by default), oldest first, with what each would change."""
    from .store.proposals import proposal_rows

    rows = proposal_rows(ctx.db(), state=None if state == "all" else state, source=source)
    shown = rows if fmt != "table" else [
        {k: row[k] for k in ("id", "source", "kind", "org_code", "summary", "state")}
        for row in rows
    ]  # fmt: skip
    emit(shown, fmt)


def _decide(ctx: Context, ids: tuple[int, ...], *, accept: bool) -> None:
    from .clock import stamp, utc_now
    from .store.proposals import decide

    verb = "accept" if accept else "reject"
    with writer_lock(ctx.db_path, wait=ctx.wait, purpose=f"stp-tracker proposal {verb}"):
        decided = decide(ctx.db(), ids, accept=accept, now=stamp(utc_now()))
    for one in decided:
        click.echo(one.describe())


@proposal.command("accept")
@click.argument("ids", nargs=-1, required=True, type=int)
@common
def proposal_accept(ctx: Context, ids: tuple[int, ...]) -> None:
    """Apply open proposals IDS to the registry (all of them, or none on any error)."""
    _decide(ctx, ids, accept=True)


@proposal.command("reject")
@click.argument("ids", nargs=-1, required=True, type=int)
@common
def proposal_reject(ctx: Context, ids: tuple[int, ...]) -> None:
    """Reject open proposals IDS: nothing changes, and they are not proposed again."""
    _decide(ctx, ids, accept=False)
