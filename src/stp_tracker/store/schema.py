"""The database's shape, declared as data: tables by migration, views and indexes as SQL.

`ensure_schema(db)` applies pending migrations and recreates any view whose SQL differs, so
opening any database brings it to the current shape, and opening a current one writes nothing.
`is_current` asks the same of a plain sqlite3 connection, so a command that finds the database
current need not import sqlite-utils at all. View names are part of the public interface.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "stp_tracker"
MIGRATIONS: list[Callable[[Database], None]] = []  # in order; sqlite-utils applies them


def migration(func: Callable[[Database], None]) -> Callable[[Database], None]:
    """Register the next migration (its function name is its name in _sqlite_migrations)."""
    MIGRATIONS.append(func)
    return func


TABLES_SQL = """
create table organisations (
    code text primary key, name text not null, kind text not null, ods_code text,
    ons_code text, valid_from text, valid_to text, origin text not null default 'registry'
);
create table aliases (
    alias text not null, normalised text not null,
    code text not null references organisations(code),
    origin text not null, added_at text, primary key (alias, code)
);
create index aliases_normalised on aliases(normalised);
create table lineage (
    predecessor text not null references organisations(code),
    successor text not null references organisations(code),
    effective text, kind text not null, primary key (predecessor, successor)
);
create table sources (
    name text primary key, title text, url text, format text, entity text, layout text,
    creates integer, complete integer, schedule text, scale text, publisher text, licence text,
    enabled integer, loaded_at text
);
create table fetches (
    id integer primary key, source text not null, started_at text not null, finished_at text,
    url text, http_status integer, etag text, last_modified text, sha256 text, bytes integer,
    outcome text, error text, records integer, changes integer
);
create index fetches_source on fetches(source, id);
create table releases (
    id integer primary key, source text not null, effective text not null,
    complete integer not null, fetch_id integer references fetches(id), digest text not null,
    recorded_at text not null, unique (source, effective)
);
create table statements (
    release_id integer not null references releases(id), org_code text not null,
    attribute text not null, value text not null, value_key text not null, value_num real,
    publisher text, note text, fetch_id integer,
    primary key (release_id, org_code, attribute)
) without rowid;
create index statements_key on statements(org_code, attribute);
create table facts (
    id integer primary key, org_code text not null references organisations(code),
    attribute text not null, value text not null, value_key text not null, value_num real,
    valid_from text not null, valid_to text, recorded_at text not null, retired_at text,
    source text not null, fetch_id integer references fetches(id), publisher text, note text
);
create index facts_org on facts(org_code, attribute, valid_from);
create index facts_believed on facts(source, org_code, attribute) where retired_at is null;
create index facts_attribute on facts(attribute, valid_to) where retired_at is null;
create table changes (
    id integer primary key, org_code text not null references organisations(code),
    attribute text not null, old_value text, new_value text, effective text not null,
    recorded_at text not null, retired_at text, source text not null,
    fetch_id integer references fetches(id), kind text not null, direction text, publisher text
);
create index changes_org on changes(org_code, effective);
create index changes_effective on changes(effective) where retired_at is null;
create index changes_recorded on changes(recorded_at) where retired_at is null;
create index changes_believed on changes(source, org_code, attribute) where retired_at is null;
create index changes_fetch on changes(fetch_id);
create table events (
    id integer primary key, org_code text not null references organisations(code),
    attribute text not null, what text not null, reported_on text, source text not null,
    note text, publisher text, fetch_id integer, recorded_at text not null,
    unique (org_code, attribute, what, reported_on, source)
);
create table unmatched (
    id integer primary key, source text not null, fetch_id integer, file text, row integer,
    field text, name text not null, normalised text, candidates text, seen_at text not null
);
create table reported_counts (
    publisher text not null, reported_on text not null, outstanding integer, advanced integer,
    making_progress integer, needs_most_improvement integer, note text,
    primary key (publisher, reported_on)
);
"""


@migration
def m001_initial(db: Database) -> None:
    """The first shape of every table."""
    db.executescript(TABLES_SQL)


@migration
def m002_boundaries(db: Database) -> None:
    """Area boundaries (GeoJSON) for the map, replaced whole by each fetch of their source."""
    db.executescript(
        """
        create table boundaries (
            code text primary key references organisations(code), name text,
            geometry text not null, source text not null, fetch_id integer references fetches(id)
        );
        """
    )


@migration
def m003_fetch_replay(db: Database) -> None:
    """Remember an ingest's --as-of date and when its releases were applied, so a rebuild
    can replay it with the same dates and the same system time."""
    db.execute("alter table fetches add column as_of text")
    db.execute("alter table fetches add column applied_at text")


@migration
def m004_statement_runs(db: Database) -> None:
    """Keep what releases stated as runs of consecutive releases, not one row per release:
    the same information in a fraction of the rows, and no write for an unchanged value."""
    from ..model import Release, Statement
    from .runs import OPEN, SourceRuns, apply_release

    db.executescript(
        """
        create table statement_runs (
            id integer primary key, source text not null, org_code text not null,
            attribute text not null, value text not null, value_key text not null,
            value_num real, publisher text, note text, first text not null, last text,
            fetch_id integer references fetches(id)
        );
        create index statement_runs_key on statement_runs(source, org_code, attribute, first);
        create index statement_runs_open on statement_runs(source) where last is null;
        """
    )
    sources = [row[0] for row in db.execute("select distinct source from releases")]
    for source in sources:
        state = SourceRuns([], {}, {}, {})
        for release_id, effective, complete, fetch_id in db.execute(
            "select id, effective, complete, fetch_id from releases where source = ? "
            "order by effective",
            [source],
        ).fetchall():
            stated = tuple(
                Statement(*row)
                for row in db.execute(
                    "select org_code, attribute, value, value_key, value_num, publisher, note "
                    "from statements where release_id = ?",
                    [release_id],
                )
            )
            apply_release(state, Release(source, effective, bool(complete), stated, (), fetch_id))
        for runs in state.runs.values():
            for run in runs:
                db.execute(
                    "insert into statement_runs (source, org_code, attribute, value, value_key, "
                    "value_num, publisher, note, first, last, fetch_id) "
                    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [source, *run.statement, run.first,
                     None if run.last == OPEN else run.last, run.fetch_id],
                )  # fmt: skip
    db.execute("drop table statements")


@migration
def m005_leaner_indexes(db: Database) -> None:
    """Believed rows are now found per organisation and attribute (through the keys a release
    moved), so the per-source indexes only cost writes and space."""
    db.executescript(
        """
        drop index facts_believed;
        drop index changes_believed;
        drop index changes_recorded;
        drop index changes_org;
        create index changes_org on changes(org_code, attribute, effective);
        """
    )


@migration
def m006_reingest_skip(db: Database) -> None:
    """Remember what an applied fetch was parsed under (configuration and code), the digest
    of each release it stated and how many rows it had, so an identical re-ingest is
    recognised without parsing it."""
    db.executescript(
        """
        alter table fetches add column config_digest text;
        alter table fetches add column release_digests text;
        alter table fetches add column row_count integer;
        create index fetches_sha256 on fetches(source, sha256);
        """
    )


@migration
def m007_news(db: Database) -> None:
    """News sources: band counts and unresolved names keep where they came from, a fetch says
    which feed item it got, and a feed's items are remembered across runs."""
    db.executescript(
        """
        alter table reported_counts add column source text;
        alter table reported_counts add column fetch_id integer;
        alter table unmatched add column context text;
        alter table fetches add column item text;
        create table feed_items (
            source text not null, guid text not null, link text not null, title text,
            published text, updated text, first_seen text not null,
            state text not null default 'pending', attempts integer not null default 0,
            fetch_id integer, primary key (source, guid)
        );
        """
    )


@migration
def m008_identity_over_time(db: Database) -> None:
    """Identities over time (#10): the interval in which each alias or code meant its
    organisation and the evidence for it; the full source configuration each fetch was applied
    under, so a rebuild can replay it as it was; which fetches resolved names through which
    curated or fuzzy alias; and the aliases people removed, so nothing proposes them again."""
    db.executescript(
        """
        alter table aliases add column valid_from text;
        alter table aliases add column valid_to text;
        alter table aliases add column evidence text;
        alter table lineage add column evidence text;
        create table configurations (
            digest text primary key, source text not null, definition text not null,
            recorded_at text not null
        );
        create table alias_uses (
            normalised text not null, code text not null, fetch_id integer not null,
            primary key (normalised, code, fetch_id)
        ) without rowid;
        create index alias_uses_fetch on alias_uses(fetch_id);
        create table removed_aliases (
            id integer primary key, alias text not null, normalised text not null,
            code text not null, origin text not null, added_at text, removed_at text not null,
            fetch_ids text
        );
        """
    )


@migration
def m009_boundaries_by_source(db: Database) -> None:
    """Keep each boundary source's area for an organisation (the bundled ONS files and any
    fetched source side by side, so the map can prefer one), with the date the file is of;
    and a source's attribution statement, which the map shows."""
    db.executescript(
        """
        create table boundaries_by_source (
            code text not null references organisations(code), name text,
            geometry text not null, source text not null,
            fetch_id integer references fetches(id), effective text,
            primary key (code, source)
        );
        insert into boundaries_by_source (code, name, geometry, source, fetch_id)
            select code, name, geometry, source, fetch_id from boundaries;
        drop table boundaries;
        alter table boundaries_by_source rename to boundaries;
        alter table sources add column attribution text;
        """
    )


@migration
def m010_unmatched_counts(db: Database) -> None:
    """Keep each unresolved name once per fetch with how often it occurred, instead of one
    row per occurrence (a large bad file added hundreds of thousands of rows)."""
    db.execute("alter table unmatched add column occurrences integer not null default 1")


@migration
def m011_public_urls(db: Database) -> None:
    """Publish no secrets or local folders: strip credentials and secret query parameters
    from recorded URLs, and local paths down to their file names (see redact.py)."""
    from ..redact import public_text, public_url

    def public_definition(text: str) -> str:
        found = json.loads(text)
        found["source"]["url"] = public_url(found["source"].get("url"))
        return json.dumps(found, sort_keys=True)

    db.conn.create_function("public_url", 1, public_url)
    db.conn.create_function("public_text", 1, public_text)
    db.conn.create_function("public_definition", 1, public_definition)
    for table, column, function in (
        ("fetches", "url", "public_url"),
        ("fetches", "error", "public_text"),
        ("sources", "url", "public_url"),
        ("unmatched", "file", "public_url"),
        ("configurations", "definition", "public_definition"),
    ):
        db.execute(f"update {table} set {column} = {function}({column}) where {column} is not null")


@migration
def m012_registry_proposals(db: Database) -> None:
    """Sources that keep the registry current (#12, format "ods"): which source made each
    lineage link, so reloading the bundled registry leaves theirs alone, and the changes they
    propose for a person to review because they contradict the registry."""
    db.executescript(
        """
        alter table lineage add column origin text not null default 'registry';
        create table proposals (
            id integer primary key, source text not null, kind text not null,
            org_code text, summary text not null, change text not null, evidence text,
            fetch_id integer, proposed_at text not null, state text not null default 'open',
            decided_at text, unique (source, kind, org_code, change)
        );
        """
    )


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
VIEWS: dict[str, str] = {
    "current_ratings": f"""
        select f.org_code, o.name, o.kind, f.attribute, f.value as rating,
               f.value_num as band_rank, f.valid_from as rated_from, f.source, f.publisher,
               f.fetch_id
        from facts f {_NAMED}
        where f.attribute like 'rating.%' and f.retired_at is null and f.valid_to is null
          and {_EXISTS_NOW}""",
    "rating_history": f"""
        select f.org_code, o.name, o.kind, f.attribute, f.value as rating,
               f.value_num as band_rank, f.valid_from, f.valid_to, f.source, f.publisher,
               f.note, f.recorded_at, f.fetch_id
        from facts f {_NAMED}
        where f.attribute like 'rating.%' and f.retired_at is null""",
    "current_leaders": f"""
        select f.org_code, o.name, o.kind, substr(f.attribute, 8) as role, f.value as leader,
               f.valid_from as since, f.source, f.publisher, f.fetch_id
        from facts f {_NAMED}
        where f.attribute like 'leader.%' and f.retired_at is null and f.valid_to is null
          and {_EXISTS_NOW}""",
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


def ensure_schema(db: Database) -> None:
    """Bring `db` to the current shape: WAL, pending migrations, and views that differ.

    A database already in that shape is only read, so opening it takes no write lock.
    """
    db.execute("pragma foreign_keys = on")
    if not db.memory:
        db.enable_wal()  # a no-op when the file is already in WAL mode
    if pending_migrations(db.conn):
        migrations().apply(db)
    stale = stale_views(db.conn)
    if stale:
        with db.atomic():
            for name in stale:
                db.execute(f"drop view if exists [{name}]")
                db.execute(view_sql(name))
