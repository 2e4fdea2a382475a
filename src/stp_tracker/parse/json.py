"""JSON documents: a list of records, found by a dotted `records` path, flattened into rows.

Nested objects become dotted column names (``{"rating": {"overall": "Good"}}`` is column
``rating.overall``) and lists of plain values are joined with "; ", so a source's column
mapping can address any field as text.
"""

from __future__ import annotations

import json
from typing import Any

from ..config import SourceConfig
from ..errors import ParseError
from .base import Row, Table, clean_cell
from .grid import cell_text


def load_json(data: bytes, origin: str) -> Any:
    """The parsed document; syntax errors name the line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"is not UTF-8 JSON (bad byte at offset {exc.start})", file=origin
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=origin
        ) from exc
    except RecursionError as exc:
        raise ParseError("is not readable JSON: nested too deeply", file=origin) from exc


def _describe(value: Any) -> str:
    """What a JSON value is, in words, for messages."""
    if isinstance(value, dict):
        keys = ", ".join(repr(k) for k in list(value)[:20]) or "none"
        return f"an object (keys: {keys})"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    return f"the value {json.dumps(value)[:40]}"


def _records(document: Any, path: str | None, origin: str) -> list[Any]:
    """The list at the dotted `path` (numbers index into lists), or the document itself."""
    node, walked = document, list[str]()
    for part in path.split(".") if path else []:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            where = ".".join(walked) or "the document"
            available = (
                f"keys available: {', '.join(repr(k) for k in node) or 'none'}"
                if isinstance(node, dict)
                else f"it is {_describe(node)}"
            )
            raise ParseError(
                f"records path {path!r}: {where} has no {part!r} ({available})", file=origin
            )
        walked.append(part)
    if not isinstance(node, list):
        at = f"records path {path!r}" if path else "the document (no records path set)"
        raise ParseError(f"{at} is {_describe(node)}, not a list of records", file=origin)
    return node


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """One record as text cells: nested keys dotted, scalar lists joined with "; "."""
    if isinstance(value, dict):
        cells: dict[str, str] = {}
        for key, item in value.items():
            name = clean_cell(key)
            cells.update(flatten(item, f"{prefix}.{name}" if prefix else name))
        return cells
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return {prefix: "; ".join(t for t in (cell_text(item) for item in value) if t)}
        return {prefix: json.dumps(value, ensure_ascii=False, separators=(",", ":"))}
    return {prefix: cell_text(value)}


def parse_json(data: bytes, source: SourceConfig, origin: str) -> Table:
    """Rows of a JSON list of objects; `number` is each record's 1-based place in the list."""
    records = _records(load_json(data, origin), source.records, origin)
    columns: dict[str, None] = {}
    flat: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records, start=1):
        if record is None:
            continue
        if not isinstance(record, dict):
            raise ParseError(
                f"record is {_describe(record)}, not an object", file=origin, row=number
            )
        cells = flatten(record)
        if any(cells.values()):
            columns.update(dict.fromkeys(cells))
            flat.append((number, cells))
    names = tuple(columns)
    rows = tuple(
        Row(number, {name: cells.get(name, "") for name in names}) for number, cells in flat
    )
    return Table(names, rows)
