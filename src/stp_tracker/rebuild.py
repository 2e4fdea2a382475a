"""`stp-tracker rebuild`: replay the raw archive through today's parsers into a fresh database.

Every fetch is copied in its original order with its original id and clock, and each applied
body is re-parsed with the current configuration, so an untouched database rebuilds to the same
facts and changes, and a fixed mapping corrects history. The new file replaces the old one with
an atomic rename only once it is complete.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from .archive import read_body
from .bootstrap import load_registry, load_sources
from .collect import published_date
from .config import Config
from .errors import StoreError, StpTrackerError
from .pipeline import Body, Quarantined, ingest_bodies, stamp, utc_now
from .store import open_db

REPLAYED = ("changed",)


def rebuild(
    db_path: str | Path,
    config: Config,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Rebuild the database at `db_path` from its archive; returns counts for the report."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise StoreError(f"{db_path}: no database to rebuild")
    old = open_db(db_path)
    fetches = list(old.query("select * from fetches order by id"))
    aliases = list(old.query("select * from aliases where origin in ('curated', 'fuzzy')"))
    created = list(old.query("select * from organisations where origin != 'registry'"))
    old.execute("pragma wal_checkpoint(truncate)")
    old.close()
    fresh_path = db_path.with_name(db_path.name + ".rebuild")
    for leftover in _db_files(fresh_path):
        leftover.unlink(missing_ok=True)
    fresh = open_db(fresh_path)
    load_registry(fresh)
    load_sources(fresh, config, stamp(utc_now()))
    with fresh.atomic():
        fresh.table("organisations").upsert_all(created, pk="code")
        fresh.table("aliases").upsert_all(aliases, pk=("alias", "code"))
    replayed = failed = 0
    archive = db_path.parent / "raw"
    for done, row in enumerate(fetches, start=1):
        replay = row["outcome"] in REPLAYED and row["sha256"] and row["source"] in config.sources
        copy = {**row, "outcome": row["outcome"] if not replay else "running"}
        fresh.table("fetches").insert(copy)
        if replay:
            source = config.sources[row["source"]]
            when = dt.datetime.fromisoformat(
                row["applied_at"] or row["finished_at"] or row["started_at"]
            )
            body = Body(
                read_body(archive, row["sha256"]),
                row["url"],
                row["started_at"],
                row["finished_at"],
                row["http_status"],
                row["etag"],
                row["last_modified"],
                published_date(row["last_modified"]),
            )
            try:
                ingest_bodies(
                    fresh,
                    config,
                    source,
                    [body],
                    as_of=row["as_of"],
                    clock=lambda w=when: w,
                    fetch_ids=[row["id"]],
                )
                replayed += 1
            except (Quarantined, StpTrackerError):
                failed += 1
            fresh.table("fetches").update(row["id"], {k: row[k] for k in ("finished_at",)})
        if progress:
            progress(done, len(fetches))
    fresh.execute("pragma wal_checkpoint(truncate)")
    fresh.close()
    os.replace(fresh_path, db_path)
    for stale in _db_files(db_path)[1:] + _db_files(fresh_path)[1:]:
        stale.unlink(missing_ok=True)
    return {"fetches": len(fetches), "replayed": replayed, "failed": failed}


def _db_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
