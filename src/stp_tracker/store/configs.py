"""What each fetch was applied under, kept so that history can always be replayed.

`fetches.config_digest` names the configuration a body was parsed under; `configurations`
keeps the full definition it denotes (the source's keys, its rating scale and the kind rules
that decide what it skips), so `rebuild` can replay an archived body exactly as it was applied
even after the source's mapping changed for a newer file. `alias_uses` keeps which fetches
resolved names through which curated or fuzzy alias, so removing one can say who relied on it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..config import Config, SourceConfig


def definition(config: Config, source: SourceConfig) -> dict[str, Any]:
    """Everything that decides what a body of `source` parses into, as plain JSON-able data
    (its url as it may be published: it decides nothing, and the table is public)."""
    from ..redact import public_url

    scale = config.scales.get(source.scale) if source.scale else None
    fields = {f.name: getattr(source, f.name) for f in dataclasses.fields(source)}
    fields["columns"] = [[column, target] for column, target in source.columns.items()]
    fields["url"] = public_url(source.url, config.tracker.redact_params)
    del fields["origin"]
    return {
        "source": fields,
        "scale": None
        if scale is None
        else {"name": scale.name, "labels": list(scale.labels), "synonyms": scale.synonyms},
        "kinds": {"entity": source.entity} | config.kinds.definition(source.entity),
    }


def record_configuration(
    db: Database, digest: str, config: Config, source: SourceConfig, now: str
) -> None:
    """Keep the definition `digest` denotes, the first time a fetch is applied under it."""
    text = json.dumps(definition(config, source), sort_keys=True, default=list)
    with db.atomic():
        db.execute(
            "insert into configurations (digest, source, definition, recorded_at) "
            "values (?, ?, ?, ?) on conflict(digest) do nothing",
            [digest, source.name, text, now],
        )


def record_alias_uses(db: Database, used: dict[int, Iterable[tuple[str, str]]]) -> None:
    """Remember, per fetch, the curated and fuzzy aliases its names were resolved through."""
    rows = [(normalised, code, fetch_id) for fetch_id, pairs in used.items()
            for normalised, code in pairs]  # fmt: skip
    if rows:
        with db.atomic():
            db.conn.executemany(
                "insert into alias_uses (normalised, code, fetch_id) values (?, ?, ?) "
                "on conflict do nothing",
                rows,
            )


def stored_configuration(db: Database, digest: str | None) -> dict[str, Any] | None:
    """The definition a fetch was applied under, if it was recorded."""
    if not digest:
        return None
    found = db.execute(
        "select definition from configurations where digest = ?", [digest]
    ).fetchone()
    return json.loads(found[0]) if found else None


def config_as_applied(config: Config, stored: dict[str, Any]) -> tuple[Config, SourceConfig]:
    """Today's `config` with one source, its scale and its kind rules as `stored` says they
    were when a fetch was applied: what replaying that fetch must parse it with."""
    from ..config import Kinds, Scale, SourceConfig

    fields = dict(stored["source"])
    fields["columns"] = {column: target for column, target in fields["columns"]}
    fields["skip_rows"] = tuple(fields.get("skip_rows") or ())
    known = {f.name for f in dataclasses.fields(SourceConfig)}
    source = SourceConfig(**{k: v for k, v in fields.items() if k in known}, origin="stored")
    scales = dict(config.scales)
    if stored.get("scale"):
        scale = stored["scale"]
        scales[scale["name"]] = Scale(scale["name"], tuple(scale["labels"]), scale["synonyms"])
    rules = stored.get("kinds") or {}
    kinds = config.kinds
    if rules:
        codes = dict(kinds.codes) | {source.entity: tuple(rules.get("codes", ()))}
        kinds = Kinds(
            codes, tuple(rules.get("aggregate_codes", ())), tuple(rules.get("aggregate_names", ()))
        )
    as_applied = replace(
        config, sources={**config.sources, source.name: source}, scales=scales, kinds=kinds
    )
    return as_applied, source


__all__ = [
    "config_as_applied",
    "definition",
    "record_alias_uses",
    "record_configuration",
    "stored_configuration",
]
