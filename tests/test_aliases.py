"""Reviewing and undoing aliases: `alias list [--origin fuzzy]` and `alias remove NAME CODE`.

A fuzzy match is kept as an alias for review; a person lists them, removes a wrong one, learns
which fetches relied on it, and `rebuild` re-resolves those fetches (stopping, not guessing,
when the name then matches nothing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_identity import PRESS, Tracker


@pytest.fixture
def reviewed(tmp_path: Path) -> Tracker:
    """A database where 'Lincolnshre' was fuzzy-matched by two press files (fetches 2 and 3)
    and 'Lincs' was added by hand."""
    tracker = Tracker(tmp_path)
    tracker.ingest("press", "a.csv", f"{PRESS}Lincolnshre,Advanced\n", "2017-07-21")
    tracker.ingest("press", "b.csv", f"{PRESS}Lincolnshre,Outstanding\nDorset,Advanced\n",
                   "2017-09-01")  # fmt: skip
    assert tracker.cli("alias", "add", "Lincs", "E54000013").exit_code == 0
    return tracker


def test_alias_list_shows_fuzzy_matches_for_review(reviewed: Tracker) -> None:
    """`alias list --origin fuzzy` lists each fuzzy alias with its organisation and how many
    fetches resolved names through it."""
    result = reviewed.cli("alias", "list", "--origin", "fuzzy", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert {k: row[k] for k in ("alias", "code", "name", "kind", "origin", "fetches")} == {
        "alias": "Lincolnshre", "code": "E54000013", "name": "Lincolnshire", "kind": "stp",
        "origin": "fuzzy", "fetches": 2,
    }  # fmt: skip


@pytest.mark.parametrize(("origin", "count"), [(None, 510), ("curated", 1), ("registry", 447)])
def test_alias_list_filters_by_origin(reviewed: Tracker, origin: str | None, count: int) -> None:
    """Without --origin every alias is listed (the registry's included); with one, only it."""
    args = ["--origin", origin] if origin else []
    rows = json.loads(reviewed.cli("alias", "list", *args, "--format", "json").output)
    assert {row["origin"] for row in rows} >= ({origin} if origin else {"fuzzy", "curated"})
    if count is not None:
        assert len(rows) == count


def test_removing_a_fuzzy_alias_names_the_fetches_that_relied_on_it(reviewed: Tracker) -> None:
    """`alias remove` deletes the alias, keeps the removal on record, and says which fetches
    resolved names through it and that rebuild re-resolves them; their facts stay until then."""
    facts_before = reviewed.rows("select * from facts order by id")
    result = reviewed.cli("alias", "remove", "lincolnshre", "E54000013")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "removed the fuzzy alias 'Lincolnshre' of Lincolnshire (E54000013); fetches 4 (press), "
        "5 (press) resolved names through it: their facts stay as they are until "
        "`stp-tracker rebuild` re-resolves them (a name that then matches nothing stops the "
        "rebuild and is listed)\n"
    )
    assert reviewed.rows("select count(*) from aliases where alias = 'Lincolnshre'") == [(0,)]
    assert reviewed.rows("select alias, code, origin, fetch_ids from removed_aliases") == [
        ("Lincolnshre", "E54000013", "fuzzy", "[4, 5]")
    ]
    assert reviewed.rows("select * from facts order by id") == facts_before


def test_a_removed_fuzzy_match_is_never_proposed_again(reviewed: Tracker) -> None:
    """After removal the same misspelling fails instead of being matched again, and rebuild
    stops, naming the fetches that can no longer be replayed, until a person says what the
    name means."""
    assert reviewed.cli("alias", "remove", "Lincolnshre", "E54000013").exit_code == 0
    again = reviewed.ingest("press", "c.csv", f"{PRESS}Lincolnshre,Advanced\n", "2018-01-01", 1)
    assert "'Lincolnshre' matches no stp that existed on 2018-01-01" in again.stderr
    before = reviewed.snapshot(skip=())
    stopped = reviewed.cli("rebuild")
    assert stopped.exit_code == 1
    assert "cannot rebuild: 2 applied fetch(es) cannot be replayed" in stopped.stderr
    assert "fetch 4 of 'press' (" in stopped.stderr and "fetch 5 of 'press' (" in stopped.stderr
    assert reviewed.snapshot(skip=()) == before
    assert reviewed.cli("alias", "add", "Lincolnshre", "E54000020").exit_code == 0  # a person
    rebuilt = reviewed.cli("rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert reviewed.rows(
        "select org_code from facts where source = 'press' and retired_at is null "
        "and attribute = 'rating.overall' and org_code != 'E54000041' group by org_code"
    ) == [("E54000020",)]


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("Lincolnshire", "E54000013", "is the registry's own 'registry' alias of Lincolnshire"),
        ("Lincs", "E54000041", "Dorset (E54000041) has no alias 'Lincs'"),
        ("Lincs", "E54000099", "no organisation has the code 'E54000099'"),
    ],
)
def test_what_cannot_be_removed_is_refused_and_nothing_changes(
    reviewed: Tracker, name: str, code: str, message: str
) -> None:
    """The registry's own aliases, aliases an organisation does not have and unknown codes
    are refused with one line; the database is untouched."""
    before = reviewed.snapshot(skip=())
    result = reviewed.cli("alias", "remove", name, code)
    assert result.exit_code == 1 and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert reviewed.snapshot(skip=()) == before


def test_removing_an_alias_makes_an_identical_reingest_parse_again(reviewed: Tracker) -> None:
    """An identical re-ingest is restated without parsing only while nothing that resolved
    its names changed: after a removal the file is parsed again (and fails)."""
    path = reviewed.tmp_path / "a.csv"
    assert "1 unchanged" in reviewed.cli("ingest", "press", str(path), "--as-of",
                                         "2017-07-21").output  # fmt: skip
    assert reviewed.cli("alias", "remove", "Lincolnshre", "E54000013").exit_code == 0
    result = reviewed.cli("ingest", "press", str(path), "--as-of", "2017-07-21")
    assert result.exit_code == 1 and "'Lincolnshre' matches no stp" in result.stderr
