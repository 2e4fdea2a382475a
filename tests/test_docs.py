"""The README is executed: its commands exist and its SQL answers the questions it claims to."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from stp_tracker.cli import main
from stp_tracker.config import FORMATS, SourceConfig
from stp_tracker.config.sources import source_from_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SQL_BLOCKS = re.findall(r"```sql\n(.*?)```", README, flags=re.S)
PARAMS = {
    "date": "2017-08-01",
    "believed_at": "9999-12-31",
    "about": "2017-08-01",
    "since": "2017-01-01",
}


@pytest.fixture
def reference_db(tmp_path, config_dir):
    """A database after `stp-tracker init`."""
    db_path = tmp_path / "stp.db"
    result = CliRunner().invoke(main, ["init", "--db", str(db_path), "--config", str(config_dir)])
    assert result.exit_code == 0, result.output
    from stp_tracker.store.apply import open_db

    return open_db(db_path)


def test_readme_gives_the_two_commands() -> None:
    """The README shows `make run` and `make test`, and the Makefile has both targets."""
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert "make run" in README and "make test" in README
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


@pytest.mark.parametrize("verb", sorted(main.commands))
def test_every_verb_is_documented(verb: str) -> None:
    """Each CLI verb appears in the README's command table."""
    assert f"`stp-tracker {verb}" in README


def test_the_readme_has_the_four_queries() -> None:
    """There is one SQL block per question the README promises."""
    assert len(SQL_BLOCKS) == 4


def run(db, sql: str) -> list[dict]:
    """Run a README query with its named parameters."""
    names = set(re.findall(r":(\w+)", sql))
    return [dict(row) for row in db.query(sql, {n: PARAMS[n] for n in names})]


def test_rating_of_every_stp_as_of_a_date(reference_db) -> None:
    """44 STPs, 20 with their confirmed rating and 24 unknown, in August 2017."""
    rows = run(reference_db, SQL_BLOCKS[0])
    assert len(rows) == 44
    assert sum(r["rating"] == "unknown" for r in rows) == 24
    assert {"code": "E54000041", "rating": "Outstanding"}.items() <= next(
        r for r in rows if r["code"] == "E54000041"
    ).items()
    before = run(reference_db, SQL_BLOCKS[0].replace(":date", "'2017-07-20'"))
    assert all(r["rating"] == "unknown" for r in before)


def test_what_was_believed_about_a_date(reference_db) -> None:
    """Believed now about August 2017: the ratings and the leads in office then."""
    rows = run(reference_db, SQL_BLOCKS[1])
    attributes = {r["attribute"] for r in rows}
    assert attributes == {"rating.overall", "leader.stp_lead", "leader.chair"}
    nothing = run(reference_db, SQL_BLOCKS[1].replace(":believed_at", "'2000-01-01'"))
    assert nothing == []


def test_making_progress_stps_whose_lead_changed(reference_db) -> None:
    """The six 'making progress' STPs with a reported change of lead."""
    rows = run(reference_db, SQL_BLOCKS[2])
    assert [r["org_code"] for r in rows] == [
        "E54000013", "E54000025", "E54000028", "E54000031", "E54000036", "E54000038",
    ]  # fmt: skip


def test_changes_since_a_date(reference_db) -> None:
    """Every reference fact is a first value, so changes since 2017 are the 2017 ones."""
    rows = run(reference_db, SQL_BLOCKS[3])
    assert len(rows) == 21
    assert {r["kind"] for r in rows} == {"rating", "leader"}


CONFIGURING = README.split("## Configuring sources", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("key", sorted(set(SourceConfig.__dataclass_fields__) - {"origin"}))
def test_every_source_key_is_documented(key: str) -> None:
    """Each key a [[source]] accepts has a row in the README's "Configuring sources" table."""
    rows = [line for line in CONFIGURING.splitlines() if line.startswith("| `")]
    shown = "[source.columns]" if key == "columns" else key
    assert any(f"`{shown}`" in row.split(" | ")[0] for row in rows), key


@pytest.mark.parametrize("block", re.findall(r"```toml\n(.*?)```", CONFIGURING, flags=re.S))
def test_every_source_example_is_valid(block: str) -> None:
    """Each example source in "Configuring sources" loads without a configuration error."""
    (table,) = tomllib.loads(block)["source"]
    source = source_from_table(table, "README.md")
    assert source.format in FORMATS
