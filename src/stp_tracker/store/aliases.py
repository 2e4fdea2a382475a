"""Reviewing and undoing aliases: `stp-tracker alias list` and `alias remove`.

Fuzzy matching records each name it accepts as an alias with origin 'fuzzy' and a person may
add curated ones; both can be listed, with the fetches whose names resolved through them
(`alias_uses`), and removed. Removing an alias never rewrites history by itself: the fetches
that relied on it keep their facts until `stp-tracker rebuild` re-resolves them, and the removal
is kept (`removed_aliases`), so fuzzy matching never proposes the same pair again and an
identical re-ingest is parsed afresh. The registry's own aliases are reference data and stay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ResolveError
from ..resolve.resolver import PEOPLE_ORIGINS

if TYPE_CHECKING:
    from sqlite_utils import Database


def alias_rows(db: Database, *, origin: str | None = None) -> list[dict[str, Any]]:
    """Every alias (or those of one origin) with its organisation, interval and uses."""
    return list(
        db.query(
            "select a.alias, a.code, o.name, o.kind, a.origin, a.valid_from, a.valid_to, "
            "a.added_at, (select count(distinct u.fetch_id) from alias_uses u "
            "where u.normalised = a.normalised and u.code = a.code) as fetches "
            "from aliases a join organisations o on o.code = a.code "
            "where :origin is null or a.origin = :origin "
            "order by a.origin, a.alias, a.code",
            {"origin": origin},
        )
    )


@dataclass(frozen=True)
class Removed:
    """What `alias remove` did, and which fetches relied on the alias."""

    alias: str
    code: str
    name: str
    origin: str
    fetches: list[tuple[int, str]]  # (fetch id, source)
    still: list[str]  # other aliases that still resolve the same spelling to the organisation

    def describe(self) -> str:
        """One paragraph for the person who removed it."""
        text = f"removed the {self.origin} alias {self.alias!r} of {self.name} ({self.code})"
        if self.still:
            text += f"; {', '.join(map(repr, self.still))} still resolves it the same way"
        if not self.fetches:
            return text + "; no fetch relied on it"
        listed = ", ".join(f"{fetch_id} ({source})" for fetch_id, source in self.fetches)
        plural = "es" if len(self.fetches) != 1 else ""
        return (
            f"{text}; fetch{plural} {listed} resolved names through it: their facts stay as "
            "they are until `stp-tracker rebuild` re-resolves them (a name that then matches "
            "nothing stops the rebuild and is listed)"
        )


def remove_alias(db: Database, name: str, code: str, now: str) -> Removed:
    """Remove the curated or fuzzy alias `name` of organisation `code` (one transaction)."""
    from ..extract.normalise import org_name

    organisation = db.execute("select name from organisations where code = ?", [code]).fetchone()
    if organisation is None:
        raise ResolveError(f"no organisation has the code {code!r}")
    key = org_name(name)
    found = db.execute(
        "select alias, normalised, origin, added_at from aliases where code = ? "
        "and (alias = ? or normalised = ?) order by alias = ? desc, origin",
        [code, name.strip(), key, name.strip()],
    ).fetchall()
    removable = [row for row in found if row[2] in PEOPLE_ORIGINS]
    if not removable:
        if found:
            raise ResolveError(
                f"{found[0][0]!r} is the registry's own {found[0][2]!r} alias of "
                f"{organisation[0]} ({code}): only curated and fuzzy aliases can be removed"
            )
        raise ResolveError(
            f"{organisation[0]} ({code}) has no alias {name!r}; `stp-tracker alias list` shows them"
        )
    alias, normalised, origin, added_at = removable[0]
    fetches = db.execute(
        "select u.fetch_id, f.source from alias_uses u join fetches f on f.id = u.fetch_id "
        "where u.normalised = ? and u.code = ? order by u.fetch_id",
        [normalised, code],
    ).fetchall()
    with db.atomic():
        db.execute("delete from aliases where alias = ? and code = ?", [alias, code])
        db.table("removed_aliases").insert(
            {"alias": alias, "normalised": normalised, "code": code, "origin": origin,
             "added_at": added_at, "removed_at": now,
             "fetch_ids": json.dumps([fetch_id for fetch_id, _ in fetches])}
        )  # fmt: skip
    still = [row[0] for row in found if row[0] != alias and row[1] == normalised]
    return Removed(alias, code, organisation[0], origin, [tuple(f) for f in fetches], still)


__all__ = ["Removed", "alias_rows", "remove_alias"]
