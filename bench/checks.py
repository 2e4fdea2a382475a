"""What the bench checks and times in-process: row counts a no-op must leave alone, the
believed changes against the files, and the read questions."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from .measure import Report, median_ms
from .workload import SOURCE, Workload, expected_change_counts

CHANGES_OF_RELEASE = (
    "select c.effective, c.org_code, o.name, c.kind, c.attribute, c.old_value, c.new_value, "
    "c.direction, c.source, c.publisher, c.recorded_at "
    "from changes c join organisations o on o.code = c.org_code "
    "where c.effective = ? and c.retired_at is null "
    "order by c.org_code, c.attribute, c.id"
)


def counts(db_path: Path) -> dict[str, int]:
    """Row counts that a no-op ingest must leave alone."""
    with sqlite3.connect(db_path) as conn:
        return {
            name: conn.execute(sql).fetchone()[0]
            for name, sql in {
                "facts": "select count(*) from facts",
                "facts retired": "select count(*) from facts where retired_at is not null",
                "changes": "select count(*) from changes",
                "changes retired": "select count(*) from changes where retired_at is not null",
                "stored versions": "select count(*) from fact_versions",
                "fact groups": "select count(*) from fact_groups",
                "change records": "select count(*) from change_records",
                "applies": "select count(*) from applies",
                "releases": "select count(*) from releases",
                "organisations": "select count(*) from organisations",
            }.items()
        }


def recorded_change_counts(db_path: Path) -> dict[str, Counter[str]]:
    """Believed changes of the bench source, per effective date and kind."""
    found: dict[str, Counter[str]] = {}
    with sqlite3.connect(db_path) as conn:
        for effective, kind, number in conn.execute(
            "select effective, kind, count(*) from changes "
            "where source = ? and retired_at is null group by effective, kind",
            [SOURCE],
        ):
            found.setdefault(effective, Counter())[kind] = number
    return found


def check_changes(report: Report, workload: Workload, db_path: Path) -> None:
    """Believed changes against what the CSVs imply, in total and for the last release."""
    expected = expected_change_counts(workload)
    recorded = recorded_change_counts(db_path)
    total_expected = sum(sum(c.values()) for c in expected.values())
    total_recorded = sum(sum(c.values()) for c in recorded.values())
    sign = "=" if total_recorded == total_expected else "!="
    report.check(
        total_recorded == total_expected,
        f"changes recorded {total_recorded} {sign} expected {total_expected}",
    )
    if total_expected != workload.planned_changes:  # the generator disagrees with its own files
        report.check(
            False,
            f"workload self-check: CSVs imply {total_expected}, generator planned "
            f"{workload.planned_changes}",
        )
    last = workload.last_period
    last_expected = sum(expected.get(last, Counter()).values())
    last_recorded = sum(recorded.get(last, Counter()).values())
    report.check(
        last_expected == last_recorded,
        f"changes of last release ({last}) recorded {last_recorded} "
        f"{'=' if last_expected == last_recorded else '!='} expected {last_expected}",
    )
    if recorded != expected:
        for period in sorted(expected.keys() | recorded.keys()):
            want, got = expected.get(period, Counter()), recorded.get(period, Counter())
            if want != got:
                report.info(f"  differs at {period}: expected {dict(want)}, recorded {dict(got)}")


def time_queries(report: Report, workload: Workload, db_path: Path) -> None:
    """The read side, in-process on a warmed connection: median of QUERY_RUNS calls."""
    from sqlite_utils import Database

    from stp_tracker.store.queries import history_of

    db = Database(db_path)
    try:
        org = workload.sample_org
        report.figure("history_org_ms", median_ms(lambda: history_of(db, org)), f"({org})")
        last = workload.last_period
        rows = db.execute(CHANGES_OF_RELEASE, [last]).fetchall()
        report.figure(
            "changes_last_release_ms",
            median_ms(lambda: db.execute(CHANGES_OF_RELEASE, [last]).fetchall()),
            f"({len(rows)} rows)",
        )
        ratings = db.execute("select * from current_ratings").fetchall()
        report.figure(
            "current_ratings_ms",
            median_ms(lambda: db.execute("select * from current_ratings").fetchall(), runs=9),
            f"({len(ratings)} rows)",
        )
    finally:
        db.close()
