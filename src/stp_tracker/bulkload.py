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

_KIND = """case substr(attribute, 1, instr(attribute, '.') - 1)
           when 'rating' then 'rating' when 'leader' then 'leader' when 'metric' then 'metric'
           else 'organisation' end"""

_CHANGES = f"""
    insert into changes (org_code, attribute, old_value, new_value, effective, fetch_id,
                         direction, publisher, recorded_at, source, kind)
    with ordered as (
        select org_code, attribute, value, value_num, valid_from, valid_to, fetch_id, publisher,
               lag(value) over key as before_value, lag(value_num) over key as before_num,
               lag(valid_to) over key as before_to, lead(valid_from) over key as next_from
        from facts where source = :source
        window key as (partition by org_code, attribute order by valid_from)
    )
    select org_code, attribute, old_value, new_value, effective, fetch_id, direction, publisher,
           :now, :source, {_KIND}
    from (
        select org_code, attribute,
               case when before_to = valid_from then before_value end as old_value,
               value as new_value, valid_from as effective, fetch_id,
               case when before_to = valid_from and substr(attribute, 1, 7) = 'rating.'
                         and before_num is not null and value_num is not null
                         and before_num != value_num
                    then case when value_num > before_num then 'improved' else 'declined' end
               end as direction,
               publisher
        from ordered
        union all
        select o.org_code, o.attribute, o.value, null, o.valid_to, r.fetch_id, null, null
        from ordered o
        left join releases r on r.source = :source and r.effective = o.valid_to
        where o.valid_to is not null and (o.next_from is null or o.next_from != o.valid_to)
    )
    order by org_code, attribute, effective
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
    facts = db.execute(_FACTS, {"now": now, "source": source}).rowcount
    changes = db.execute(_CHANGES, {"now": now, "source": source}).rowcount
    return facts, changes
