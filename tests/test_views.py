"""How SQLite reads the public views: a question about a few organisations reads only theirs.

`facts` and `changes` are unions over the compact storage; these tests pin that SQLite folds
them into the query that reads them (so a filter, join or subquery reaches each table's primary
key) rather than computing every row of the history first.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from sqlite_utils import Database

from stp_tracker.model import Release, Statement
from stp_tracker.publish.sqlfunctions import register_functions
from stp_tracker.store.apply import apply_releases
from stp_tracker.store.schema import VIEWS, ensure_schema

ORGS = [f"E54{k:06d}" for k in range(1, 61)]
BANDS = ["Needs most improvement", "Making progress", "Advanced", "Outstanding"]


def statement(org: int, attribute: str, value: str, num: float | None = None) -> Statement:
    """A statement about the `org`-th organisation."""
    return Statement(ORGS[org], attribute, value, value.lower(), num)


def release(number: int, orgs: int = len(ORGS), turn: int = 0) -> Release:
    """The `number`-th monthly release of a complete source stating the first `orgs`
    organisations' rating, leader and beds; `turn` shifts the values (a correction)."""
    stated = []
    for org in range(orgs):
        band = BANDS[(org + number * (org % 3) + turn) % 4]
        stated += [
            statement(org, "rating.overall", band, float(BANDS.index(band) + 1)),
            statement(org, "leader.stp_lead", f"Lead {org}-{(number + turn) // 2}"),
            statement(org, "metric.beds", str(100 + org * number), 100.0 + org * number),
        ]
    return Release("dashboard", f"2017-{number + 1:02d}-21", True, tuple(stated))


def history_db() -> Database:
    """An in-memory database whose organisations have ratings, leaders and metrics over several
    releases and applies: a backfill of three releases at once, then one release at a time,
    some values changing, some organisations left out (ended), and a correction of an old
    release (retiring what it had said)."""
    db = Database(memory=True)
    ensure_schema(db)
    db.table("organisations").insert_all(
        [{"code": code, "name": f"Org {k}", "kind": "stp"} for k, code in enumerate(ORGS)]
    )
    apply_releases(db, [release(0), release(1), release(2)], now="2026-01-01T00:00:00+00:00")
    for number in range(3, 6):
        now = f"2026-01-0{number}T00:00:00+00:00"
        apply_releases(db, [release(number, len(ORGS) - number)], now=now)
    apply_releases(db, [release(1, turn=1)], now="2026-01-09T00:00:00+00:00")
    return db


@pytest.fixture(scope="module")
def db() -> Database:
    """One history shared by the tests that only read it."""
    return history_db()


def plan(db: Database, sql: str) -> list[str]:
    """The steps of SQLite's plan for `sql` (:c is an organisation's code)."""
    return [row[3] for row in db.execute(f"explain query plan {sql}", {"c": ORGS[3]}).fetchall()]


@pytest.mark.parametrize("view", ["facts", "changes"])
@pytest.mark.parametrize(
    "where",
    [
        "org_code = :c",
        "org_code in (select code from organisations where code = :c)",
        "org_code in (select code from organisations where lower(name) = 'org 3' "
        "union select code from aliases where normalised = 'org 3')",
    ],
)
def test_a_question_about_one_organisation_reads_only_its_rows(
    db: Database, view: str, where: str
) -> None:
    """Filtering facts or changes by organisation, even through a subquery or a join,
    searches each storage table by its key instead of computing the whole view."""
    steps = plan(
        db,
        f"select v.*, o.name from {view} v join organisations o on o.code = v.org_code "
        f"where {where}",
    )
    assert not [step for step in steps if step.startswith(("MATERIALIZE", "CO-ROUTINE"))]
    storage = {"facts": ("v", "v", "g"), "changes": ("v", "g", "c")}[view]
    assert not [step for step in steps if step in {f"SCAN {table}" for table in storage}]
    for table in storage:
        assert any(step.startswith(f"SEARCH {table} USING PRIMARY KEY (org=?") for step in steps)


@pytest.mark.parametrize("view", sorted(set(VIEWS) - {"reported_band_counts"}))
def test_every_view_answers_one_organisation_as_it_answers_all(db: Database, view: str) -> None:
    """Folding the views into the query changes no answer: one organisation's rows, asked by
    code, are the rows of that organisation in the whole view."""
    columns = [c.name for c in db[view].columns]
    everything = db.execute(f"select * from {view}").fetchall()
    at = columns.index("org_code")
    for code in ORGS[:4]:
        one = db.execute(f"select * from {view} where org_code = ?", [code]).fetchall()
        assert sorted(one, key=repr) == sorted((r for r in everything if r[at] == code), key=repr)


def canned(name: str) -> str:
    """A canned query's SQL, as the package's datasette.yml states it."""
    text = (resources.files("stp_tracker.publish") / "datasette.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["databases"]["stp"]["queries"][name]["sql"]


@pytest.mark.parametrize("kind", ["", "rating", "leader", "metric", "none"])
def test_the_change_feed_is_the_latest_100_changes(db: Database, kind: str) -> None:
    """The feed, which finds its entries without reading the whole history, lists exactly the
    latest 100 believed changes (of one kind, if asked), newest recorded first."""
    register_functions(db.conn, 500_000, 1_000)
    latest = db.execute(
        "select c.id from changes c where c.retired_at is null and (:kind = '' or c.kind = :kind) "
        "order by c.recorded_at desc, c.id desc limit 100",
        {"kind": kind},
    ).fetchall()
    assert db.execute("select count(*) from changes where retired_at is not null").fetchone()[0]
    feed = db.execute(canned("change_feed"), {"kind": kind}).fetchall()
    assert [row[0] for row in feed] == [f"tag:stp-tracker,2017:change/{id_}" for (id_,) in latest]
    total = db.execute(
        "select count(*) from changes where retired_at is null and (:kind = '' or kind = :kind)",
        {"kind": kind},
    ).fetchone()[0]
    assert len(feed) == min(100, total) and (total > 100 or kind == "none")


@pytest.mark.parametrize("org", [ORGS[0], ORGS[-1], "Org 7", "nobody"])
def test_an_organisation_feed_is_every_change_to_it(db: Database, org: str) -> None:
    """One organisation's feed lists every believed change to it, newest recorded first."""
    register_functions(db.conn, 500_000, 1_000)
    expected = db.execute(
        "select c.id from changes c join organisations o on o.code = c.org_code "
        "where c.retired_at is null and (o.code = :org or o.name = :org) "
        "order by c.recorded_at desc, c.id desc",
        {"org": org},
    ).fetchall()
    feed = db.execute(canned("organisation_feed"), {"org": org}).fetchall()
    assert [row[0] for row in feed] == [f"tag:stp-tracker,2017:change/{i}" for (i,) in expected]
    assert bool(feed) == (org != "nobody")


# The plain definitions over `facts` that the current views answer faster.
CURRENT = {
    "current_ratings": """
        select f.org_code, o.name, o.kind, f.attribute, f.value as rating,
               f.value_num as band_rank, f.valid_from as rated_from, f.source, f.publisher,
               f.fetch_id
        from facts f join organisations o on o.code = f.org_code
        where f.attribute like 'rating.%' and f.retired_at is null and f.valid_to is null
          and coalesce(o.valid_from, '') <= date('now')
          and date('now') < coalesce(o.valid_to, '9999')""",
    "current_leaders": """
        select f.org_code, o.name, o.kind, substr(f.attribute, 8) as role, f.value as leader,
               f.valid_from as since, f.source, f.publisher, f.fetch_id
        from facts f join organisations o on o.code = f.org_code
        where f.attribute like 'leader.%' and f.retired_at is null and f.valid_to is null
          and coalesce(o.valid_from, '') <= date('now')
          and date('now') < coalesce(o.valid_to, '9999')""",
}


@pytest.mark.parametrize("view", sorted(CURRENT))
def test_the_current_views_are_the_believed_open_facts(view: str) -> None:
    """current_ratings and current_leaders, read from storage directly, are exactly the facts
    believed now that still hold, of organisations that exist today."""
    db = history_db()
    db.execute("update organisations set valid_to = '2020-01-01' where code = ?", [ORGS[5]])
    db.execute("update organisations set valid_from = '2999-01-01' where code = ?", [ORGS[6]])
    expected = sorted(db.execute(CURRENT[view]).fetchall(), key=repr)
    found = sorted(db.execute(f"select * from {view}").fetchall(), key=repr)
    assert found == expected and len(found) > len(ORGS) // 2
    codes = {row[0] for row in found}
    assert ORGS[0] in codes and ORGS[5] not in codes and ORGS[6] not in codes
