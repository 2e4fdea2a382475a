"""A plain-text copy of a web page: its furniture dropped, its tables found (extract/page.py)."""

from __future__ import annotations

import pytest

from stp_tracker.extract.page import Table, cells, main_text, segments
from stp_tracker.parse.article import read_article

PAGE = """Five STPs top the table

Dorset was rated outstanding.

Related articles
Devon STP chief to retire
Five STPs rated outstanding in first league table

Outstanding:
Frimley Health
Dorset

Read more: STP plans one year on | Who leads the STPs?
The dashboard will be refreshed next year, NHS England said in a statement.

Share this:
Twitter

3 thoughts on "Five STPs top the table"
Devon is outstanding too, says me.
"""


def test_furniture_is_dropped_and_the_article_kept() -> None:
    """Related headlines, inline 'Read more:' lines, share buttons and the comments are
    dropped; the prose and the list under a heading after them are kept."""
    kept = [line for line in main_text(PAGE).split("\n") if line]
    assert kept == [
        "Five STPs top the table",
        "Dorset was rated outstanding.",
        "Outstanding:",
        "Frimley Health",
        "Dorset",
        "The dashboard will be refreshed next year, NHS England said in a statement.",
    ]


@pytest.mark.parametrize("label", ["Comment", "Analysis", "Comments from the regions:"])
def test_a_section_label_is_not_a_comments_section(label: str) -> None:
    """Only a comments heading ('Comments', '3 comments', 'Leave a reply') ends the article."""
    text = f"{label}\nDorset was rated outstanding.\n"
    assert "Dorset was rated outstanding." in main_text(text)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Dorset\tSouth\t1\tOutstanding", ("Dorset", "South", "1", "Outstanding")),
        ("Dorset    Outstanding    11%", ("Dorset", "Outstanding", "11%")),
        ("Dorset | Outstanding", ("Dorset", "Outstanding")),
        ("Milton Keynes, Bedfordshire and Luton – Outstanding", (
            "Milton Keynes, Bedfordshire and Luton", "Outstanding")),
        ("Dorset was rated outstanding.  Devon was rated as making progress.", None),
        ("Dorset – the county that came top of the table in every single domain", None),
        ("Devon was praised – and so was Somerset.", None),
        ("Dorset was rated outstanding.", None),
    ],
)  # fmt: skip
def test_cells_of_a_row(line: str, expected: tuple[str, ...] | None) -> None:
    """Tabs, runs of spaces, bars and 'Name – Band' part cells; prose is no row."""
    assert cells(line) == expected


def test_segments_keep_prose_and_tables_in_order() -> None:
    """Two or more rows with the same number of cells are a table between the prose."""
    text = "Before.\nSTP\tRating\nDorset\tOutstanding\nDevon\tMaking progress\nAfter.\n"
    before, table, after = segments(text)
    assert before == "Before." and after.strip() == "After."
    assert isinstance(table, Table)
    assert table.rows == (("STP", "Rating"), ("Dorset", "Outstanding"),
                          ("Devon", "Making progress"))  # fmt: skip


def test_one_row_alone_is_prose() -> None:
    """A single line with cells (a byline 'By Jo | 21 July 2017') is not a table."""
    assert segments("By Jo Example | 21 July 2017\nDorset was rated outstanding.") == [
        "By Jo Example | 21 July 2017\nDorset was rated outstanding."
    ]


def test_a_plain_text_copy_reads_its_html_entities() -> None:
    """Entities left in a copy taken from a page's source are the characters they stand for."""
    article = read_article(b"South Yorkshire &amp; Bassetlaw &#8211; outstanding", "a.txt")
    assert article.text == "South Yorkshire & Bassetlaw – outstanding"
