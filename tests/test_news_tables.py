"""Tables copied into articles: ratings by row, counts, and leadership cells (extract/tables.py)."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from stp_tracker.extract.mentions import Gazetteer
from stp_tracker.extract.page import Table, segments
from stp_tracker.extract.tables import TableReading, read_table
from stp_tracker.resolve.resolver import Resolver
from tests.test_news import ADV, OUT, PROG, SCALE, WORST

ON = "2017-07-21"


@pytest.fixture
def resolver(db: Database) -> Resolver:
    """The resolver over the bundled registry's STPs."""
    return Resolver.from_db(db, "stp")


def read(text: str, resolver: Resolver) -> TableReading:
    """The one table in `text`, read."""
    (table,) = [part for part in segments(text) if isinstance(part, Table)]
    return read_table(table, Gazetteer.build(resolver, ON), resolver, SCALE, ON)


def rated(reading: TableReading) -> dict[str, str]:
    """org code -> band of a table's rows."""
    return {code: label for mention, label, _ in reading.rated for code in mention.codes}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STP\tRegion\tCategory\tOverall rating\nDorset\tSouth\t1\tOutstanding\n"
         "Devon\tSouth\t3\tMaking progress\n", {"E54000041": OUT, "E54000037": PROG}),
        ("Dorset    Outstanding\nSurrey Heartlands    Advanced\nStaffordshire    "
         "Needs most improvement\n", {"E54000041": OUT, "E54000035": ADV, "E54000010": WORST}),
        ("Partnership | Category\nDorset | 1\nDevon | 3\n", {"E54000041": OUT,
                                                          "E54000037": PROG}),
        ("Birmingham and Solihull\t\tsee below\nThe Black Country\t\tMaking progress\n",
         {"E54000016": PROG}),
        ("STP\t2016 rating\t2017 rating\nDorset\tAdvanced\tOutstanding\n"
         "Devon\tOutstanding\tMaking progress\n", {"E54000041": OUT, "E54000037": PROG}),
        ("Outstanding\tDorset, Frimley Health\nNeeds most improvement\tNorthamptonshire\n",
         {"E54000041": OUT, "E54000034": OUT, "E54000020": WORST}),
    ],
)  # fmt: skip
def test_rows_state_ratings(resolver: Resolver, text: str, expected: dict[str, str]) -> None:
    """The name column and the band column give one rating a row (a cell may list names);
    category numbers count under a header that says they are categories; another year's
    column is passed over."""
    assert rated(read(text, resolver)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dorset\t1\nDevon\t3\n",  # numbers with no header saying what they are
        "STP\tLeadership rating\nDorset\tOutstanding\nDevon\tAdvanced\n",  # another domain
        "STP\tCategory\tRating\nDorset\t2\tOutstanding\nDevon\t1\tMaking progress\n",
        "STP\tColour\nDorset\tpink\nDevon\tblue\n",
        "STP\tExpected rating\nDorset\tOutstanding\nDevon\tAdvanced\n",
    ],
)
def test_rows_that_state_no_rating(resolver: Resolver, text: str) -> None:
    """Bare numbers, a domain's rating, a guess and band columns that disagree rate nothing."""
    assert rated(read(text, resolver)) == {}


def test_a_counts_table(resolver: Resolver) -> None:
    """A table of bands and numbers counts each band, passing over shares and the total."""
    text = (
        "Category    STPs    Share\nOutstanding    5    11%\nAdvanced    20    45%\n"
        "Making progress    14    32%\nNeeds most improvement    5    11%\nTotal    44    100%\n"
    )
    counted = {c.column: c.quantity.count for c in read(text, resolver).counts}
    assert counted == {
        "outstanding": 5, "advanced": 20, "making_progress": 14, "needs_most_improvement": 5,
    }  # fmt: skip


def test_a_rows_other_cells_are_a_sentence_about_it(resolver: Resolver) -> None:
    """A named row's remaining cells become a sentence for the event rules, numbers and
    bands left out."""
    text = "STP\tRating\tLeadership\nDevon\tMaking progress\tSTP leader leaving\nDorset\t1\t-\n"
    (row,) = read(text, resolver).rows
    assert row[:2] == ("E54000037", "Devon: STP leader leaving.")
