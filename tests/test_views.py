"""How SQLite reads the public views: a question about a few organisations reads only theirs.

`facts` and `changes` are unions over the compact storage; these tests pin that SQLite folds
them into the query that reads them (so a filter, join or subquery reaches each table's primary
key) rather than computing every row of the history first.
"""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from stp_tracker.model import Release, Statement
from stp_tracker.store.apply import apply_releases
from stp_tracker.store.schema import VIEWS, ensure_schema

ORGS = [f"E54{k:06d}" for k in range(1, 31)]
BANDS = ["Needs most improvement", "Making progress", "Advanced", "Outstanding"]


def statement(org: int, attribute: str, value: str, num: float | None = None) -> Statement:
    """A statement about the `org`-th organisation."""
    return Statement(ORGS[org], attribute, value, value.lower(), num)


def history_db(releases: int = 4) -> Database:
    """An in-memory database whose organisations have ratings, leaders and metrics over
    several releases and applies, some values changing, some ending."""
    db = Database(memory=True)
    ensure_schema(db)
    db.table("organisations").insert_all(
        [{"code": code, "name": f"Org {k}", "kind": "stp"} for k, code in enumerate(ORGS)]
    )
    for number in range(releases):
        stated = []
        for org in range(len(ORGS) - number):  # a complete source: the last ones end
            band = BANDS[(org + number * (org % 3)) % 4]
            stated += [
                statement(org, "rating.overall", band, float(BANDS.index(band) + 1)),
                statement(org, "leader.stp_lead", f"Lead {org}-{number // 2}"),
                statement(org, "metric.beds", str(100 + org * number), 100.0 + org * number),
            ]
        effective = f"2017-{number + 1:02d}-21"
        release = Release("dashboard", effective, True, tuple(stated))
        apply_releases(db, [release], now=f"2026-01-0{number + 1}T00:00:00+00:00")
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
