"""The mass-change guard: a complete source whose newest release would end or change too much
of what it covered is quarantined for review (`fetch --accept`) instead of applied."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import StpTrackerError

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..config import SourceConfig
    from ..model import Release


class Quarantined(StpTrackerError):
    """A complete source's release would change too much of its history to apply unreviewed."""


def guard_mass_change(db: Database, source: SourceConfig, releases: Sequence[Release]) -> None:
    """Refuse a complete source's release that would end or change more than `max_change`
    of the organisations it currently covers (a page suddenly listing 3 of 44, say)."""
    if not source.complete or not releases:
        return
    current: dict[str, dict[str, str]] = {}
    for org, attribute, key in db.execute(
        "select org_code, attribute, value_key from facts where source = ? and "
        "retired_at is null and valid_to is null",
        [source.name],
    ):
        current.setdefault(org, {})[attribute] = key
    if not current:
        return
    latest = max(releases, key=lambda r: r.effective)
    stated: dict[str, dict[str, str]] = {}
    for statement in latest.statements:
        stated.setdefault(statement.org_code, {})[statement.attribute] = statement.value_key
    moved = sum(1 for org, attributes in current.items() if stated.get(org) != attributes)
    share = moved / len(current)
    if share > source.max_change:
        raise Quarantined(
            f"{source.name}: the release of {latest.effective} would end or change {moved} of "
            f"{len(current)} organisations ({share:.0%}, more than max_change "
            f"{source.max_change:.0%}); it was quarantined, not applied"
        )
