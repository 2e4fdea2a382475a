"""Read-side questions the CLI asks: an organisation's history and the list of changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ResolveError

if TYPE_CHECKING:
    from sqlite_utils import Database

_KIND_WORDS = {"stp": "stp", "sustainability": "stp", "icb": "icb", "integrated care board": "icb"}


def find_organisations(db: Database, text: str) -> list[str]:
    """The organisations `text` names (a code, name or alias ever used, of any kind): one, or
    several on one line of succession (Devon STP, then NHS Devon ICB), oldest first.

    An organisation's own code names it alone, and a kind word in the text ("STP", "ICB")
    picks between an STP and the ICB that took its name. Unrelated organisations sharing a
    name, or none at all, are an error listing the candidates.
    """
    own = db.execute(
        "select code from organisations where code = ?", [text.strip().upper()]
    ).fetchone()
    if own is not None:  # an organisation's own code needs no resolver
        return [str(own[0])]
    from ..extract.normalise import fold
    from ..resolve.lineage import succession
    from ..resolve.resolver import Resolver

    resolver = Resolver.from_db(db, "any")
    found = set(resolver.by_code(text)) | set(resolver.by_name(text))
    if not found:  # a name a creating source stated later than the one it was created with
        found = {
            code
            for (code,) in db.execute(
                "select distinct org_code from facts where attribute = 'org.name' "
                "and value_key = ?",
                [fold(text)],
            )
        }
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
    if not found:
        close = ", ".join(f"{c.name} ({c.code})" for c in resolver.candidates(text))
        raise ResolveError(
            f"no organisation matches {text!r}" + (f"; closest: {close}" if close else "")
        )
    lifetimes = {
        code: (start, end)
        for code, start, end in db.execute("select code, valid_from, valid_to from organisations")
    }
    links = db.execute("select predecessor, successor from lineage").fetchall()
    chain = succession(found, links, lifetimes)
    if chain is None:
        listed = ", ".join(f"{resolver.display[c]} ({c})" for c in sorted(found))
        raise ResolveError(f"{text!r} names more than one organisation: {listed}")
    return chain


def find_organisation(db: Database, text: str) -> str:
    """The code of the one organisation `text` names, or the latest of a line of succession."""
    return find_organisations(db, text)[-1]


def change_rows(db: Database, *, since: str | None = None, org: str | None = None) -> list[dict]:
    """Believed changes, newest effective first, optionally from a date or for one organisation."""
    where, params = ["c.retired_at is null"], {}
    if since:
        where.append("c.effective >= :since")
        params["since"] = since
    if org:
        codes = find_organisations(db, org)
        where.append(f"c.org_code in ({', '.join(f':org{i}' for i in range(len(codes)))})")
        params |= {f"org{i}": code for i, code in enumerate(codes)}
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


def histories(db: Database, text: str) -> list[dict[str, Any]]:
    """The history of each organisation `text` names, in order of succession."""
    return [history_of(db, code) for code in find_organisations(db, text)]


def history_of(db: Database, text: str) -> dict[str, Any]:
    """An organisation, its names and codes (with when each meant it), lineage, and every
    believed fact and event over time."""
    code = find_organisation(db, text)
    organisation = next(db.query("select * from organisations where code = ?", [code]))
    from ..resolve.resolver import looks_like_code

    known = list(
        db.query(
            "select alias, valid_from, valid_to, origin, evidence from aliases where code = ? "
            "order by coalesce(valid_from, ''), alias",
            [code],
        )
    )
    own = {code, organisation["ods_code"], organisation["ons_code"]}
    is_code = [looks_like_code(row["alias"]) or row["alias"] in own for row in known]
    aliases = sorted(
        row["alias"]
        for row, coded in zip(known, is_code, strict=True)
        if not coded and row["alias"] != organisation["name"]
    )
    codes = [{"code": row.pop("alias"), **row} for row, coded in zip(known, is_code, strict=True)
             if coded]  # fmt: skip
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
        "codes": codes,
        "lineage": lineage,
        "timeline": timeline,
    }
