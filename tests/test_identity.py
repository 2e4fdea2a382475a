"""Identity over time, through the real command line and real SQLite files.

Fixtures have the shapes of the real public files: ONS names-and-codes lookups in two vintages
(STP18CD/STP18NM, then STP20CD/STP20NM, with renames and the 2020 recodes), an ICB file keyed by
ONS codes that 2017 STPs also carried, a names-only press file naming the STP formed in 2018
before and after it existed, and statistics files with England and total rows. Whatever the
file, a code or name means the organisation of the source's kind that existed on its date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from stp_tracker.cli import main
from stp_tracker.store.apply import open_db
from tests.conftest import snapshot, write_config
from tests.test_collect import registry_stps

ONS_SOURCE = """
[[source]]
name = "ons-stp"
title = "ONS: STP names and codes"
format = "csv"
entity = "stp"
creates = true
complete = true
publisher = "Office for National Statistics"

[source.columns]
{columns}
"""
ALTERNATIVES = '"STP18CD" = "org.code"\n"STP20CD" = "org.code"\n"STP18NM" = "org.name"\n' + (
    '"STP20NM" = "org.name"'
)
ICB_SOURCE = """
[[source]]
name = "icb-stats"
title = "ICB statistics keyed by ONS code"
format = "csv"
entity = "{entity}"
{extra}

[source.columns]
"ICB23CD" = "org.code"
"ICB23NM" = "org.name"
"Beds" = "metric.beds"
"""
RENAMED_2018 = {"E54000005": "West Yorkshire and Harrogate"}
# ONS's April 2020 list: the recodes of stp-code-history.csv, with the names it gives them.
RECODED_2020 = {
    "E54000005": ("E54000054", "West Yorkshire and Harrogate (Health and Care Partnership)"),
    "E54000006": ("E54000051", "Humber, Coast and Vale"),
    "E54000033": ("E54000053", "Sussex and East Surrey Health and Care Partnership"),
    "E54000035": ("E54000052", "Surrey Heartlands Health and Care Partnership"),
    "E54000049": ("E54000050", "Cumbria and North East"),
}


class Tracker:
    """A config folder (the test sources plus `extra` TOML) and a database after `init`."""

    def __init__(self, tmp_path: Path, extra: str = "") -> None:
        self.tmp_path = tmp_path
        self.config_dir = write_config(tmp_path / "config")
        self.db_path = tmp_path / "db" / "stp.db"
        self.configure(extra)
        assert self.cli("init").exit_code == 0

    def configure(self, extra: str) -> None:
        """The conftest sources followed by `extra`."""
        write_config(self.config_dir)
        sources = self.config_dir / "sources.toml"
        sources.write_text(sources.read_text(encoding="utf-8") + extra, encoding="utf-8")

    def cli(self, *args: str) -> Result:
        """Run one verb against this folder and database."""
        options = ["--db", str(self.db_path), "--config", str(self.config_dir)]
        return CliRunner().invoke(main, [*args, *options], catch_exceptions=False)

    def ingest(self, source: str, name: str, text: str, as_of: str, code: int = 0) -> Result:
        """Write `text` as a file and ingest it as a release of `source` on `as_of`."""
        path = self.tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = self.cli("ingest", source, str(path), "--as-of", as_of)
        assert result.exit_code == code, result.output
        return result

    def rows(self, sql: str, params: Any = ()) -> list[tuple]:
        """Rows of a query against the database."""
        return open_db(self.db_path).execute(sql, params).fetchall()

    def snapshot(self, skip: tuple[str, ...] = ("fetches", "unmatched")) -> dict:
        """Every row of every table but `skip`."""
        return snapshot(open_db(self.db_path), skip=skip)


def ons_lookup(year: str) -> str:
    """An ONS STP names-and-codes lookup as at 1 April of `year` (2018 or 2020), with a
    country row as ONS files carry."""
    lines = [f"STP{year[2:]}CD,STP{year[2:]}NM"]
    for code, name in registry_stps(f"{year}-04-01"):
        if year == "2020" and code in RECODED_2020:
            code, name = RECODED_2020[code]
        lines.append(f'{code},"{RENAMED_2018.get(code, name) if year == "2018" else name}"')
    lines.append("E92000001,England")
    return "\n".join(lines) + "\n"


@pytest.fixture
def ons(tmp_path: Path) -> Tracker:
    """A tracker whose ONS source maps both vintages' column names, with both lists ingested."""
    tracker = Tracker(tmp_path, ONS_SOURCE.format(columns=ALTERNATIVES))
    tracker.ingest("ons-stp", "stp18.csv", ons_lookup("2018"), "2018-04-01")
    tracker.ingest("ons-stp", "stp20.csv", ons_lookup("2020"), "2020-04-01")
    return tracker


def test_a_later_code_of_the_same_organisation_is_a_recode_not_a_new_one(ons: Tracker) -> None:
    """ONS's 2020 list gives West Yorkshire as E54000054: it stays the same organisation, and
    the change of org.code (old to new, on the release's date) is recorded beside the rename."""
    assert ons.rows("select count(*) from organisations") == [(93,)]
    changes = ons.rows(
        "select attribute, old_value, new_value, effective from changes "
        "where org_code = 'E54000005' and source = 'ons-stp' and effective = '2020-04-01'"
    )
    assert sorted(changes) == [
        ("org.code", "E54000005", "E54000054", "2020-04-01"),
        ("org.name", "West Yorkshire and Harrogate",
         "West Yorkshire and Harrogate (Health and Care Partnership)", "2020-04-01"),
    ]  # fmt: skip
    recodes = ons.rows(
        "select org_code, old_value, new_value from changes where attribute = 'org.code' "
        "and old_value is not null order by org_code"
    )
    assert recodes == [
        (org, org, new)
        for org, (new, _) in sorted(RECODED_2020.items())  # every recode of the history file
    ]


def test_only_recoded_organisations_state_a_code(ons: Tracker) -> None:
    """An organisation that kept its code states none, so ordinary sources are unaffected."""
    stated = {code for (code,) in ons.rows("select org_code from facts where attribute = "
                                           "'org.code'")}  # fmt: skip
    assert stated == set(RECODED_2020)


def test_recodes_show_in_changes_history_the_feed_and_the_page(ons: Tracker) -> None:
    """`changes --org` with the new code, `history` and recent_changes all show the recode."""
    listed = ons.cli("changes", "--org", "West Yorkshire", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert {
        "attribute": "org.code",
        "old_value": "E54000005",
        "new_value": "E54000054",
    }.items() <= (
        next(row for row in json.loads(listed.output) if row["attribute"] == "org.code").items()
    )
    history = ons.cli("history", "E54000005")
    assert "codes: E54000005 (until 2020-04-01); E54000054 (from 2020-04-01)" in history.output
    assert ons.rows(
        "select kind, old_value, new_value from recent_changes where org_code = 'E54000049' "
        "and attribute = 'org.code' and old_value is not null"
    ) == [("organisation", "E54000049", "E54000050")]


def test_a_country_row_is_skipped_and_named_not_created(tmp_path: Path) -> None:
    """England (E92000001) in a creating source's file is reported as skipped, never an STP."""
    tracker = Tracker(tmp_path, ONS_SOURCE.format(columns=ALTERNATIVES))
    result = tracker.ingest("ons-stp", "stp18.csv", ons_lookup("2018"), "2018-04-01")
    assert "skipped 1 row: 'England' (E92000001) at " in result.output
    assert "an aggregate (a country, region or total), not one organisation" in result.output
    assert "created" not in result.output
    assert tracker.rows("select count(*) from organisations where code = 'E92000001'") == [(0,)]


@pytest.mark.parametrize("entity", ["icb", "any"])
def test_codes_an_earlier_kind_also_used_mean_the_icb_of_2023(tmp_path: Path, entity: str) -> None:
    """An ICB file keyed by ONS code puts E54000008 on the Cheshire and Merseyside ICB, not the
    2017 STP that carried the same code; with entity 'any' the file's date decides the same."""
    tracker = Tracker(tmp_path, ICB_SOURCE.format(entity=entity, extra=""))
    text = (
        "ICB23CD,ICB23NM,Beds\n"
        "E54000008,NHS Cheshire and Merseyside Integrated Care Board,100\n"
        "E54000057,NHS Greater Manchester Integrated Care Board,200\n"
        "E54000050,NHS North East and North Cumbria Integrated Care Board,300\n"
        "E54000054,NHS West Yorkshire Integrated Care Board,400\n"
    )
    tracker.ingest("icb-stats", "icb.csv", text, "2023-04-01")
    facts = tracker.rows(
        "select f.org_code, o.kind from facts f join organisations o on o.code = f.org_code "
        "where f.source = 'icb-stats' order by f.org_code"
    )
    assert facts == [("QHM", "icb"), ("QOP", "icb"), ("QWO", "icb"), ("QYG", "icb")]


def test_an_stp_source_cannot_put_a_2023_row_on_an_icb(tmp_path: Path) -> None:
    """The same ICB file read as an STP source fails, naming what the code means and that no
    STP it names existed then, and the database is as it was."""
    tracker = Tracker(tmp_path, ICB_SOURCE.format(entity="stp", extra=""))
    before = tracker.snapshot()
    text = "ICB23CD,ICB23NM,Beds\nE54000008,NHS Cheshire and Merseyside ICB,100\n"
    result = tracker.ingest("icb-stats", "icb.csv", text, "2023-04-01", code=1)
    assert (
        "row 2: field 'ICB23CD': 'E54000008' names Cheshire and Merseyside (E54000008, stp, "
        "from unknown to 2022-07-01); NHS Cheshire and Merseyside Integrated Care Board (QYG, "
        "icb, from 2022-07-01 to now); no stp it names that existed on 2023-04-01"
    ) in result.stderr
    assert tracker.snapshot() == before


PRESS = "Partnership,Rating\n"


@pytest.mark.parametrize(
    ("as_of", "name", "code"),
    [
        ("2019-06-01", "Cumbria and North East", "E54000049"),
        ("2017-07-21", "West, North and East Cumbria", "E54000047"),
        ("2017-07-21", "Lincolnshre", "E54000013"),  # an ordinary misspelling, in its year
        ("2021-06-01", "Cumbria & North East STP", "E54000049"),
    ],
)
def test_a_name_means_the_organisation_that_existed_on_the_date(
    tmp_path: Path, as_of: str, name: str, code: str
) -> None:
    """Names-only rows resolve to the partnership of their date."""
    tracker = Tracker(tmp_path)
    tracker.ingest("press", "press.csv", f'{PRESS}"{name}",Advanced\n', as_of)
    assert tracker.rows("select org_code from facts where source = 'press'") == [(code,)]


@pytest.mark.parametrize(
    ("as_of", "name", "says"),
    [
        ("2017-07-21", "Cumbria and North East",
         "names Cumbria and North East (E54000049, stp, from 2018-04-01 to 2022-07-01); "
         "no stp it names that existed on 2017-07-21"),
        ("2019-06-01", "West, North and East Cumbria",
         "names West, North and East Cumbria (E54000047, stp, from unknown to 2018-04-01); "
         "no stp it names that existed on 2019-06-01"),
        ("2017-07-21", "Cumbria and North Eest", "matches no stp that existed on 2017-07-21"),
        ("2017-07-21", "NHS Central East", "names NHS Central East (S1Y5D, icb, from "
         "2026-04-01 to now); no stp it names that existed on 2017-07-21"),
    ],
)  # fmt: skip
def test_a_name_from_another_time_or_kind_is_never_matched_to_a_neighbour(
    tmp_path: Path, as_of: str, name: str, says: str
) -> None:
    """'Cumbria and North East' in a 2017 file is not accepted as West, North and East
    Cumbria (95% alike): it fails, saying what the name means, records no fuzzy alias and
    changes nothing but its fetch and unmatched rows."""
    tracker = Tracker(tmp_path)
    before = tracker.snapshot()
    result = tracker.ingest("press", "press.csv", f'{PRESS}"{name}",Advanced\n', as_of, code=1)
    assert says in result.stderr
    assert tracker.snapshot() == before
    assert tracker.rows("select name from unmatched") == [(name,)]


def test_two_organisations_of_the_date_are_never_guessed_between(tmp_path: Path) -> None:
    """A curated alias naming two partnerships that both existed makes a row fail, listing
    both as candidates."""
    tracker = Tracker(tmp_path)
    for code in ("E54000041", "E54000038"):
        assert tracker.cli("alias", "add", "Wessex", code).exit_code == 0
    result = tracker.ingest("press", "press.csv", f"{PRESS}Wessex,Advanced\n", "2017-07-21", 1)
    assert "'Wessex' matches 2 organisations that existed on 2017-07-21; closest: Somerset " in (
        result.stderr
    )
    assert "Dorset (E54000041, 100%)" in result.stderr


def test_every_fuzzy_acceptance_is_in_the_summary(tmp_path: Path) -> None:
    """The ingest summary names each fuzzy match with its score and where it was read."""
    tracker = Tracker(tmp_path)
    result = tracker.ingest("press", "press.csv", f"{PRESS}Lincolnshre,Advanced\n", "2017-07-21")
    assert (
        "accepted 1 fuzzy match (review: stp-tracker alias list --origin fuzzy): "
        "'Lincolnshre' -> Lincolnshire (E54000013), 96% (press.csv row 2)"  # the file's name only
    ) in result.output


@pytest.mark.parametrize(
    ("command", "text", "stream"),
    [
        ("$ stp-tracker ingest press press-2017.csv --as-of 2017-07-21\n",
         f"{PRESS}Cumbria and North East,Advanced\n", "stderr"),
        ("$ stp-tracker ingest press press.csv --as-of 2017-07-21\n",
         f"{PRESS}Lincolnshre,Advanced\nEngland,Advanced\n", "stdout"),
    ],
)  # fmt: skip
def test_the_readme_console_examples_are_what_the_cli_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, text: str, stream: str
) -> None:
    """The README's example error and summary are true: what the CLI prints for those files."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split(command)[1].split("```")[0]
    name = command.split()[4]
    tracker = Tracker(tmp_path)
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = tracker.cli("ingest", "press", name, "--as-of", "2017-07-21")
    assert getattr(result, stream) == example


def test_the_organisation_page_shows_its_codes_over_time_and_the_recode(ons: Tracker) -> None:
    """/-/org/E54000005 lists each code with when it held, and the org.code change."""
    import asyncio

    from stp_tracker.publish import build_datasette
    from tests.conftest import REPO

    ds = build_datasette(ons.db_path, REPO / "config")

    async def page() -> str:
        await ds.invoke_startup()
        return (await ds.client.get("/-/org/E54000005")).text

    html = asyncio.run(page())
    assert "Codes over time" in html
    assert "E54000005 (until 2020-04-01)" in html and "E54000054 (from 2020-04-01)" in html
    assert "<td>2020-04-01</td><td>org.code</td><td>E54000005</td><td>E54000054</td>" in html
