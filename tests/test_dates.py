"""parse_date: the date forms sources write, kept at the precision they were given."""

from __future__ import annotations

import datetime as dt

import pytest

from stp_tracker.errors import ConfigError, ParseError
from stp_tracker.extract.dates import parse_date

EXPECTED = "(expected YYYY-MM-DD, DD/MM/YYYY or '21 July 2017')"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # ISO, at the precision given
        ("2017", "2017"),
        ("2017-07", "2017-07"),
        ("2017-7", "2017-07"),
        ("2017-07-21", "2017-07-21"),
        ("2017-7-1", "2017-07-01"),
        ("2016-02-29", "2016-02-29"),
        ("  2017-07-21  ", "2017-07-21"),
        # ISO datetimes keep the date part
        ("2017-07-21T10:30:00", "2017-07-21"),
        ("2017-07-21T10:30:00Z", "2017-07-21"),
        ("2017-07-21 10:30", "2017-07-21"),
        ("2017-07-21T10:30:00.123456", "2017-07-21"),
        # UK numeric, day first
        ("21/07/2017", "2017-07-21"),
        ("1/7/2017", "2017-07-01"),
        ("01/07/2017", "2017-07-01"),
        ("21.07.2017", "2017-07-21"),
        ("29/02/2016", "2016-02-29"),
        # words
        ("21 July 2017", "2017-07-21"),
        ("21st July 2017", "2017-07-21"),
        ("2nd March 2016", "2016-03-02"),
        ("3rd Sept 2017", "2017-09-03"),
        ("1 jan 2018", "2018-01-01"),
        ("21 JULY 2017", "2017-07-21"),
        ("July 2017", "2017-07"),
        ("March 2016", "2016-03"),
        ("Jul 2017", "2017-07"),
        ("Jul. 2017", "2017-07"),
        ("July, 2017", "2017-07"),
        ("May 2017", "2017-05"),
        ("Sep 2017", "2017-09"),
        ("december 2016", "2016-12"),
    ],
)
def test_valid_dates(text: str, iso: str) -> None:
    """Accepted forms become ISO text of the precision they state."""
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("value", "iso"),
    [(2017, "2017"), (dt.date(2017, 7, 21), "2017-07-21")],
)
def test_non_text_values(value: object, iso: str) -> None:
    """A number or date object (e.g. from a spreadsheet) is read via its text."""
    assert parse_date(value) == iso  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "yesterday",
        "17",
        "17-07-21",
        "2017-13",
        "2017-02-29",
        "2017-07-32",
        "0000",
        "31/02/2017",
        "07/21/2017",
        "21/07/17",
        "21 Jully 2017",
        "21 Foo 2017",
        "July 21, 2017",
        "32 July 2017",
        "July",
        "2017/07/21",
        "Q3 2017",
        "2017-07-21T",
    ],
)
def test_invalid_dates(text: str) -> None:
    """Anything else is a ParseError quoting the text and the forms expected."""
    with pytest.raises(ParseError) as info:
        parse_date(text)
    assert str(info.value) == f"{text.strip()!r} is not a date {EXPECTED}"
    assert type(info.value) is ParseError


def test_error_names_file_row_field() -> None:
    """With file, row and field given, the message and attributes name them."""
    with pytest.raises(ParseError) as info:
        parse_date("someday", file="dashboard.csv", row=7, field="Period")
    error = info.value
    assert str(error) == f"dashboard.csv: row 7: field 'Period': 'someday' is not a date {EXPECTED}"
    assert (error.file, error.row, error.field) == ("dashboard.csv", 7, "Period")
    assert error.reason == f"'someday' is not a date {EXPECTED}"


@pytest.mark.parametrize(
    ("kwargs", "prefix"),
    [
        ({"file": "a.csv"}, "a.csv: "),
        ({"row": 3}, "row 3: "),
        ({"field": "Period"}, "field 'Period': "),
        ({"file": "a.csv", "field": "Period"}, "a.csv: field 'Period': "),
        ({"row": 0}, "row 0: "),
    ],
)
def test_error_names_partial_location(kwargs: dict, prefix: str) -> None:
    """Only the parts of the location that are known appear in the message."""
    with pytest.raises(ParseError) as info:
        parse_date("x", **kwargs)
    assert str(info.value) == f"{prefix}'x' is not a date {EXPECTED}"


def test_config_error_with_where() -> None:
    """With `where`, a bad date is a ConfigError prefixed by the config key's location."""
    with pytest.raises(ConfigError) as info:
        parse_date("soon", where="config/sources.toml [[source]] #1: effective")
    assert str(info.value) == (
        f"config/sources.toml [[source]] #1: effective: 'soon' is not a date {EXPECTED}"
    )
    assert not isinstance(info.value, ParseError)


def test_where_does_not_affect_valid_dates() -> None:
    """A valid date parses the same with or without `where`."""
    assert parse_date("21 July 2017", where="x: effective") == "2017-07-21"


def test_iso_output_sorts_as_text() -> None:
    """Outputs of mixed precision sort chronologically as text."""
    values = [parse_date(t) for t in ("21/07/2017", "2016", "March 2017", "2017-03-02")]
    assert sorted(values) == ["2016", "2017-03", "2017-03-02", "2017-07-21"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2017-07-21T10:30:00+01:00", "2017-07-21"), ("2017-07-21T10:30:00-0500", "2017-07-21")],
)
def test_iso_datetime_with_offset(text: str, iso: str) -> None:
    """An ISO datetime with a UTC offset (as JSON APIs write them) gives its date."""
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2017 2018", "2017-07 12", "2017T10"])
def test_year_followed_by_junk_is_rejected(text: str) -> None:
    """A year or month followed by digits that are no time of day is not a date."""
    with pytest.raises(ParseError):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["2017-00", "2017-07-00", "2017-00-00", "00/07/2017", "0 July 2017"]
)
def test_zero_month_or_day_is_rejected(text: str) -> None:
    """Month 0 and day 0 are not dates (today they come back as '2017-00', '2017-07-00')."""
    with pytest.raises(ParseError):
        parse_date(text)
