"""The first load of a source whose releases are all complete, derived in SQL.

When every release lists every organisation, each run of `statement_runs` is exactly one fact
(it ends at the release after its last, or is open), and the changes are the steps between a
key's consecutive facts. SQLite can then derive facts and changes from the runs just written,
which is several times faster than building and binding a Python row for each. The result is
the same as `runs.facts_from_runs` and `history.changes_of` give (a property test holds the
two to each other); any other case goes through those functions.
"""

from __future__ import annotations

from sqlite_utils import Database

_FACTS = """
    insert into facts (org_code, attribute, value, value_key, value_num, valid_from, valid_to,
                       fetch_id, publisher, note, recorded_at, source)
    select r.org_code, r.attribute, r.value, r.value_key, r.value_num, r.first,
           case when r.last is null then null else a.next end,
           r.fetch_id, r.publisher, r.note, :now, :source
    from statement_runs r left join release_after a on a.effective = r.last
    where r.source = :source
    order by r.org_code, r.attribute, r.first
"""

_KIND = """case substr(f.attribute, 1, instr(f.attribute, '.') - 1)
           when 'rating' then 'rating' when 'leader' then 'leader' when 'metric' then 'metric'
           else 'organisation' end"""

# The facts were just written in (organisation, attribute, valid_from) order, so a fact's
# predecessor and successor for the same key sit at id - 1 and id + 1. Each fact gives its
# own change (part 0) and, when nothing follows it at once, its ending (part 1).
_CHANGES = f"""
    insert into changes (org_code, attribute, old_value, new_value, effective, fetch_id,
                         direction, publisher, recorded_at, source, kind)
    select f.org_code, f.attribute,
           case when s.part = 1 then f.value when p.valid_to = f.valid_from then p.value end,
           case when s.part = 0 then f.value end,
           case when s.part = 0 then f.valid_from else f.valid_to end,
           case when s.part = 0 then f.fetch_id else (
               select r.fetch_id from releases r
               where r.source = :source and r.effective = f.valid_to) end,
           case when s.part = 0 and p.valid_to = f.valid_from
                     and substr(f.attribute, 1, 7) = 'rating.'
                     and p.value_num is not null and f.value_num is not null
                     and p.value_num != f.value_num
                then case when f.value_num > p.value_num then 'improved' else 'declined' end
           end,
           case when s.part = 0 then f.publisher end,
           :now, :source, {_KIND}
    from facts f
    cross join (select 0 as part union all select 1 as part) s
    left join facts p on p.id = f.id - 1 and p.id > :after
         and p.org_code = f.org_code and p.attribute = f.attribute
    left join facts n on n.id = f.id + 1
         and n.org_code = f.org_code and n.attribute = f.attribute
    where f.id > :after and (
        s.part = 0 or (f.valid_to is not null and (n.id is null or n.valid_from != f.valid_to)))
    order by f.id, s.part
"""


def derive_first_load(db: Database, source: str, now: str) -> tuple[int, int]:
    """Record the facts and changes of `source`'s runs, when the source had no facts before
    and all its releases are complete; return how many of each were recorded."""
    db.execute(  # not executescript, which would commit the caller's transaction
        "create temp table if not exists release_after (effective text primary key, next text) "
        "without rowid"
    )
    db.execute("delete from release_after")
    db.execute(
        "insert into release_after select effective, lead(effective) over (order by effective) "
        "from releases where source = ?",
        [source],
    )
    after = db.execute("select coalesce(max(id), 0) from facts").fetchone()[0]
    facts = db.execute(_FACTS, {"now": now, "source": source}).rowcount
    changes = db.execute(_CHANGES, {"now": now, "source": source, "after": after}).rowcount
    return facts, changes
