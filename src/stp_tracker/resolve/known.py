"""The identities the database holds, read from its public tables for comparison with a source
that keeps them current: each organisation's row, the codes and names that mean it, and the
lineage between organisations. Plain data; loading it reads `organisations`, `aliases` and
`lineage` only, so it survives any change to how facts are stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..extract.normalise import fold, org_name
from .resolver import EVER, NEVER, looks_like_code

if TYPE_CHECKING:
    from sqlite_utils import Database

REGISTRY = "registry"  # the origin of the bundled registry's organisations and links


@dataclass
class Known:
    """Organisations by code, the codes and normalised names meaning each, and lineage."""

    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # folded ->
    # org -> the normalised names its aliases give it (its own name is one of them once stated)
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    aliases: set[tuple[str, str]] = field(default_factory=set)  # (alias, org) rows that exist
    links: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_db(cls, db: Database) -> Known:
        """Read the identity tables."""
        known = cls()
        for row in db.query(
            "select code, name, kind, ods_code, valid_from, valid_to, origin from organisations"
        ):
            known.add(row)
        for alias, code in db.execute("select alias, code from aliases"):
            known.aliases.add((alias, code))
            if looks_like_code(alias) or fold(alias) in known.codes:  # QWO: another's code
                known.codes[fold(alias)].add(code)
            known.names[code].add(org_name(alias))
        for row in db.query("select * from lineage"):
            known.links[row["predecessor"], row["successor"]] = row
        return known

    def add(self, row: dict[str, Any]) -> None:
        """Know an organisation (read, or created by the run under way)."""
        self.orgs[row["code"]] = row
        self.codes[fold(row["code"])].add(row["code"])
        if row.get("ods_code"):
            self.codes[fold(row["ods_code"])].add(row["code"])

    def registry_owned(self, code: str) -> bool:
        """Whether the bundled registry defines the organisation (so changing it is proposed)."""
        return (self.orgs[code].get("origin") or REGISTRY) == REGISTRY

    def lifetime(self, code: str) -> tuple[str, str]:
        """The organisation's lifetime with open ends as the earliest and latest dates."""
        row = self.orgs[code]
        return row.get("valid_from") or EVER, row.get("valid_to") or NEVER

    def meaning(self, code: str, kind: str | None = None) -> set[str]:
        """The organisations (of `kind`, or any) a code ever meant."""
        found = self.codes.get(fold(code), set())
        return {org for org in found if kind is None or self.orgs[org]["kind"] == kind}

    def predecessors(self, code: str) -> set[str]:
        """The organisations lineage says became `code`."""
        return {p for (p, s) in self.links if s == code}

    def links_on(self, code: str, effective: str) -> list[dict[str, Any]]:
        """The lineage into or out of `code` that took effect on `effective`."""
        return [
            row
            for (p, s), row in self.links.items()
            if code in (p, s) and row.get("effective") == effective
        ]


def day_before(day: str) -> str:
    """The ISO date one day earlier."""
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def within(day: str, start: str | None, end: str | None) -> bool:
    """Whether `day` falls from `start` until the day before `end` (None ends are open)."""
    return (start or EVER) <= day < (end or NEVER)


def overlaps(a: tuple[str, str], b: tuple[str | None, str | None]) -> bool:
    """Whether two intervals (start, first day after) share a day; None ends are open."""
    return a[0] < (b[1] or NEVER) and (b[0] or EVER) < a[1]


__all__ = ["REGISTRY", "Known", "day_before", "overlaps", "within"]
