"""The database's shape: tables by migration (migrations.py), the public views as data here.

How the history is stored (created by migration m013, `compact.py`):

- `fact_versions`: one row per version of a fact, keyed by integers: organisation (`org`,
  `organisations.id`), attribute (`attributes.id`), valid time as release ids (`valid_from`,
  `valid_to`; every fact starts and ends at a release of its source, which also names the
  source), system time as apply ids (`recorded`, `closed`, `retired`; `applies` holds each
  apply's timestamp) and an interned value (`fact_values`). A version that a later release
  ends is closed in place: it was believed open-ended from `recorded` to `closed`, and ended
  from `closed` to `retired`. `fetch_id` is kept only where it differs from the release's
  first fetch; `plain` marks a version whose change is "from nothing to this value" for as long
  as the version is believed.
- `fact_groups`: the bulk of history in one row per organisation: versions that started
  together at one release, are still believed, open-ended and plain, as up to twelve value
  columns whose attributes `layout_slots` lists. A member that changes leaves its group for a
  row of `fact_versions` with the same id.
- `change_records`: every change that is not a version's plain start (a value replacing another,
  an ending, a change believed for a different time than its version).
- `stated_runs`: what the releases of a source with incomplete releases stated, as runs of
  consecutive releases; a source whose releases are all complete stated exactly its facts.

`facts` and `changes` are views over these with the columns they always had; the other named
views are built on those two. `ensure_schema(db)` applies pending migrations and recreates any
view whose SQL differs, in one transaction; `is_current` asks the same of a plain sqlite3
connection, so a command that finds the database current need not import sqlite-utils.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .compact import SLOTS
from .migrations import MIGRATION_SET, MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

_SLOT_VALUE = (
    "case s.slot " + " ".join(f"when {k} then g.v{k}" for k in range(1, SLOTS + 1)) + " end"
)
_VALUE_NUM = "iif(typeof(x.key) = 'integer' and x.key = 1, cast(x.value as real), x.num)"
_FACT = f"""o.code as org_code, a.name as attribute, x.value,
               case typeof(x.key) when 'null' then x.value
                    when 'integer' then iif(x.key = 0, lower(x.value), x.value)
                    else x.key end as value_key,
               {_VALUE_NUM} as value_num,
               f.effective as valid_from"""
_VERSION_JOINS = """join organisations o on o.id = v.org join attributes a on a.id = v.attr
        join fact_values x on x.id = v.value join releases f on f.id = v.valid_from"""
_GROUP_JOINS = f"""join layout_slots s on s.layout = g.layout
        join fact_values x on x.id = {_SLOT_VALUE}
        join organisations o on o.id = g.org join attributes a on a.id = s.attr
        join releases f on f.id = g.valid_from join applies r on r.id = g.recorded"""

# Every arm of `facts` and `changes` gives each column the same affinity (a bare NULL or an
# expression has none, a column its own: hence the casts), so SQLite can flatten the union into
# the query that reads it (rule 17h of its query flattener) and push that query's joins and
# subqueries (`org_code in (select ...)`) into each arm; otherwise it computes the whole view
# before filtering it.
FACTS = f"""
        select v.id * 2 as id, {_FACT},
               cast(case when v.closed is null then t.effective end as text) as valid_to,
               r.at as recorded_at, e.at as retired_at, f.source,
               cast(nullif(coalesce(v.fetch_id, f.first_fetch_id), 0) as integer) as fetch_id,
               x.publisher, x.note
        from fact_versions v {_VERSION_JOINS}
        left join releases t on t.id = v.valid_to join applies r on r.id = v.recorded
        left join applies e on e.id = coalesce(v.closed, v.retired)
        union all
        select v.id * 2 + 1, {_FACT}, t.effective, c.at, e.at, f.source,
               cast(nullif(coalesce(v.fetch_id, f.first_fetch_id), 0) as integer), x.publisher,
               x.note
        from fact_versions v {_VERSION_JOINS}
        join releases t on t.id = v.valid_to join applies c on c.id = v.closed
        left join applies e on e.id = v.retired
        where v.closed is not null
        union all
        select (g.id * 16 + s.slot) * 2, {_FACT}, cast(null as text), r.at, cast(null as text),
               f.source, f.first_fetch_id, x.publisher, x.note
        from fact_groups g {_GROUP_JOINS}"""

CHANGES = f"""
        select v.id, o.code as org_code, a.name as attribute, cast(null as text) as old_value,
               x.value as new_value, f.effective, r.at as recorded_at, e.at as retired_at,
               f.source,
               cast(nullif(coalesce(v.fetch_id, f.first_fetch_id), 0) as integer) as fetch_id,
               a.kind, cast(null as text) as direction, x.publisher
        from fact_versions v {_VERSION_JOINS}
        join applies r on r.id = v.recorded left join applies e on e.id = v.retired
        where v.plain
        union all
        select cast(g.id * 16 + s.slot as integer), o.code, a.name, cast(null as text), x.value,
               f.effective, r.at, cast(null as text), f.source, f.first_fetch_id, a.kind,
               cast(null as text), x.publisher
        from fact_groups g {_GROUP_JOINS}
        union all
        select c.id, o.code, a.name, p.value, n.value, f.effective, r.at, e.at, f.source,
               c.fetch_id, a.kind,
               cast(case c.direction when 1 then 'improved' when -1 then 'declined' end as text),
               n.publisher
        from change_records c join organisations o on o.id = c.org
        join attributes a on a.id = c.attr join releases f on f.id = c.effective
        left join fact_values p on p.id = c.old left join fact_values n on n.id = c.new
        join applies r on r.id = c.recorded left join applies e on e.id = c.retired"""

_NAMED = "join organisations o on o.code = f.org_code"
# Each publisher's count for each band, standing until that publisher reports again.
_BAND_COUNTS = """
        select r.publisher, r.reported_on, b.band, b.n as count, r.source, r.note,
               (select min(later.reported_on) from reported_counts later
                where later.publisher = r.publisher and later.reported_on > r.reported_on)
                 as superseded_on
        from reported_counts r
        join (select publisher, reported_on, 'outstanding' as band, outstanding as n
              from reported_counts
              union all select publisher, reported_on, 'advanced', advanced from reported_counts
              union all select publisher, reported_on, 'making_progress', making_progress
              from reported_counts
              union all select publisher, reported_on, 'needs_most_improvement',
                     needs_most_improvement from reported_counts) b
          on b.publisher = r.publisher and b.reported_on = r.reported_on
        where b.n is not null"""
# Lifetimes (#10): a fact is current only while its organisation exists, so a dissolved
# partnership's last rating and leaders end, in the current views, when it ceased.
_EXISTS_NOW = (
    "coalesce(o.valid_from, '') <= date('now') and date('now') < coalesce(o.valid_to, '9999')"
)


def _current(like: str) -> str:
    """The facts believed now that still hold, of attributes named like `like`, of
    organisations that exist today, read from storage rather than through `facts`: versions
    neither ended, closed nor retired, and every group member. A group's member is found
    through a small list of the layouts' matching slots (an automatic index on it), one seek per
    group instead of a look at each of its slots: the whole of `current_ratings` at 50,000
    organisations in 120 ms rather than 200."""
    return f"""
        with slots as materialized (
          select s.layout, s.slot, a.name from layout_slots s join attributes a on a.id = s.attr
          where a.name like '{like}'
        )
        select o.code as org_code, o.name, o.kind, a.name as attribute, x.value,
               {_VALUE_NUM} as value_num, f.effective as valid_from, f.source, x.publisher,
               cast(nullif(coalesce(v.fetch_id, f.first_fetch_id), 0) as integer) as fetch_id
        from fact_versions v {_VERSION_JOINS}
        where a.name like '{like}' and v.valid_to is null and v.closed is null
          and v.retired is null and {_EXISTS_NOW}
        union all
        select o.code, o.name, o.kind, s.name, x.value, {_VALUE_NUM}, f.effective, f.source,
               x.publisher, f.first_fetch_id
        from fact_groups g join slots s on s.layout = g.layout
        join fact_values x on x.id = {_SLOT_VALUE}
        join organisations o on o.id = g.org join releases f on f.id = g.valid_from
        where {_EXISTS_NOW}"""


VIEWS: dict[str, str] = {
    "facts": FACTS,
    "changes": CHANGES,
    "current_ratings": f"""
        select org_code, name, kind, attribute, value as rating, value_num as band_rank,
               valid_from as rated_from, source, publisher, fetch_id
        from ({_current("rating.%")})""",
    "rating_history": f"""
        select f.org_code, o.name, o.kind, f.attribute, f.value as rating,
               f.value_num as band_rank, f.valid_from, f.valid_to, f.source, f.publisher,
               f.note, f.recorded_at, f.fetch_id
        from facts f {_NAMED}
        where f.attribute like 'rating.%' and f.retired_at is null""",
    "current_leaders": f"""
        select org_code, name, kind, substr(attribute, 8) as role, value as leader,
               valid_from as since, source, publisher, fetch_id
        from ({_current("leader.%")})""",
    "leadership_history": f"""
        select f.org_code, o.name, substr(f.attribute, 8) as role, 'fact' as type,
               f.value as leader, null as what, f.valid_from as date_from,
               f.valid_to as date_to, f.source, f.publisher, f.note
        from facts f {_NAMED}
        where f.attribute like 'leader.%' and f.retired_at is null
        union all
        select e.org_code, o.name, substr(e.attribute, 8), 'event', null, e.what,
               e.reported_on, null, e.source, e.publisher, e.note
        from events e join organisations o on o.code = e.org_code
        where e.attribute like 'leader.%'""",
    "recent_changes": """
        select c.id, c.recorded_at, c.effective, c.org_code, o.name, c.kind, c.attribute,
               c.old_value, c.new_value, c.direction, c.source, c.publisher, c.fetch_id
        from changes c join organisations o on o.code = c.org_code
        where c.retired_at is null
        order by c.recorded_at desc, c.effective desc, c.id desc""",
    "reported_band_counts": _BAND_COUNTS,
    "source_conflicts": """
        select a.org_code, o.name, a.attribute,
               max(a.valid_from, b.valid_from) as overlap_from,
               case when a.valid_to is null then b.valid_to
                    when b.valid_to is null then a.valid_to
                    else min(a.valid_to, b.valid_to) end as overlap_to,
               a.source as source_a, a.value as value_a, b.source as source_b,
               b.value as value_b
        from facts a
        join facts b on b.org_code = a.org_code and b.attribute = a.attribute
             and b.source > a.source and b.retired_at is null
             and b.value_key != a.value_key
             and a.valid_from < coalesce(b.valid_to, '9999')
             and b.valid_from < coalesce(a.valid_to, '9999')
        join organisations o on o.code = a.org_code
        where a.retired_at is null
        union all
        select null, 'band counts', 'count.' || x.band,
               max(x.reported_on, y.reported_on),
               case when x.superseded_on is null then y.superseded_on
                    when y.superseded_on is null then x.superseded_on
                    else min(x.superseded_on, y.superseded_on) end,
               x.publisher, cast(x.count as text), y.publisher, cast(y.count as text)
        from reported_band_counts x
        join reported_band_counts y on y.band = x.band and y.publisher > x.publisher
             and y.count != x.count
             and x.reported_on < coalesce(y.superseded_on, '9999')
             and y.reported_on < coalesce(x.superseded_on, '9999')""",
}


def migrations() -> Migrations:
    """The migrations as sqlite-utils applies them (imported only when one is pending)."""
    from sqlite_utils.migrations import Migrations

    found = Migrations(MIGRATION_SET)
    for func in MIGRATIONS:
        found()(func)
    return found


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations not yet applied to the database, in order."""
    has_table = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = '_sqlite_migrations'"
    ).fetchone()
    applied = set()
    if has_table:
        applied = {
            name
            for (name,) in conn.execute(
                "select name from _sqlite_migrations where migration_set = ?", [MIGRATION_SET]
            )
        }
    return [m.__name__ for m in MIGRATIONS if m.__name__ not in applied]


def view_sql(name: str) -> str:
    """The statement that creates a view, as SQLite keeps it in sqlite_master."""
    return f"CREATE VIEW [{name}] as {VIEWS[name]}".rstrip()


def stale_views(conn: sqlite3.Connection) -> list[str]:
    """The views that are missing or whose SQL differs from today's."""
    stored = dict(conn.execute("select name, sql from sqlite_master where type = 'view'"))
    return [name for name in VIEWS if (stored.get(name) or "").rstrip() != view_sql(name)]


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether a database file is already in WAL mode, fully migrated and has today's views."""
    try:
        wal = conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        return wal and not pending_migrations(conn) and not stale_views(conn)
    except sqlite3.DatabaseError:
        return False


def _drop_views(conn: sqlite3.Connection, names: Iterable[str]) -> None:
    """Drop those of `names` that are views (in an older database some were tables)."""
    views = {row[0] for row in conn.execute("select name from sqlite_master where type = 'view'")}
    for name in names:
        if name in views:
            conn.execute(f"drop view [{name}]")


def ensure_schema(db: Database) -> None:
    """Bring `db` to the current shape: WAL, pending migrations and views that differ, all in
    one transaction, so an interrupted upgrade leaves the database as it was.

    Foreign keys are checked once at the end rather than enforced meanwhile, since a migration
    may rebuild a table that others reference (SQLite's procedure for changing a table). A
    database already in shape is only read, so opening it takes no write lock.
    """
    if not db.memory:
        db.enable_wal()  # a no-op when the file is already in WAL mode
    pending = pending_migrations(db.conn)
    stale = stale_views(db.conn)
    if pending or stale:
        db.execute("pragma foreign_keys = off")  # a no-op inside a transaction: so before it
        with db.atomic():
            _drop_views(db.conn, VIEWS if pending else stale)
            if pending:
                migrations().apply(db)
            _drop_views(db.conn, VIEWS)
            for name in VIEWS:
                db.execute(view_sql(name))
            broken = db.execute("pragma foreign_key_check").fetchone()
            if broken:
                raise sqlite3.IntegrityError(f"foreign key check failed after upgrading: {broken}")
    db.execute("pragma foreign_keys = on")
