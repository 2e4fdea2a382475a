"""The schema's history: ordered migrations, each recorded in `_sqlite_migrations` once applied.

A migration is frozen once released: it uses only SQL and the standard library, never the
package's live code, so a database made by any release still migrates after the code moves on.
`schema.ensure_schema` applies every pending one in a single transaction (sqlite-utils'
executescript runs a script's statements inside it rather than committing first). The compact
store (m013) is long enough to live in its own module, `compact.py`.
One exception: m011 publishes recorded URLs through today's `redact` rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from .compact import m013_compact_store

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "stp_tracker"

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


def m001_initial(db: Database) -> None:
    """The first shape of every table."""
    db.executescript(TABLES_SQL)


def m002_boundaries(db: Database) -> None:
    """Area boundaries (GeoJSON) for the map, replaced whole by each fetch of their source."""
    db.executescript(
        """
        create table boundaries (
            code text primary key references organisations(code), name text,
            geometry text not null, source text not null, fetch_id integer references fetches(id)
        );
        """,
    )


def m003_fetch_replay(db: Database) -> None:
    """Remember an ingest's --as-of date and when its releases were applied, so a rebuild
    can replay it with the same dates and the same system time."""
    db.execute("alter table fetches add column as_of text")
    db.execute("alter table fetches add column applied_at text")


def m004_statement_runs(db: Database) -> None:
    """Keep what releases stated as runs of consecutive releases, not one row per release:
    the same information in a fraction of the rows, and no write for an unchanged value.

    A run is a maximal stretch of a source's consecutive releases stating one value (by its
    comparison key) for an organisation's attribute; it keeps the first release's statement
    and fetch, and its `last` is null when it reaches the source's newest release.
    """
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
        """,
    )
    for (source,) in db.execute("select distinct source from releases").fetchall():
        dates = [
            row[0]
            for row in db.execute(
                "select effective from releases where source = ? order by effective", [source]
            )
        ]
        rows = db.execute(
            "select s.org_code, s.attribute, r.effective, s.value, s.value_key, s.value_num, "
            "s.publisher, s.note, r.fetch_id from statements s "
            "join releases r on r.id = s.release_id where r.source = ? "
            "order by s.org_code, s.attribute, r.effective",
            [source],
        ).fetchall()
        position = {date: index for index, date in enumerate(dates)}
        runs: list[list] = []
        for org, attribute, effective, value, key, num, publisher, note, fetch_id in rows:
            last = runs[-1] if runs else None
            if (
                last is not None
                and last[0:2] == [org, attribute]
                and last[4] == key
                and position[last[-1]] + 1 == position[effective]
            ):
                last[-1] = effective
                continue
            runs.append([org, attribute, value, num, key, publisher, note, effective, fetch_id,
                         effective])  # fmt: skip
        db.conn.executemany(
            "insert into statement_runs (source, org_code, attribute, value, value_num, "
            "value_key, publisher, note, first, fetch_id, last) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[source, *run[:-1], None if run[-1] == dates[-1] else run[-1]] for run in runs],
        )
    db.execute("drop table statements")


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
        """,
    )


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
        """,
    )


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
        """,
    )


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
        """,
    )


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
        """,
    )


def m010_unmatched_counts(db: Database) -> None:
    """Keep each unresolved name once per fetch with how often it occurred, instead of one
    row per occurrence (a large bad file added hundreds of thousands of rows)."""
    db.execute("alter table unmatched add column occurrences integer not null default 1")


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
        """,
    )


# In order; a function's name is its name in _sqlite_migrations, so names never change.
MIGRATIONS: list[Callable[[Database], None]] = [
    m001_initial,
    m002_boundaries,
    m003_fetch_replay,
    m004_statement_runs,
    m005_leaner_indexes,
    m006_reingest_skip,
    m007_news,
    m008_identity_over_time,
    m009_boundaries_by_source,
    m010_unmatched_counts,
    m011_public_urls,
    m012_registry_proposals,
    m013_compact_store,
]
