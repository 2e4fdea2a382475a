"""The store's six rules, each pinned by its own tests, plus property tests with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from stp_tracker.errors import StoreError
from stp_tracker.model import Event, Release, Statement
from stp_tracker.store.apply import apply_releases, release_digest
from stp_tracker.store.schema import ensure_schema
from tests.conftest import snapshot

ORGS = ["E54000005", "E54000006", "E54000007", "E54000008"]
BANDS = {"Needs most improvement": 1.0, "Making progress": 2.0, "Advanced": 3.0, "Outstanding": 4.0}
T1, T2, T3 = "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00"


def memory_db() -> Database:
    """An in-memory database with the schema and a few organisations."""
    db = Database(memory=True)
    ensure_schema(db)
    db.table("organisations").insert_all(
        [{"code": code, "name": f"Org {code[-2:]}", "kind": "stp"} for code in ORGS]
    )
    return db


def rating(org: str, band: str, publisher: str | None = None) -> Statement:
    """A rating statement in normalised form."""
    return Statement(org, "rating.overall", band, band, BANDS[band], publisher)


def release(effective: str, *statements: Statement, complete: bool = False,
            source: str = "s") -> Release:  # fmt: skip
    """A release of source `source`."""
    return Release(source, effective, complete, tuple(statements))


def believed(db: Database) -> list[tuple]:
    """The valid-time history the database believes now (what order-independence compares)."""
    return db.execute(
        "select source, org_code, attribute, value, valid_from, valid_to from facts "
        "where retired_at is null order by 1, 2, 3, 5"
    ).fetchall()


def believed_changes(db: Database) -> list[tuple]:
    """The changes the database believes now."""
    return db.execute(
        "select source, org_code, attribute, old_value, new_value, effective, direction "
        "from changes where retired_at is null order by 1, 2, 3, 6, 4"
    ).fetchall()


def counts(db: Database) -> tuple[int, int]:
    """Rows in facts and changes, retired or not."""
    return db["facts"].count, db["changes"].count


# Rule 1: idempotent


def test_applying_the_same_release_twice_records_nothing_new() -> None:
    """Re-applying an identical release adds no facts or changes and retires nothing."""
    db = memory_db()
    first = release("2017-07-21", rating(ORGS[0], "Advanced"), rating(ORGS[1], "Outstanding"))
    apply_releases(db, [first], now=T1)
    before = snapshot(db)
    result = apply_releases(db, [first], now=T2)
    assert snapshot(db) == before
    assert (result.unchanged_releases, result.facts_recorded, result.changes_recorded) == (1, 0, 0)


def test_a_later_release_restating_values_is_not_a_change() -> None:
    """A new release that repeats known values extends history without a change row."""
    db = memory_db()
    apply_releases(db, [release("2017-07-21", rating(ORGS[0], "Advanced"))], now=T1)
    apply_releases(db, [release("2017-10-01", rating(ORGS[0], "Advanced"))], now=T2)
    assert believed(db) == [("s", ORGS[0], "rating.overall", "Advanced", "2017-07-21", None)]
    assert believed_changes(db) == [
        ("s", ORGS[0], "rating.overall", None, "Advanced", "2017-07-21", None)
    ]


# Rule 2: order-independent


def test_backfilling_an_older_release_gives_the_history_in_date_order() -> None:
    """An older release applied last yields the changes that history implies, not arrival order."""
    db = memory_db()
    apply_releases(db, [release("2018-01-01", rating(ORGS[0], "Advanced"))], now=T1)
    apply_releases(db, [release("2017-07-21", rating(ORGS[0], "Making progress"))], now=T2)
    assert believed(db) == [
        ("s", ORGS[0], "rating.overall", "Making progress", "2017-07-21", "2018-01-01"),
        ("s", ORGS[0], "rating.overall", "Advanced", "2018-01-01", None),
    ]
    assert believed_changes(db) == [
        ("s", ORGS[0], "rating.overall", None, "Making progress", "2017-07-21", None),
        ("s", ORGS[0], "rating.overall", "Making progress", "Advanced", "2018-01-01", "improved"),
    ]
    retired = db.execute(
        "select old_value, new_value, effective, retired_at from changes "
        "where retired_at is not null"
    ).fetchall()
    assert retired == [(None, "Advanced", "2018-01-01", T2)]


def test_a_backfill_between_two_equal_values_splits_the_interval() -> None:
    """A, then A two releases later, then B backfilled between them: A, B, A."""
    db = memory_db()
    apply_releases(db, [release("2017-01-01", rating(ORGS[0], "Advanced"))], now=T1)
    apply_releases(db, [release("2019-01-01", rating(ORGS[0], "Advanced"))], now=T1)
    apply_releases(db, [release("2018-01-01", rating(ORGS[0], "Outstanding"))], now=T2)
    assert [row[3:] for row in believed(db)] == [
        ("Advanced", "2017-01-01", "2018-01-01"),
        ("Outstanding", "2018-01-01", "2019-01-01"),
        ("Advanced", "2019-01-01", None),
    ]
    assert [row[3:] for row in believed_changes(db)] == [
        (None, "Advanced", "2017-01-01", None),
        ("Advanced", "Outstanding", "2018-01-01", "improved"),
        ("Outstanding", "Advanced", "2019-01-01", "declined"),
    ]


band_names = st.sampled_from(sorted(BANDS))
leaders = st.sampled_from([None, "Ann Lee", "Bo Kay"])
statements = st.dictionaries(
    st.sampled_from(ORGS), st.tuples(band_names | st.none(), leaders), max_size=len(ORGS)
)
release_strategy = st.tuples(
    st.sampled_from(["2017-01-01", "2017-07-21", "2018-03", "2019-01-01", "2020"]),
    statements,
    st.booleans(),
    st.sampled_from(["s", "t"]),
    st.booleans(),
)
_ROWS: dict[tuple, tuple[Statement, ...]] = {}


def build(spec: tuple[str, dict[str, tuple[str | None, str | None]], bool, str, bool]) -> Release:
    """A release from a hypothesis-drawn (effective, {org: (band, lead)}, complete, source,
    grouped). A grouped release also carries its rows by organisation, as the parser gives
    them: an equal row is the identical tuple, the shortcut the store takes for unchanged rows.
    """
    effective, rows, complete, source, grouped = spec
    by_org = {}
    for org, (band, lead) in sorted(rows.items()):
        row = (rating(org, band),) if band else ()
        if lead:
            row += (Statement(org, "leader.chair", lead, lead.casefold()),)
        by_org[org] = _ROWS.setdefault((org, band, lead), row)
    statements = tuple(s for row in by_org.values() for s in row)
    return Release(source, effective, complete, statements, by_org=by_org if grouped else None)


def final_versions(sequence: list[Release]) -> list[Release]:
    """The last version of each (source, effective) release: what corrections leave standing."""
    latest = {(r.source, r.effective): r for r in sequence}
    return [latest[key] for key in sorted(latest)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(release_strategy, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_any_order_of_releases_gives_the_same_valid_time_history(specs, rnd) -> None:
    """Applying releases (with corrections) in any order, one per run or all at once, gives the
    history of applying the final version of each release in date order."""
    sequence = [build(spec) for spec in specs]
    expected_db = memory_db()
    for item in final_versions(sequence):
        apply_releases(expected_db, [item], now=T1)
    shuffled = final_versions(sequence)
    rnd.shuffle(shuffled)
    in_arrival_order = memory_db()
    for item in sequence:  # corrections arrive after what they correct
        apply_releases(in_arrival_order, [item], now=T2)
    shuffled_db = memory_db()
    for item in shuffled:
        apply_releases(shuffled_db, [item], now=T2)
    batch_db = memory_db()
    apply_releases(batch_db, shuffled, now=T3)
    for other in (in_arrival_order, shuffled_db, batch_db):
        assert believed(other) == believed(expected_db)
        assert believed_changes(other) == believed_changes(expected_db)


@settings(max_examples=100, deadline=None)
@given(st.lists(release_strategy, min_size=1, max_size=6))
def test_reapplying_every_release_records_nothing(specs) -> None:
    """After any sequence, applying all final versions again adds no rows at all."""
    db = memory_db()
    sequence = [build(spec) for spec in specs]
    for item in sequence:
        apply_releases(db, [item], now=T1)
    before = snapshot(db)
    apply_releases(db, final_versions(sequence), now=T2)
    assert snapshot(db) == before


# Rule 3: corrections are history too


def test_a_correction_changes_valid_time_but_keeps_the_old_belief() -> None:
    """A republished release with a corrected value retires the old fact at the correction time."""
    db = memory_db()
    apply_releases(db, [release("2017-07-21", rating(ORGS[0], "Advanced"))], now=T1)
    apply_releases(db, [release("2017-07-21", rating(ORGS[0], "Outstanding"))], now=T2)
    assert [row[3] for row in believed(db)] == ["Outstanding"]
    believed_then = db.execute(
        "select value from facts "
        "where recorded_at <= :d and (retired_at is null or retired_at > :d)",
        {"d": "2026-01-15"},
    ).fetchall()
    assert believed_then == [("Advanced",)]
    assert believed_changes(db) == [
        ("s", ORGS[0], "rating.overall", None, "Outstanding", "2017-07-21", None)
    ]


def test_a_correction_that_drops_an_organisation_ends_only_its_claim() -> None:
    """Correcting a release so it no longer mentions an organisation retires that statement."""
    db = memory_db()
    apply_releases(
        db, [release("2017-07-21", rating(ORGS[0], "Advanced"), rating(ORGS[1], "Advanced"))],
        now=T1,
    )  # fmt: skip
    apply_releases(db, [release("2017-07-21", rating(ORGS[0], "Advanced"))], now=T2)
    assert [row[1] for row in believed(db)] == [ORGS[0]]


# Rule 4: absence is not deletion unless the source is complete


@pytest.mark.parametrize(
    ("complete", "expected_to", "expected_changes"),
    [
        (False, None, [(None, "Advanced", "2017-07-21")]),
        (True, "2018-01-01", [(None, "Advanced", "2017-07-21"), ("Advanced", None, "2018-01-01")]),
    ],
)
def test_absence_ends_a_fact_only_for_a_complete_source(complete, expected_to, expected_changes):
    """An organisation missing from a later release ends its facts only for a complete source."""
    db = memory_db()
    apply_releases(
        db, [release("2017-07-21", rating(ORGS[0], "Advanced"), rating(ORGS[1], "Outstanding"),
                     complete=complete)], now=T1,
    )  # fmt: skip
    apply_releases(
        db, [release("2018-01-01", rating(ORGS[1], "Outstanding"), complete=complete)], now=T2
    )
    facts = {row[1]: row[4:] for row in believed(db)}
    assert facts[ORGS[0]] == ("2017-07-21", expected_to)
    assert facts[ORGS[1]] == ("2017-07-21", None)
    org0 = [row[3:6] for row in believed_changes(db) if row[1] == ORGS[0]]
    assert org0 == expected_changes


# Rule 5: all or nothing


def test_a_release_that_fails_leaves_the_database_exactly_as_it_was() -> None:
    """A batch whose last release names an unknown organisation is refused entirely."""
    db = memory_db()
    apply_releases(db, [release("2017-07-21", rating(ORGS[0], "Advanced"))], now=T1)
    before = snapshot(db)
    bad = [
        release("2018-01-01", rating(ORGS[0], "Outstanding")),
        release("2018-01-01", rating("E99999999", "Advanced"), source="other"),
    ]
    with pytest.raises(StoreError, match="refused"):
        apply_releases(db, bad, now=T2)
    assert snapshot(db) == before


def test_a_failure_inside_a_release_rolls_back_statements_already_written(tmp_path) -> None:
    """A database error part-way through (a locked table) leaves a real file unchanged."""
    path = tmp_path / "t.db"
    db = Database(path)
    ensure_schema(db)
    db.table("organisations").insert_all([{"code": c, "name": c, "kind": "stp"} for c in ORGS])
    apply_releases(db, [release("2017-07-21", rating(ORGS[0], "Advanced"))], now=T1)
    before = snapshot(db)
    db.execute(  # on the table a change of value is stored in (`changes` is a view over it)
        "create trigger no_changes before insert on change_records begin "
        "select raise(abort, 'changes are frozen'); end"
    )
    with pytest.raises(StoreError, match="frozen"):
        apply_releases(db, [release("2018-01-01", rating(ORGS[0], "Outstanding"))], now=T2)
    db.execute("drop trigger no_changes")
    assert snapshot(db) == before


# Rule 6: formatting is not change (values arrive normalised; keys decide equality)


def test_values_with_the_same_key_are_the_same_value() -> None:
    """Two spellings of one leader with one key make no change; the first spelling shows."""
    db = memory_db()
    first = Statement(ORGS[0], "leader.stp_lead", "Dr Amanda Doyle", "amanda doyle")
    second = Statement(ORGS[0], "leader.stp_lead", "Amanda Doyle OBE", "amanda doyle")
    apply_releases(db, [release("2017-01-01", first)], now=T1)
    apply_releases(db, [release("2018-01-01", second)], now=T2)
    assert [row[3:] for row in believed(db)] == [("Dr Amanda Doyle", "2017-01-01", None)]
    assert len(believed_changes(db)) == 1


# Other behaviour


def test_sources_keep_separate_histories_and_conflicts_are_visible() -> None:
    """Two sources disagreeing about the same time both keep their facts; the view shows it."""
    db = memory_db()
    apply_releases(
        db,
        [
            release("2017-07-21", rating(ORGS[0], "Advanced"), source="a"),
            release("2017-07-21", rating(ORGS[0], "Making progress"), source="b"),
        ],
        now=T1,
    )
    assert len(believed(db)) == 2
    conflicts = db.execute(
        "select org_code, source_a, value_a, source_b, value_b from source_conflicts"
    ).fetchall()
    assert conflicts == [(ORGS[0], "a", "Advanced", "b", "Making progress")]


def test_events_are_kept_beside_facts_and_never_duplicated() -> None:
    """Events are stored once, appear in leadership_history, and change no fact."""
    db = memory_db()
    event = Event(ORGS[0], "leader.stp_lead", "leaving", "2017-07-21", "LGC", None)
    item = Release("s", "2017-07-21", False, (), (event,))
    apply_releases(db, [item], now=T1)
    apply_releases(db, [Release("s", "2017-07-22", False, (), (event,))], now=T2)
    assert db["events"].count == 1
    assert db["facts"].count == 0
    rows = db.execute("select type, what from leadership_history").fetchall()
    assert rows == [("event", "leaving")]


@pytest.mark.parametrize(
    ("value", "key", "num"),
    [
        ("523.4", "523.4", 523.4),
        ("1,234", "1234", 1234.0),
        ("0.1", "0.1", 0.1),
        ("2.675", "2.675", 2.675),
        ("12345678901234567", "1.2345678901234568e+16", 1.2345678901234568e16),
        ("Dr Ann Lee", "ann lee", None),
        ("Anne O’Neill", "anne oneill", None),
        ("ÉCOLE", "école", None),
        ("Advanced", "Advanced", 3.0),
        ("—", "", None),
    ],
)
def test_a_value_reads_back_exactly_as_stated(value: str, key: str, num: float | None) -> None:
    """However a value is stored (its key and number kept, or recomputed from its text), the
    facts give back the statement's value, key and number exactly."""
    db = memory_db()
    statement = Statement(ORGS[0], "metric.beds", value, key, num)
    apply_releases(db, [release("2017-07-21", statement)], now=T1)
    row = db.execute("select value, value_key, value_num from facts").fetchone()
    assert row == (value, key, num)
    assert type(row[2]) is type(num)


def test_a_release_digest_is_what_earlier_versions_stored() -> None:
    """A release is known by the digest of what it states, and stored databases hold the
    digests earlier versions computed: the same statements must give the same digest (these
    were computed before the row hashes were batched), or every stored release would look
    changed to an upgraded program."""
    stated = (
        Statement("E54000005", "rating.overall", "Advanced", "Advanced", 3.0, "NHS England"),
        Statement("E54000005", "leader.lead", "Dr Ann Lee", "ann lee", None, "NHS England",
                  "interim"),
        Statement("E54000006", "metric.beds", "1,200", "1200", 1200.0),
    )  # fmt: skip
    rows = {"E54000005": stated[:2], "E54000006": stated[2:]}
    by_statement = Release("dashboard", "2017-07-21", True, stated)
    by_row = Release("dashboard", "2017-07-21", True, stated, by_org=rows)
    assert release_digest(by_statement) == "0f3fa9f38139ace5-3-1"
    assert release_digest(by_row) == "7639dcf67e512809-2-1"
