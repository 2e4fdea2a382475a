"""Apply what a source that keeps the registry current adds to it (a `RegistryUpdate`).

New organisations, aliases and lineage links are inserted with the source as their origin;
rows of organisations that an ODS source created are updated; changes that would contradict
the bundled registry are recorded in `proposals` for review (proposals.py). It runs inside the
transaction that applies the run's releases, so a failed run leaves all of it undone. Only the
public identity tables are written, so this survives any change to how facts are stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import Release

if TYPE_CHECKING:
    from sqlite_utils import Database

UPDATABLE = frozenset({"name", "valid_from", "valid_to"})  # of an organisation a source created


def apply_registry_updates(db: Database, releases: Iterable[Release], now: str) -> int:
    """Insert and update the identity rows the releases carry, and record their proposals;
    returns how many proposals were new."""
    new_proposals = 0
    for release in releases:
        update = release.registry
        if update is None:
            continue
        _insert(db, "organisations", update.organisations, "code")
        for row in update.updates:
            columns = [c for c in row if c in UPDATABLE]
            db.execute(
                f"update organisations set {', '.join(f'{c} = ?' for c in columns)} "
                "where code = ? and origin != 'registry'",
                [row[c] for c in columns] + [row["code"]],
            )
        _insert(db, "aliases", [a | {"added_at": now} for a in update.aliases], "alias, code")
        _insert(db, "lineage", update.lineage, "predecessor, successor")
        new_proposals += record_proposals(db, update.proposals, release.fetch_id, now)
    return new_proposals


def record_proposals(
    db: Database, proposals: Iterable[dict[str, object]], fetch_id: int | None, now: str
) -> int:
    """Keep each proposal once: one already open, accepted or rejected is not made again."""
    before = db.conn.total_changes
    db.conn.executemany(
        "insert into proposals (source, kind, org_code, summary, change, evidence, fetch_id, "
        "proposed_at) values (:source, :kind, :org_code, :summary, :change, :evidence, "
        ":fetch_id, :proposed_at) on conflict do nothing",
        [dict(p) | {"fetch_id": fetch_id, "proposed_at": now} for p in proposals],
    )
    return db.conn.total_changes - before


def _insert(db: Database, table: str, rows: Iterable[dict[str, object]], key: str) -> None:
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    db.conn.executemany(
        f"insert into {table} ({', '.join(columns)}) values "
        f"({', '.join(':' + c for c in columns)}) on conflict({key}) do nothing",
        rows,
    )


__all__ = ["apply_registry_updates", "record_proposals"]
