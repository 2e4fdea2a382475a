"""Rows printed for a person or a program: an aligned table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import click

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def formula_safe(value: str) -> str:
    """A CSV cell a spreadsheet will show rather than run (OWASP's CSV injection advice): text
    starting with = + - @ tab or CR gets a leading apostrophe; plain numbers stay as they are."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


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
        writer.writerows(
            {k: formula_safe(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in rows
        )
        click.echo(out.getvalue(), nl=False)
        return
    text = [[("" if r[c] is None else str(r[c])) for c in columns] for r in rows]
    widths = [max(len(c), *(len(t[i]) for t in text)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for line in text:
        click.echo("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())
