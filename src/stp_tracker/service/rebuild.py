"""`stp-tracker rebuild`: replay the raw archive through today's parsers into a fresh database.

Every fetch is copied with its original id; every one that was applied is re-parsed from its
archived bytes and applied again in the order (and at the system time) it was first applied,
under the configuration it was applied with (`configurations`, by its `config_digest`), so an
untouched database rebuilds to the same facts and changes and a later change of mapping loses
no older release. `current_config` re-maps every fetch with today's configuration instead (to
correct history after fixing a mapping). If any applied fetch cannot be replayed (its mapping
no longer fits, a name no longer resolves, its source is gone with no stored configuration),
the rebuild stops and lists them, and the live database is untouched; `drop_unreplayable`
accepts losing them. The new database is built beside the old one and, only once complete,
copied into the live file with SQLite's backup API in one transaction: the file keeps its
identity, so a running server's open connections read the rebuilt history from their next
query (a rename would leave them reading the deleted file). Any failure removes the new file
and leaves the old one as it was.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..clock import stamp, utc_now
from ..config import Config, SourceConfig
from ..errors import StoreError, StpTrackerError
from ..fetch.archive import archive_root, body_path
from ..fetch.body import archived_body
from ..pipeline import ingest_bodies
from ..resolve.resolver import PEOPLE_ORIGINS
from ..store.apply import open_db
from ..store.configs import config_as_applied
from ..store.proposals import reapply_accepted
from .bootstrap import load_registry, load_sources

KEPT_ALIASES = PEOPLE_ORIGINS  # aliases people made or reviewed; the rest is the registry
LISTED_AT_MOST = 10  # unreplayable fetches named in one error line; the rest are counted


@dataclass
class Run:
    """Fetches that were applied together (one ingest of several files, or one fetch), and
    the configuration to replay them under."""

    source: SourceConfig
    applied_at: str
    as_of: str | None
    fetches: list[dict[str, Any]] = field(default_factory=list)
    config: Config | None = None


@dataclass
class Kept:
    """What the old database knows that no replay can recreate."""

    fetches: list[dict[str, Any]]
    aliases: list[dict[str, Any]]
    organisations: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]
    feed_items: list[dict[str, Any]] = field(default_factory=list)
    configurations: list[dict[str, Any]] = field(default_factory=list)
    removed_aliases: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Unreplayable:
    """An applied fetch whose releases the rebuilt database does not have, and why."""

    fetch: dict[str, Any]
    reason: str

    def describe(self) -> str:
        row = self.fetch
        return f"fetch {row['id']} of {row['source']!r} ({row['url']}): {self.reason}"


def rebuild(
    db_path: str | Path,
    config: Config,
    *,
    progress: Callable[[int, int], None] | None = None,
    current_config: bool = False,
    drop_unreplayable: bool = False,
) -> dict[str, Any]:
    """Rebuild the database at `db_path` from its archive; returns counts for the report.

    Raises StoreError, leaving the database as it was, when an applied fetch cannot be
    replayed, unless `drop_unreplayable` (then they are listed in the counts instead).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise StoreError(f"{db_path}: no database to rebuild")
    kept = _read_old(db_path)
    runs, unreplayable = replay_runs(kept.fetches, config, kept.configurations, current_config)
    archive = archive_root(db_path)
    _check_archive(archive, runs)
    fresh_path = db_path.with_name(db_path.name + ".rebuild")
    _remove(fresh_path)
    try:
        counts = _build(fresh_path, config, kept, runs, archive, progress)
        unreplayable += counts.pop("unreplayable")
        if unreplayable and not drop_unreplayable:
            raise StoreError(_refusal(unreplayable, current_config))
        _copy_into(fresh_path, db_path)
    finally:
        _remove(fresh_path)
    counts["failed"] = len(unreplayable)
    counts["dropped_lines"] = [item.describe() for item in unreplayable]
    return counts


def _refusal(unreplayable: list[Unreplayable], current_config: bool) -> str:
    """The one-line error naming the fetches a rebuild could not replay."""
    listed = "; ".join(item.describe() for item in unreplayable[:LISTED_AT_MOST])
    more = len(unreplayable) - LISTED_AT_MOST
    listed += f"; and {more} more" if more > 0 else ""
    hint = (
        "" if current_config else " (each was replayed under the configuration it was applied with)"
    )
    return (
        f"cannot rebuild: {len(unreplayable)} applied fetch(es) cannot be replayed{hint}: "
        f"{listed}; the database was left as it was (fix the cause, or run rebuild "
        "--drop-unreplayable to accept losing their releases)"
    )


def _copy_into(fresh_path: Path, db_path: Path) -> None:
    """Replace the live database's content with the rebuilt one's, in one transaction on the
    live file (readers keep their connections and see the new content from their next query)."""
    fresh = sqlite3.connect(fresh_path)
    live = sqlite3.connect(db_path, timeout=30)
    try:
        fresh.backup(live)  # every page in one step; SQLite bumps the schema version for readers
        live.execute("pragma wal_checkpoint(passive)")
    except sqlite3.Error as exc:
        raise StoreError(f"{db_path}: could not write the rebuilt database into place ({exc}); "
                         "it was left as it was") from exc  # fmt: skip
    finally:
        live.close()
        fresh.close()


def _read_old(db_path: Path) -> Kept:
    """Everything worth keeping from the old database."""
    old = open_db(db_path)
    try:
        fetches = list(old.query("select * from fetches order by id"))
        marks = ", ".join("?" for _ in KEPT_ALIASES)
        kept = Kept(
            fetches=fetches,
            aliases=list(
                old.query(f"select * from aliases where origin in ({marks})", KEPT_ALIASES)
            ),
            organisations=list(old.query("select * from organisations where origin != 'registry'")),
            sources=list(old.query("select * from sources")),
            unmatched=list(old.query("select * from unmatched order by id")),
            feed_items=list(old.query("select * from feed_items")),
            configurations=list(old.query("select * from configurations")),
            removed_aliases=list(old.query("select * from removed_aliases order by id")),
            proposals=list(old.query("select * from proposals order by id")),
        )
    finally:
        old.close()
    return kept


def replayable(row: dict[str, Any], source: SourceConfig | None = None) -> bool:
    """Whether a fetch's body was applied (so a rebuild applies it again)."""
    if not row["sha256"]:
        return False
    if source is not None and source.format == "feed" and not row.get("item"):
        return False  # the feed's own document: its items are kept in feed_items
    return row.get("applied_at") is not None or row["outcome"] == "changed"


def replay_runs(
    fetches: list[dict[str, Any]],
    config: Config,
    configurations: list[dict[str, Any]] | None = None,
    current_config: bool = False,
) -> tuple[list[Run], list[Unreplayable]]:
    """The applied fetches grouped into the runs that applied them, in the order applied, each
    with the configuration to replay it under; and those no configuration can replay."""
    import json

    stored = {row["digest"]: json.loads(row["definition"]) for row in configurations or []}
    runs: dict[tuple[str, str, str | None, str | None], Run] = {}
    lost: list[Unreplayable] = []
    for row in fetches:
        definition = None if current_config else stored.get(row.get("config_digest") or "")
        if definition is not None:
            as_applied, source = config_as_applied(config, definition)
        elif row["source"] in config.sources:
            as_applied, source = config, config.sources[row["source"]]
        else:
            if replayable(row):
                reason = "its source is no longer configured" + (
                    "" if current_config else " and its configuration was not recorded"
                )
                lost.append(Unreplayable(row, reason))
            continue
        if not replayable(row, source):
            continue
        applied = row.get("applied_at") or row["finished_at"] or row["started_at"]
        key = (row["source"], applied, row.get("as_of"), row.get("config_digest"))
        run = runs.setdefault(key, Run(source, applied, row.get("as_of"), config=as_applied))
        run.fetches.append(row)
    ordered = sorted(runs.values(), key=lambda run: (run.applied_at, run.fetches[0]["id"]))
    return ordered, lost


def _check_archive(archive: Path, runs: list[Run]) -> None:
    """Fail before building anything when an applied fetch's bytes are not in the archive."""
    missing = [
        row for run in runs for row in run.fetches if not body_path(archive, row["sha256"]).exists()
    ]
    if missing:
        first = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise StoreError(
            f"cannot rebuild: the raw archive under {archive} is missing the body of fetch "
            f"{first['id']} of {first['source']!r} ({first['url']}, sha256 {first['sha256']})"
            f"{more}; the database was left as it was"
        )


def _build(
    path: Path,
    config: Config,
    kept: Kept,
    runs: list[Run],
    archive: Path,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    """Write the rebuilt database at `path` and close it; returns the counts."""
    fresh = open_db(path)
    try:
        load_registry(fresh)
        replayed_ids = {row["id"] for run in runs for row in run.fetches}
        with fresh.atomic():
            fresh.table("sources").insert_all(kept.sources, pk="name")
            fresh.table("organisations").upsert_all(kept.organisations, pk="code")
            fresh.table("aliases").upsert_all(kept.aliases, pk=("alias", "code"))
            fresh.table("fetches").insert_all(
                {**row, "outcome": "running"} if row["id"] in replayed_ids else row
                for row in kept.fetches
            )
            fresh.table("unmatched").insert_all(
                row for row in kept.unmatched if row["fetch_id"] not in replayed_ids
            )
            fresh.table("feed_items").insert_all(kept.feed_items)
            fresh.table("configurations").insert_all(kept.configurations, pk="digest")
            fresh.table("removed_aliases").insert_all(kept.removed_aliases, pk="id")
            fresh.table("proposals").insert_all(kept.proposals, pk="id")
            reapply_accepted(fresh)  # people's decisions over the registry, as init does
        load_sources(fresh, config, stamp(utc_now()))
        total = len(kept.fetches)
        done = total - len(replayed_ids)
        replayed, unreplayable = 0, []
        for run in runs:
            error = _replay(fresh, run.config or config, run, archive)
            if error is None:
                replayed += len(run.fetches)
            else:
                unreplayable += [Unreplayable(row, error) for row in run.fetches]
            done += len(run.fetches)
            if progress:
                progress(done, total)
        fresh.execute("pragma wal_checkpoint(truncate)")
    finally:
        fresh.close()
    return {"fetches": len(kept.fetches), "replayed": replayed, "unreplayable": unreplayable}


def _replay(fresh: Database, config: Config, run: Run, archive: Path) -> str | None:
    """Apply one run again at its original system time; the error when it no longer applies."""
    when = dt.datetime.fromisoformat(run.applied_at)
    source = run.source
    bodies = [archived_body(archive, row) for row in run.fetches]
    error = None
    try:
        ingest_bodies(
            fresh,
            config,
            source,
            bodies,
            as_of=run.as_of,
            clock=lambda: when,
            fetch_ids=[row["id"] for row in run.fetches],
        )
    except StpTrackerError as exc:
        error = str(exc)
        for row in run.fetches:  # ingest_bodies has said why; no row is left running
            fresh.table("fetches").update(row["id"], {"outcome": "failed", "error": str(exc)})
    with fresh.atomic():
        for row in run.fetches:
            fresh.table("fetches").update(row["id"], {"finished_at": row["finished_at"]})
    return error


def _db_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _remove(path: Path) -> None:
    for stale in _db_files(path):
        stale.unlink(missing_ok=True)
