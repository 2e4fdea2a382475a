"""Reviewing what a source proposes because it contradicts the bundled registry.

A source that keeps the registry current (format "ods") adds what the registry does not say
and proposes what would change what it says: another lifetime or name for one of its
organisations, or lineage that changes one of its mergers, splits or renamings. Each proposal
waits in `proposals` (state `open`) until a person accepts it (`stp-tracker proposal accept
ID`: the change is applied, in one transaction) or rejects it (never proposed again).

An accepted change is a decision, kept like a curated alias: reloading the bundled registry
(`init`) and `rebuild` apply every accepted proposal again after the registry, in the order
they were accepted. Fetches applied before the change keep the organisations their names
resolved to until `stp-tracker rebuild` re-resolves them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

STATES = ("open", "accepted", "rejected")
# What an accepted proposal may write: table -> (its key columns, the columns it may set).
WRITABLE = {
    "organisations": (("code",), frozenset({"name", "valid_from", "valid_to"})),
    "lineage": (("predecessor", "successor"), frozenset({"effective", "kind", "evidence",
                                                         "origin"})),
}  # fmt: skip


@dataclass(frozen=True)
class Decided:
    """One proposal a person accepted or rejected."""

    id: int
    state: str
    summary: str

    def describe(self) -> str:
        """One line for the person who decided."""
        if self.state == "rejected":
            return f"rejected proposal {self.id}: {self.summary} (it will not be proposed again)"
        return (
            f"accepted proposal {self.id}: {self.summary}; fetches applied before keep the "
            "organisations their names resolved to until `stp-tracker rebuild` re-resolves them"
        )


def proposal_rows(
    db: Database, *, state: str | None = "open", source: str | None = None
) -> list[dict[str, Any]]:
    """Proposals (open ones by default; all when `state` is None), oldest first."""
    return list(
        db.query(
            "select id, source, kind, org_code, summary, state, proposed_at, decided_at, "
            "evidence, change from proposals where (:state is null or state = :state) "
            "and (:source is null or source = :source) order by id",
            {"state": state, "source": source},
        )
    )


def decide(db: Database, ids: Sequence[int], *, accept: bool, now: str) -> list[Decided]:
    """Accept (apply) or reject open proposals, all in one transaction or none."""
    decided = []
    with db.atomic():
        for proposal_id in ids:
            row = db.execute(
                "select state, summary, change from proposals where id = ?", [proposal_id]
            ).fetchone()
            if row is None:
                raise StoreError(f"no proposal {proposal_id} (stp-tracker proposal list)")
            if row[0] != "open":
                raise StoreError(f"proposal {proposal_id} is {row[0]}, not open")
            if accept:
                apply_change(db, json.loads(row[2]))
            state = "accepted" if accept else "rejected"
            db.execute(
                "update proposals set state = ?, decided_at = ? where id = ?",
                [state, now, proposal_id],
            )
            decided.append(Decided(proposal_id, state, row[1]))
    return decided


def apply_change(db: Database, change: dict[str, Any]) -> None:
    """Write one proposed change: update an organisation, or add or update a lineage link."""
    table = change.get("table")
    if table not in WRITABLE:
        raise StoreError(f"a proposal cannot change the table {table!r}")
    keys, settable = WRITABLE[table]
    key, values = change["key"], change["values"]
    if set(key) != set(keys) or not set(values) <= settable:
        raise StoreError(f"a proposal cannot set {sorted(values)} of {table}")
    if table == "organisations":
        found = db.execute(
            f"update organisations set {', '.join(f'{c} = ?' for c in values)} where code = ?",
            [*values.values(), key["code"]],
        )
        if not found.rowcount:
            raise StoreError(f"the proposal's organisation {key['code']} no longer exists")
        return
    row = key | values
    db.execute(
        f"insert into lineage ({', '.join(row)}) values ({', '.join('?' for _ in row)}) "
        f"on conflict(predecessor, successor) do update set "
        f"{', '.join(f'{c} = excluded.{c}' for c in values)}",
        list(row.values()),
    )


def reapply_accepted(db: Database) -> int:
    """Apply every accepted proposal again, in the order they were accepted (after the bundled
    registry was reloaded over them); returns how many."""
    rows = db.execute(
        "select change from proposals where state = 'accepted' order by decided_at, id"
    ).fetchall()
    applied = 0
    for (change,) in rows:
        try:
            apply_change(db, json.loads(change))
        except StoreError:  # its organisation is no longer anyone's: nothing left to change
            continue
        applied += 1
    return applied


__all__ = ["STATES", "Decided", "apply_change", "decide", "proposal_rows", "reapply_accepted"]
