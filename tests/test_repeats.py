"""Rows that repeat an organisation, and files whose every unresolved name is reported at once.

A trust-to-STP lookup names each STP once per trust (the trust columns unmapped): rows that
agree collapse into one statement; rows that disagree are an error naming both rows, unless
the source says how to combine them (`aggregate = "sum"` adds up metrics, `"last"` keeps the
last row's value). A file with several unresolved names, an ambiguous code and a bad date
reports all of its name problems in one run.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from stp_tracker.cli import main
from stp_tracker.config.loading import load_config
from stp_tracker.errors import ConfigError
from stp_tracker.extract.normalise import number, person
from stp_tracker.extract.repeats import combine
from stp_tracker.model import Statement
from stp_tracker.store.apply import open_db
from tests.conftest import snapshot, write_config

LOOKUP = """
[[source]]
name = "trust-lookup"
title = "Trusts and the STP each belongs to"
format = "csv"
entity = "stp"
publisher = "NHS England"
{keys}

[source.columns]
STP_CODE = "org.code"
STP_NAME = "org.name"
STP_LEAD = "leader.stp_lead"
TRUST_BEDS = "metric.beds"
"""
DATED = 'effective = "2017-07-21"'
HEADER = ["TRUST_CODE", "TRUST_NAME", "STP_CODE", "STP_NAME", "STP_LEAD", "TRUST_BEDS"]
# Each STP once per trust; the STP's own columns repeat, spelled a little differently.
TRUSTS = [
    ["RDZ", "The Royal Bournemouth and Christchurch Hospitals", "E54000041", "Dorset",
     "Tim Goodson", "700"],
    ["RBD", "Dorset County Hospital", "E54000041", "Dorset", "Mr Tim Goodson", "400"],
    ["RD3", "Poole Hospital", "E54000041", "DORSET", "", "550.5"],
    ["RJE", "University Hospitals of North Midlands", "E54000010", "Staffordshire",
     "Simon Whitehouse", "1,400"],
    ["RLY", "North Staffordshire Combined Healthcare", "E54000010", "Staffordshire",
     "Simon Whitehouse", "120"],
    ["RR8", "Leeds Teaching Hospitals", "E54000005", "West Yorkshire", "Rob Webster CBE", "2000"],
]  # fmt: skip


def statement(attribute: str, raw: str) -> Statement:
    """A statement of Dorset's `attribute`, normalised as extraction would."""
    value, key, value_num = number(raw) if attribute.startswith("metric.") else person(raw)
    return Statement("E54000041", attribute, value, key, value_num)


@pytest.mark.parametrize(
    ("how", "first", "second", "expected"),
    [
        (None, [("leader.stp_lead", "Tim Goodson")], [("leader.stp_lead", "Dr Tim Goodson")],
         [("leader.stp_lead", "Tim Goodson")]),
        (None, [("leader.stp_lead", "Tim Goodson")], [("metric.beds", "5")],
         [("leader.stp_lead", "Tim Goodson"), ("metric.beds", "5")]),
        (None, [("metric.beds", "5")], [("metric.beds", "5.0")], [("metric.beds", "5")]),
        ("sum", [("metric.beds", "1,200")], [("metric.beds", "0.5")], [("metric.beds", "1200.5")]),
        ("sum", [("leader.stp_lead", "Tim Goodson"), ("metric.beds", "2")],
         [("leader.stp_lead", "Tim Goodson OBE"), ("metric.beds", "3")],
         [("leader.stp_lead", "Tim Goodson"), ("metric.beds", "5")]),
        ("last", [("leader.stp_lead", "Tim Goodson"), ("metric.beds", "2")],
         [("leader.stp_lead", "Jane Smith")],
         [("leader.stp_lead", "Jane Smith"), ("metric.beds", "2")]),
    ],
)  # fmt: skip
def test_rows_that_agree_or_declare_how_combine(how, first, second, expected) -> None:
    """Agreeing values keep the first row's spelling; a blank states nothing; "sum" adds up
    metrics; "last" keeps the last row's value of each attribute."""
    kept = tuple(statement(a, raw) for a, raw in first)
    new = tuple(statement(a, raw) for a, raw in second)
    merged, clash = combine(kept, new, how)
    assert clash is None
    assert [(s.attribute, s.value) for s in merged] == expected


@pytest.mark.parametrize(
    ("how", "attribute", "a", "b"),
    [
        (None, "leader.stp_lead", "Tim Goodson", "Jane Smith"),
        (None, "metric.beds", "5", "6"),
        ("sum", "leader.stp_lead", "Tim Goodson", "Jane Smith"),
    ],
)
def test_rows_that_disagree_clash(how, attribute, a, b) -> None:
    """Different values of one attribute, with no rule that combines them, are a clash."""
    merged, clash = combine((statement(attribute, a),), (statement(attribute, b),), how)
    assert clash is not None
    assert (clash.attribute, clash.kept.value, clash.new.value) == (attribute, a, b)
    assert [s.value for s in merged] == [a]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.decimals(min_value=-(10**9), max_value=10**9, places=3), min_size=1, max_size=12)
)
def test_sum_adds_any_metrics_exactly_in_any_order(values: list[Decimal]) -> None:
    """Summing repeated rows' metrics is exact and does not depend on the order of the rows."""
    texts = [str(v) for v in values]
    totals = set()
    for order in (texts, list(reversed(texts))):
        merged = (statement("metric.beds", order[0]),)
        for text in order[1:]:
            merged, clash = combine(merged, (statement("metric.beds", text),), "sum")
            assert clash is None
        totals.add(merged[0].value_key)
    assert totals == {number(str(sum(values)))[1]}


# Through the command line ------------------------------------------------------------------------


@pytest.fixture
def lookup(tmp_path: Path):
    """Run the CLI with a trust-lookup source (with extra `keys` lines) on a fresh database."""
    runner = CliRunner()

    def invoke(*args: str, keys: str = ""):
        config = write_config(tmp_path / "config")
        with (config / "sources.toml").open("a", encoding="utf-8") as handle:
            handle.write(LOOKUP.format(keys=keys))
        env = {"STP_TRACKER_DB": str(tmp_path / "stp.db"), "STP_TRACKER_CONFIG": str(config)}
        return runner.invoke(main, list(args), env=env)

    invoke.db_path = tmp_path / "stp.db"  # type: ignore[attr-defined]
    assert invoke("init").exit_code == 0
    return invoke


def write_lookup(path: Path, rows: list[list[str]]) -> Path:
    """A trust-to-STP lookup CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def facts(db_path: Path) -> list[tuple]:
    """The lookup's facts."""
    return (
        open_db(db_path)
        .execute(
            "select org_code, attribute, value from facts where source = 'trust-lookup' "
            "order by org_code, attribute"
        )
        .fetchall()
    )


def test_a_lookup_that_repeats_each_stp_per_trust_states_each_once(lookup, tmp_path) -> None:
    """Rows that agree (after normalisation) are one statement per STP, the first row's."""
    path = write_lookup(tmp_path / "lookup.csv", [[*row[:5], ""] for row in TRUSTS])
    result = lookup("ingest", "trust-lookup", str(path), keys=DATED)
    assert result.exit_code == 0, result.output
    assert "6 rows, 1 release(s) applied" in result.output
    assert [fact for fact in facts(lookup.db_path) if fact[1] != "org.code"] == [
        ("E54000005", "leader.stp_lead", "Rob Webster CBE"),
        ("E54000010", "leader.stp_lead", "Simon Whitehouse"),
        ("E54000041", "leader.stp_lead", "Tim Goodson"),
    ]


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [
        ('aggregate = "sum"', {"E54000041": "1650.5", "E54000010": "1520", "E54000005": "2000"}),
        ('aggregate = "last"', {"E54000041": "550.5", "E54000010": "120", "E54000005": "2000"}),
    ],
)
def test_a_declared_aggregate_combines_the_metrics(lookup, tmp_path, aggregate, expected) -> None:
    """ "sum" adds up each STP's trusts; "last" keeps the last trust's figure."""
    path = write_lookup(tmp_path / "lookup.csv", TRUSTS)
    keys = f'effective = "2017-07-21"\n{aggregate}'
    result = lookup("ingest", "trust-lookup", str(path), keys=keys)
    assert result.exit_code == 0, result.output
    beds = {
        org: value for org, attribute, value in facts(lookup.db_path) if attribute == "metric.beds"
    }
    assert beds == expected


def test_rows_that_disagree_name_both_rows_and_change_nothing(lookup, tmp_path) -> None:
    """Undeclared metrics that differ between a STP's rows fail naming both rows; nothing moves."""
    path = write_lookup(tmp_path / "lookup.csv", TRUSTS)
    before = snapshot(open_db(lookup.db_path))
    result = lookup("ingest", "trust-lookup", str(path), keys=DATED)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert (
        "lookup.csv: row 3: field 'TRUST_BEDS': Dorset (E54000041) is on rows 2 and 3 of the "
        "release of 2017-07-21 with different values of metric.beds: '700' and '400'"
    ) in result.stderr
    assert 'aggregate = "sum"' in result.stderr
    assert snapshot(open_db(lookup.db_path)) == before


def test_an_unknown_aggregate_is_a_config_error(tmp_path) -> None:
    """aggregate accepts only "sum" and "last", and says so."""
    config = write_config(tmp_path / "config")
    with (config / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write(LOOKUP.format(keys='aggregate = "mean"'))
    with pytest.raises(ConfigError, match=r"aggregate = 'mean'; expected \"sum\""):
        load_config(config, environ={})


def test_every_unresolved_name_of_a_file_is_reported_in_one_run(lookup, tmp_path) -> None:
    """Three unknown names, an ambiguous code and a bad date: one run lists every name problem
    (the error names the first and counts the rest; `unmatched` keeps them all) and the bad
    row; only fetches and unmatched change."""
    for code in ("E54000041", "E54000010"):  # a code two organisations answer to
        assert lookup("alias", "add", "ZZ1", code).exit_code == 0
    rows = [
        ["R1", "A trust", "", "Atlantis", "", "", "2017-07-21"],
        ["R2", "B trust", "ZZ1", "", "", "", "2017-07-21"],
        ["R3", "C trust", "E54000041", "Dorset", "", "", "31/02/2017"],
        ["R4", "D trust", "", "Lyonesse", "", "", "2017-07-21"],
        ["R5", "E trust", "E54000005", "West Yorkshire", "", "", "2017-07-21"],
        ["R6", "F trust", "", "Ys", "", "", "2017-07-21"],
    ]
    path = tmp_path / "lookup.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([[*HEADER, "PERIOD"], *rows])
    before = snapshot(open_db(lookup.db_path))
    result = lookup("ingest", "trust-lookup", str(path), keys='effective_column = "PERIOD"')
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    error = result.stderr
    assert error.startswith("error: lookup.csv: row 2: field 'STP_NAME': 'Atlantis' matches no stp")
    assert "(and 3 more unresolved names: 'ZZ1' (row 3); 'Lyonesse' (row 5); 'Ys' (row 7)" in error
    assert "also 1 row could not be read, the first: row 4: field 'PERIOD'" in error
    db = open_db(lookup.db_path)
    unmatched = db.execute("select name, row, candidates from unmatched order by row").fetchall()
    assert [(name, row) for name, row, _ in unmatched] == [
        ("Atlantis", 2), ("ZZ1", 3), ("Lyonesse", 5), ("Ys", 7),
    ]  # fmt: skip
    assert {c["code"] for c in json.loads(unmatched[1][2])} == {"E54000041", "E54000010"}
    assert snapshot(db) == before
