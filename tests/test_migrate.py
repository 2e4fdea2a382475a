"""Upgrading a database made by an earlier release: it opens, migrates in one transaction, and
every public table and view answers exactly as before.

tests/data/legacy-0.1.sql is a dump of a database the release before the compact store made
(tests/data/make_legacy_db.py, run at commit d91762f): the registry and reference facts with
events, a complete source with endings, a backfill, a correction and its undoing, a fact that
ends and returns, an unchanged re-ingest, a failed ingest, and a second source.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from stp_tracker.errors import StoreError
from stp_tracker.model import Release, Statement
from stp_tracker.store.apply import apply_releases, open_db
from stp_tracker.store.migrations import MIGRATIONS
from stp_tracker.store.schema import VIEWS, is_current, migrations, pending_migrations
from tests.conftest import snapshot

DUMP = Path(__file__).parent / "data" / "legacy-0.1.sql"
TABLES = ["organisations", "aliases", "lineage", "sources", "fetches", "releases", "events",
          "unmatched", "reported_counts", "proposals", "facts", "changes"]  # fmt: skip
NEW_COLUMNS = {"organisations": {"id"}, "releases": {"first_fetch_id"}}
RENUMBERED = {"facts": {"id"}}  # facts get new ids; changes keep theirs (feed entry ids)


def legacy(path: Path, script: str | None = None) -> Path:
    """A database file made from the dump (optionally edited first)."""
    conn = sqlite3.connect(path)
    conn.executescript(script if script is not None else DUMP.read_text(encoding="utf-8"))
    conn.close()
    return path


def answers(path: Path) -> dict[str, list]:
    """Every row of every public table and view, in a stable order, with the columns the
    dump's release had (added columns left out, renumbered ones too)."""
    conn = sqlite3.connect(path)
    found = {}
    for name in [*TABLES, *(v for v in VIEWS if v not in TABLES)]:
        columns = [row[1] for row in conn.execute(f"pragma table_info([{name}])")]
        skip = NEW_COLUMNS.get(name, set()) | RENUMBERED.get(name, set())
        listed = ", ".join(f"[{c}]" for c in columns if c not in skip)
        found[name] = sorted(conn.execute(f"select {listed} from [{name}]").fetchall(), key=repr)
    conn.close()
    return found


def test_the_dump_is_from_the_release_before(tmp_path: Path) -> None:
    """The dump is an old database (every migration before m013 applied) with every case the
    test needs."""
    conn = sqlite3.connect(legacy(tmp_path / "old.db"))
    assert pending_migrations(conn) == ["m013_compact_store"] and not is_current(conn)
    counts = dict(conn.execute(
        "select 'retired facts', count(*) from facts where retired_at is not null union all "
        "select 'endings', count(*) from changes where new_value is null union all "
        "select 'retired changes', count(*) from changes where retired_at is not null union all "
        "select 'sources', count(distinct source) from facts union all "
        "select 'events', count(*) from events"
    ).fetchall())  # fmt: skip
    assert all(counts.values()) and counts["sources"] == 3, counts


def test_an_old_database_migrates_and_answers_every_view_as_before(tmp_path: Path) -> None:
    """After opening, every public table and view gives the same rows (facts with new ids)."""
    path = legacy(tmp_path / "old.db")
    before = answers(path)
    open_db(path).close()
    conn = sqlite3.connect(path)
    assert pending_migrations(conn) == [] and is_current(conn)
    assert not {"statement_runs"} & {
        row[0] for row in conn.execute("select name from sqlite_master")
    }
    conn.close()
    after = answers(path)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], name


def test_a_migrated_database_keeps_recording_history(tmp_path: Path) -> None:
    """A new release records its changes beside the migrated history; applying it again
    records nothing."""
    db = open_db(legacy(tmp_path / "old.db"))
    db.table("fetches").insert({"id": 20, "source": "dashboard", "started_at": "x"})
    bands = {"Outstanding": 4.0, "Advanced": 3.0, "Making progress": 2.0}
    rows = [("E54000041", "Outstanding"), ("E54000010", "Advanced"), ("E54000005", "Advanced"),
            ("E54000006", "Making progress")]  # fmt: skip
    stated = tuple(
        Statement(org, "rating.overall", band, band, bands[band], "NHS England")
        for org, band in rows
    )
    release = Release("dashboard", "2019-01-01", True, stated, fetch_id=20)
    apply_releases(db, [release], now="2026-02-01T00:00:00+00:00")
    changed = db.execute(
        "select org_code, attribute, old_value, new_value, direction from changes "
        "where effective = '2019-01-01' and retired_at is null and kind = 'rating' "
        "order by org_code"
    ).fetchall()
    assert changed == [
        ("E54000006", "rating.overall", "Needs most improvement", "Making progress", "improved"),
        ("E54000010", "rating.overall", "Making progress", "Advanced", "improved"),
    ]
    ended = db.execute(
        "select count(*) from changes where effective = '2019-01-01' and new_value is null"
    ).fetchone()[0]
    assert ended == 9  # the leads, beds and recoded partnerships' codes it no longer states
    before = snapshot(db)
    apply_releases(db, [release], now="2026-03-01T00:00:00+00:00")
    assert snapshot(db) == before


def test_a_migration_that_fails_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    """A fact that names no release of its source stops the upgrade with a message; nothing
    of the migration is left behind."""
    dump = DUMP.read_text(encoding="utf-8")
    fact = next(
        line
        for line in dump.splitlines()
        if line.startswith('INSERT INTO "facts"') and "'2018-05-01',NULL," in line
    )
    script = dump.replace(fact, fact.replace("'2018-05-01',NULL,", "'2018-05-02',NULL,", 1))
    fails_and_stays(legacy(tmp_path / "old.db", script), ["m013_compact_store"])


def test_every_pending_migration_rolls_back_together(tmp_path: Path) -> None:
    """A database four migrations behind whose last migration fails keeps none of the four:
    the upgrade is one transaction, whatever each migration runs."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations().apply(db, stop_before="m007_news")
    db.execute("insert into organisations (code, name, kind) values ('E54000005', 'WY', 'stp')")
    db.execute("insert into releases (source, effective, complete, digest, recorded_at) "
               "values ('s', '2018-01-01', 1, '', 'x')")  # fmt: skip
    db.execute("insert into facts (org_code, attribute, value, value_key, valid_from, "
               "recorded_at, source) values ('E54000005', 'rating.overall', 'A', 'A', "
               "'2018-02-02', 'x', 's')")  # fmt: skip
    db.conn.commit()
    db.close()
    fails_and_stays(path, [m.__name__ for m in MIGRATIONS[6:]])


def fails_and_stays(path: Path, pending: list[str]) -> None:
    """Opening `path` fails naming the fact without a release, and leaves its shape, and the
    migrations still pending, exactly as they were."""
    shape = "select type, name, sql from sqlite_master order by name"
    with sqlite3.connect(path) as conn:
        before = conn.execute(shape).fetchall()
    with pytest.raises(StoreError, match="not one of its releases"):
        open_db(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute(shape).fetchall() == before
        assert pending_migrations(conn) == pending
