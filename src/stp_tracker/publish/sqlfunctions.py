"""SQL functions for the published database whose one call is always quick.

Datasette's time limit interrupts SQLite between steps, never inside one function call, and
SQLite's own `instr`, `replace` and two-argument `trim`/`ltrim`/`rtrim` take time that grows
with the product of their arguments' lengths (`trim` of a 100 kB text by a 100 kB set of
characters runs for a minute). These replacements give the same answers in time linear in their
input, and refuse a result over the value limit before building it (SQLite reports "string or
blob too big", as it would for the built-in). `fold()` and `org_key()` (for canned queries that
accept any known name) give NULL, which matches nothing, for text longer than `fold_chars`.
None of them raises: Datasette prints every exception from a SQL function as a traceback.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from typing import Any

from ..extract.normalise import fold, org_name


def register_functions(conn: sqlite3.Connection, value_bytes: int, fold_chars: int) -> None:
    """Add fold() and replace the quadratic built-ins on `conn` (same names, same answers)."""
    conn.create_function("fold", 1, guarded(fold, fold_chars), deterministic=True)
    conn.create_function("org_key", 1, guarded(org_name, fold_chars), deterministic=True)
    conn.create_function("instr", 2, instr, deterministic=True)
    conn.create_function("replace", 3, replacer(value_bytes), deterministic=True)
    for name, side in (("trim", "both"), ("ltrim", "left"), ("rtrim", "right")):
        conn.create_function(name, 2, trimmer(side), deterministic=True)


def guarded(function: Callable[[str], str], max_chars: int) -> Callable[[Any], str | None]:
    """A text function for SQL: NULL stays NULL, and text over `max_chars` is refused (NULL,
    which matches no name), so one call is always quick."""

    def sql_function(value: Any) -> str | None:
        if value is None:
            return None
        text = sql_text(value)
        return function(text) if len(text) <= max_chars else None

    return sql_function


def sql_text(value: Any) -> str:
    """A value as SQLite renders it as text (numbers as its printf("%!.15g") does)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float):
        if math.isinf(value):
            return "Inf" if value > 0 else "-Inf"
        text = f"{value:.15g}"
        mantissa, e, exponent = text.partition("e")
        if "." not in mantissa and mantissa.lstrip("-").isdigit():
            mantissa += ".0"
        return mantissa + (f"e{exponent}" if e else "")
    return str(value)


def instr(haystack: Any, needle: Any) -> int | None:
    """SQLite's instr(): the 1-based position of `needle` in `haystack` (bytes for two blobs,
    characters otherwise), 0 when absent, NULL when either is NULL."""
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    return sql_text(haystack).find(sql_text(needle)) + 1


def replacer(value_bytes: int) -> Callable[[Any, Any, Any], Any]:
    """SQLite's replace(X, Y, Z), refusing a result longer than the value limit up front."""

    def replace(text: Any, old: Any, new: Any) -> Any:
        if text is None or old is None or new is None:
            return None
        source, pattern = sql_text(text), sql_text(old)
        if not pattern:
            return text
        replacement = sql_text(new)
        growth = source.count(pattern) * (len(replacement) - len(pattern))
        if len(source) + growth > value_bytes:
            return "x" * (value_bytes + 1)  # SQLite refuses it: "string or blob too big"
        return source.replace(pattern, replacement)

    return replace


def trimmer(side: str) -> Callable[[Any, Any], str | None]:
    """SQLite's two-argument trim/ltrim/rtrim: remove any of the characters of Y from X's
    ends, looking each character up in a set (linear time, whatever Y's length)."""

    def trim(text: Any, characters: Any) -> str | None:
        if text is None or characters is None:
            return None
        value, remove = sql_text(text), set(sql_text(characters))
        start, end = 0, len(value)
        if side in ("both", "left"):
            while start < end and value[start] in remove:
                start += 1
        if side in ("both", "right"):
            while end > start and value[end - 1] in remove:
                end -= 1
        return value[start:end]

    return trim
