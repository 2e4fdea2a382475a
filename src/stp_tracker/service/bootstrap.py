"""`stp-tracker init`: create the database, load the registry, ingest the reference facts and
the bundled boundaries.

Safe to run again: the registry is upserted, and each bundled file is ingested only when its
bytes differ from the last applied copy, so a second run changes nothing.
"""

from __future__ import annotations

import csv
import io

from sqlite_utils import Database

from ..clock import Clock, stamp, utc_now
from ..config import DEFAULT_SECRET_PARAMS, Config, SourceConfig
from ..fetch.body import read_file
from ..pipeline import IngestReport, ingest_files
from ..redact import public_url
from ..resolve.registry import build_registry, data_text
from ..resolve.resolver import PEOPLE_ORIGINS, alias_row
from ..store.proposals import reapply_accepted

REFERENCE_SOURCE = "reference-2017"
# The bundled files `init` ingests, in order: facts first, then the boundaries for the map.
BUNDLED = (REFERENCE_SOURCE, "ons-stp-2017-boundaries", "ons-icb-2022-boundaries")


def load_registry(db: Database) -> None:
    """Bring the bundled organisations, aliases and lineage up to date (one transaction):
    upserted, and the registry's own aliases and links that a newer registry no longer has
    removed; the aliases people made or accepted (curated, fuzzy) and what sources added
    (origin ``source:NAME``) are never touched, and the registry changes people accepted
    (proposals.py) are applied again over it."""
    registry = build_registry()
    aliases = [
        alias_row(str(a["alias"]), str(a["code"]), str(a["origin"]))
        | {"valid_from": a["valid_from"], "valid_to": a["valid_to"], "evidence": a["evidence"]}
        for a in registry.aliases
    ]
    with db.atomic():
        db.table("organisations").upsert_all(registry.organisations, pk="code")
        db.table("aliases").upsert_all(aliases, pk=("alias", "code"))
        db.table("lineage").upsert_all(
            [link | {"origin": "registry"} for link in registry.lineage],
            pk=("predecessor", "successor"),
        )
        kept = {(a["alias"], a["code"]) for a in aliases}
        marks = ", ".join("?" for _ in PEOPLE_ORIGINS)
        stale = [
            pair
            for pair in db.execute(
                f"select alias, code from aliases where origin not in ({marks}) "
                "and origin not like 'source:%'",
                PEOPLE_ORIGINS,
            )
            if pair not in kept
        ]
        db.conn.executemany("delete from aliases where alias = ? and code = ?", stale)
        links = {(row["predecessor"], row["successor"]) for row in registry.lineage}
        old_links = db.execute(
            "select predecessor, successor from lineage where origin = 'registry'"
        ).fetchall()
        db.conn.executemany(
            "delete from lineage where predecessor = ? and successor = ?",
            [link for link in old_links if link not in links],
        )
        reapply_accepted(db)
        counts = csv.DictReader(io.StringIO(data_text("reported-2017-counts.csv")))
        db.table("reported_counts").upsert_all(
            [{k: (v or None) for k, v in row.items()} for row in counts],
            pk=("publisher", "reported_on"),
        )


def source_row(
    source: SourceConfig, secret_params: tuple[str, ...] = DEFAULT_SECRET_PARAMS
) -> dict[str, object]:
    """A `sources` row: the parts of a source's definition worth publishing, its URL without
    credentials or secret parameters (a local file by its name only)."""
    schedule = f"every {source.every}" if source.every else source.cron and f"cron {source.cron}"
    return {
        "name": source.name,
        "title": source.title,
        "url": public_url(source.url, secret_params),
        "format": source.format,
        "entity": source.entity,
        "layout": source.layout,
        "creates": source.creates,
        "complete": source.complete,
        "schedule": schedule or None,
        "scale": source.scale,
        "publisher": source.publisher,
        "licence": source.licence,
        "attribution": source.attribution,
        "enabled": source.enabled,
    }


def load_sources(db: Database, config: Config, now: str) -> None:
    """Record the configured sources as the service last loaded them (touching only changes)."""
    with db.atomic():
        for source in config.sources.values():
            published = source_row(source, config.tracker.redact_params)
            row = {k: int(v) if isinstance(v, bool) else v for k, v in published.items()}
            existing = db.execute(
                f"select {', '.join(row)} from sources where name = ?", [source.name]
            ).fetchone()
            if existing is None or dict(zip(row, existing, strict=True)) != row:
                db.table("sources").upsert({**row, "loaded_at": now}, pk="name")


def init(db: Database, config: Config, clock: Clock = utc_now) -> dict[str, IngestReport]:
    """Shape the database and load everything bundled; the reports of the files ingested
    (none when every bundled file was already applied as it is)."""
    load_registry(db)
    load_sources(db, config, stamp(clock()))
    reports = {}
    for name in BUNDLED:
        bundled = config.source(name)
        assert bundled.url is not None
        body = read_file(bundled.url, clock)
        last = db.execute(
            "select sha256 from fetches where source = ? and outcome in ('changed', 'unchanged') "
            "order by id desc limit 1",
            [name],
        ).fetchone()
        if last is None or last[0] != body.sha256:
            reports[name] = ingest_files(db, config, name, [bundled.url], clock=clock)
    return reports


__all__ = ["BUNDLED", "init", "load_registry", "load_sources"]
