"""Read-side questions the CLI asks: an organisation's history and the list of changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ResolveError

if TYPE_CHECKING:
    from sqlite_utils import Database

_KIND_WORDS = {"stp": "stp", "sustainability": "stp", "icb": "icb", "integrated care board": "icb"}


def find_organisation(db: Database, text: str) -> str:
    """The code of the one organisation `text` names (a code, name or alias, any kind).

    An organisation's own code beats another's former code, and a kind word in the text
    ("STP", "ICB") picks between an STP and the ICB that took its name.
    """
    own = db.execute(
        "select code from organisations where code = ?", [text.strip().upper()]
    ).fetchone()
    if own is not None:  # an organisation's own code needs no resolver
        return str(own[0])
    from ..extract.normalise import fold
    from ..resolve.resolver import Resolver

    resolver = Resolver.from_db(db, "any")
    found = resolver.by_code(text) or resolver.by_name(text)
    if len(found) > 1 and text.strip().upper() in found:
        found = {text.strip().upper()}
    if len(found) > 1:
        words = f" {fold(text)} "
        kinds = {kind for word, kind in _KIND_WORDS.items() if f" {word} " in words}
        if len(kinds) == 1:
            by_kind = {
                code
                for (code,) in db.execute(
                    "select code from organisations where kind = ?", list(kinds)
                )
                if code in found
            }
            found = by_kind or found
    if len(found) == 1:
        return next(iter(found))
    if found:
        listed = ", ".join(f"{resolver.display[c]} ({c})" for c in sorted(found))
        raise ResolveError(f"{text!r} names more than one organisation: {listed}")
    close = ", ".join(f"{c.name} ({c.code})" for c in resolver.candidates(text))
    raise ResolveError(
        f"no organisation matches {text!r}" + (f"; closest: {close}" if close else "")
    )


def change_rows(db: Database, *, since: str | None = None, org: str | None = None) -> list[dict]:
    """Believed changes, newest effective first, optionally from a date or for one organisation."""
    where, params = ["c.retired_at is null"], {}
    if since:
        where.append("c.effective >= :since")
        params["since"] = since
    if org:
        where.append("c.org_code = :org")
        params["org"] = find_organisation(db, org)
    return list(
        db.query(
            "select c.effective, c.org_code, o.name, c.kind, c.attribute, c.old_value, "
            "c.new_value, c.direction, c.source, c.publisher, c.recorded_at "
            "from changes c join organisations o on o.code = c.org_code "
            f"where {' and '.join(where)} "
            "order by c.effective desc, c.org_code, c.attribute, c.id",
            params,
        )
    )


def history_of(db: Database, text: str) -> dict[str, Any]:
    """An organisation, its names, lineage, and every believed fact and event over time."""
    code = find_organisation(db, text)
    organisation = next(db.query("select * from organisations where code = ?", [code]))
    aliases = [
        row["alias"]
        for row in db.query(
            "select alias from aliases where code = ? and alias not in (?, ?) order by alias",
            [code, code, organisation["name"]],
        )
    ]
    lineage = list(
        db.query(
            "select 'predecessor' as relation, l.predecessor as code, o.name, l.kind, l.effective "
            "from lineage l join organisations o on o.code = l.predecessor where l.successor = :c "
            "union all "
            "select 'successor', l.successor, o.name, l.kind, l.effective "
            "from lineage l join organisations o on o.code = l.successor where l.predecessor = :c "
            "order by 5, 1, 2",
            {"c": code},
        )
    )
    timeline = list(
        db.query(
            "select valid_from as date, valid_to as until, attribute, value, source, publisher, "
            "note from facts where org_code = :c and retired_at is null "
            "union all "
            "select reported_on, null, attribute, 'event: ' || what, source, publisher, note "
            "from events where org_code = :c "
            "order by 1, 3",
            {"c": code},
        )
    )
    return {
        "organisation": organisation,
        "aliases": aliases,
        "lineage": lineage,
        "timeline": timeline,
    }
