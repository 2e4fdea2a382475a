"""Parsers: every format read into the same Table, and every failure named with file and row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stp_tracker.config import SourceConfig
from stp_tracker.errors import ParseError
from stp_tracker.parse import PARSERS, parse
from stp_tracker.parse import csv as csv_module
from stp_tracker.parse.base import Table, clean_cell
from stp_tracker.parse.csv import parse_csv, sniff_delimiter, tidy_text, untidy
from stp_tracker.parse.grid import cell_text, table_from_grid, table_from_records
from stp_tracker.parse.html import parse_html_table
from stp_tracker.parse.json import parse_json
from stp_tracker.parse.sniff import check_content

COLUMNS = {"STP code": "org.code", "STP name": "org.name", "Overall rating": "rating.overall"}
RATINGS = ("Outstanding", "Advanced", "Making progress", "Needs most improvement")


def source(fmt: str = "csv", **options: object) -> SourceConfig:
    """A source of format `fmt` mapping the usual columns, with extra options."""
    options.setdefault("columns", COLUMNS)
    return SourceConfig(name="t", format=fmt, **options)  # type: ignore[arg-type]


def stps(count: int = 44) -> list[tuple[str, str, str, str]]:
    """`count` partnerships: code, name (with accents), overall rating and leadership rating."""
    return [
        (
            f"E54{n:06d}",
            f"Région {n} – Café & Health",
            RATINGS[n % 4],
            RATINGS[(n + 1) % 4],
        )
        for n in range(1, count + 1)
    ]


def values(table: Table) -> list[list[str]]:
    """The table's cells row by row, in column order."""
    return [[row.cells[c] for c in table.columns] for row in table.rows]


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    """CSV text lines joined with CRLF and encoded."""
    return "\r\n".join(lines).encode(encoding)


def xlsx_bytes(workbook: openpyxl.Workbook) -> bytes:
    """A workbook saved to bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# CSV ---------------------------------------------------------------------------------------------


def test_cp1252_csv_with_preamble_and_totals() -> None:
    """A Windows-1252 CSV with two title lines, header on line 3 and a totals row gives 44 rows."""
    lines = [
        "STP progress dashboard 2017",
        "Published 21 July 2017 — baseline assessment,,,",
        "STP code,STP name,Overall rating,Funding (£m)",
        *[f'{c},"{n}",{r},£{i}.5m' for i, (c, n, r, _) in enumerate(stps(), start=1)],
        "Total,,,£990m",
        ",,,",
        "Source: NHS England",
    ]
    table = parse_csv(csv_bytes(lines, "cp1252"), source(), "dashboard.csv")
    assert table.columns == ("STP code", "STP name", "Overall rating", "Funding (£m)")
    assert len(table.rows) == 44
    first, last = table.rows[0], table.rows[-1]
    assert first.number == 4 and last.number == 47
    assert first.cells == {
        "STP code": "E54000001",
        "STP name": "Région 1 – Café & Health",
        "Overall rating": "Advanced",
        "Funding (£m)": "£1.5m",
    }
    assert last.cells["STP code"] == "E54000044" and last.cells["Funding (£m)"] == "£44.5m"


def test_explicit_encoding_is_used() -> None:
    """The `encoding` option decodes the file instead of detection."""
    data = "STP code,STP name\nQE1,Mérton\n".encode("latin-1")
    table = parse_csv(data, source(encoding="latin-1"), "x.csv")
    assert table.rows[0].cells["STP name"] == "Mérton"


def test_utf8_bom_is_not_part_of_the_first_column() -> None:
    """A UTF-8 byte-order mark does not leak into the first header name."""
    data = b"\xef\xbb\xbf" + "STP code,STP name\nQE1,Mérton\n".encode()
    table = parse_csv(data, source(), "bom.csv")
    assert table.columns == ("STP code", "STP name")
    assert table.rows[0].cells == {"STP code": "QE1", "STP name": "Mérton"}


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    """Without a `delimiter` option the delimiter among , ; tab | is detected."""
    rows = [["STP code", "STP name", "Overall rating"]]
    rows += [[c, n.replace(",", ""), r] for c, n, r, _ in stps(5)]
    text = "\n".join(delimiter.join(row) for row in rows)
    table = parse_csv(text.encode(), source(), "x.csv")
    assert table.columns == ("STP code", "STP name", "Overall rating")
    assert values(table)[0] == ["E54000001", "Région 1 – Café & Health", "Advanced"]


@settings(max_examples=3000)
@given(st.lists(st.text(st.sampled_from("ab| \t\n\r\xa0\x1f\x00\u2003\x0b,é"), max_size=6)))
def test_a_row_untidy_does_not_flag_is_already_clean(cells: list[str]) -> None:
    """Rows pass uncleaned when `untidy` says so; that is only safe if clean_cell agrees."""
    if not untidy(cells):
        assert [clean_cell(cell) for cell in cells] == cells


@settings(max_examples=3000)
@given(st.text(st.sampled_from('ab ,;|\t\n\r\xa0\x1f"é'), max_size=30), st.sampled_from(",;\t|"))
def test_a_file_tidy_text_passes_has_only_clean_cells(text: str, delimiter: str) -> None:
    """A file judged tidy as a whole skips the per-row check, so all its cells must be clean."""
    if tidy_text(text, delimiter):
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            assert [clean_cell(cell) for cell in record] == record


grid_cell = st.sampled_from(["", "QE1", "QE2", "North", "Total", "Notes: x", "code", "a b"])
# Rows mostly of one width (as most files are), some of any width.
grid_rows = st.integers(1, 4).flatmap(
    lambda width: st.lists(
        st.one_of(
            st.lists(grid_cell, min_size=width, max_size=width),
            st.lists(grid_cell.filter(bool), min_size=width, max_size=width),
            st.lists(grid_cell, max_size=5),
        ),
        max_size=8,
    )
)


@settings(max_examples=3000)
@given(
    grid_rows,
    st.sampled_from([None, 0, 1, 2]),
    st.lists(st.integers(1, 3), min_size=8, max_size=8),
)
def test_records_kept_whole_read_as_the_grid_rules_read_them(rows, header_row, gaps) -> None:
    """A table whose rows are taken as they are (`Table.records`) has exactly the rows, or the
    error, that the grid rules give reading the same rows one at a time."""
    numbers = [sum(gaps[: index + 1]) for index in range(len(rows))]
    src = source(columns={"code": "org.code", "name": "org.name"}, header_row=header_row)
    outcomes = []
    for read in (
        lambda: table_from_records(numbers, rows, src, "x.csv"),
        lambda: table_from_grid(zip(numbers, rows, strict=True), src, "x.csv"),
    ):
        try:
            table = read()
            outcomes.append((table.columns, list(table.rows)))
        except ParseError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]
    fast = (
        table_from_records(numbers, rows, src, "x.csv") if isinstance(outcomes[0], tuple) else None
    )
    if fast is not None and fast.records is not None:
        assert list(zip(fast.records.numbers, fast.records.cells, strict=True)) == [
            (r.number, list(r.cells.values())) for r in fast.rows
        ]


@settings(max_examples=1000)
@given(
    st.sampled_from(",;\t|"),
    st.integers(1, 3),
    st.lists(st.lists(st.text(st.sampled_from("ab ,;|\t\"é"), min_size=1, max_size=5),
                      min_size=3, max_size=3), min_size=1, max_size=8),
    st.booleans(),
)  # fmt: skip
def test_the_quick_delimiter_check_agrees_with_full_sniffing(delimiter, width, rows, title) -> None:
    """The shortcut for plain files (one candidate delimiter, nothing quoted) never answers
    differently from the full sniffing it skips, whatever the cells and the number of columns."""
    out = io.StringIO()
    if title:
        out.write("Ratings July 2017\n")
    table = [["code", "name", "rating"][:width], *(row[:width] for row in rows)]
    csv.writer(out, delimiter=delimiter).writerows(table)
    quick = csv_module._plain_delimiter(out.getvalue())
    assert quick is None or quick == csv_module._sniffed(out.getvalue())


def test_semicolon_with_commas_in_values_and_preamble() -> None:
    """A semicolon file whose cells contain commas, under a title line, is split on ';'."""
    text = "Ratings, July 2017\nSTP code;STP name;Overall rating\nQE1;Cumbria, North;Good\n"
    assert sniff_delimiter(text) == ";"
    table = parse_csv(text.encode(), source(), "x.csv")
    assert table.rows[0].cells["STP name"] == "Cumbria, North"
    assert table.rows[0].number == 3


def test_header_row_option_is_honoured() -> None:
    """`header_row` picks the header line even when another line names more mapped columns."""
    lines = ["STP code,STP name,Overall rating", "code,name,rating", "QE1,North,Good"]
    table = parse_csv(csv_bytes(lines), source(header_row=2), "x.csv")
    assert table.columns == ("code", "name", "rating")
    assert [r.number for r in table.rows] == [3]


def test_header_falls_back_to_first_row_with_several_cells() -> None:
    """With no mapped column names present, the header is the first multi-cell row."""
    lines = ["Dashboard", "", "code,rating", "QE1,Good"]
    table = parse_csv(csv_bytes(lines), source(columns={}), "x.csv")
    assert table.columns == ("code", "rating")
    assert values(table) == [["QE1", "Good"]]


@pytest.mark.parametrize(
    "footer",
    ["Total,,9", "TOTALS,,9", "Grand total,,9", "Notes: provisional", "Note 1,,", "Source:,x"],
)
def test_totals_and_notes_rows_are_dropped(footer: str) -> None:
    """Rows starting Total/Totals/Grand total/Note(s)/Source: are not data."""
    lines = ["STP code,STP name,Overall rating", "QE1,North,Good", footer, "QE2,South,Good"]
    table = parse_csv(csv_bytes(lines), source(), "x.csv")
    assert [r.cells["STP code"] for r in table.rows] == ["QE1", "QE2"]


def test_trailing_footnotes_dropped_but_sparse_data_rows_kept() -> None:
    """One-cell prose rows after the data are footnotes; one-cell code rows are still data."""
    lines = [
        "STP code,STP name,Overall rating",
        "QE1,North,Good",
        "QE2,,",
        "QE3,South,Good",
        "QE4,,",
        "",
        "*Withheld",
        "Contact: england.stp@nhs.net",
        ",,",
    ]
    table = parse_csv(csv_bytes(lines), source(), "x.csv")
    assert [r.cells["STP code"] for r in table.rows] == ["QE1", "QE2", "QE3", "QE4"]
    assert table.rows[1].cells == {"STP code": "QE2", "STP name": "", "Overall rating": ""}


def test_short_rows_are_padded_and_empty_extra_cells_allowed() -> None:
    """Missing trailing cells read as "" and trailing empty cells past the header are fine."""
    lines = ["STP code,STP name,Overall rating", "QE1,North", "QE2,South,Good,,"]
    table = parse_csv(csv_bytes(lines), source(), "x.csv")
    assert values(table) == [["QE1", "North", ""], ["QE2", "South", "Good"]]


def test_row_numbers_are_physical_lines_for_multiline_cells() -> None:
    """A record after a quoted multi-line cell is numbered by the line it starts on."""
    text = 'STP code,STP name\nQE1,"North\nand East"\nQE2,South\n'
    table = parse_csv(text.encode(), source(), "x.csv")
    assert [r.number for r in table.rows] == [2, 4]
    assert table.rows[0].cells["STP name"] == "North\nand East"


def test_blank_and_duplicate_header_names_are_made_unique() -> None:
    """A blank header cell becomes "column N" and a repeated name gets " (2)"."""
    lines = ["STP code,,Rating,Rating", "QE1,x,Good,Poor"]
    table = parse_csv(csv_bytes(lines), source(), "x.csv")
    assert table.columns == ("STP code", "column 2", "Rating", "Rating (2)")


def test_extra_cells_name_the_row() -> None:
    """A row with more non-empty cells than the header is an error naming file and row."""
    lines = ["Title", "STP code,Overall rating", "QE1,Good", "QE2,Good,surprise"]
    with pytest.raises(ParseError) as error:
        parse_csv(csv_bytes(lines), source(), "ratings.csv")
    message = str(error.value)
    assert "ratings.csv" in message and "row 4" in message and "3 cells" in message


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b" \r\n "])
def test_empty_csv(data: bytes) -> None:
    """An empty (or blank) CSV says the file is empty, naming it."""
    with pytest.raises(ParseError, match=r"^empty\.csv: the file is empty"):
        parse_csv(data, source(), "empty.csv")


def test_undecodable_csv_names_the_line() -> None:
    """Bytes that are not in the configured encoding give an error with file and line."""
    data = b"STP code,STP name\nQE1,North\nQE2,Caf\xe9\n"
    with pytest.raises(ParseError) as error:
        parse_csv(data, source(encoding="utf-8"), "x.csv")
    assert "x.csv: row 3: cannot be decoded as utf-8" in str(error.value)


# NHS ODS extracts (eccg, etr, epraccur) have no header row; eccg's first rows look like this.
ECCG = (
    b'"00C","NHS DARLINGTON CCG","Y63","Q74","DR PIPER HOUSE","KING STREET","","DARLINGTON",'
    b'"COUNTY DURHAM","DL1 1YD","20130401","20200331","","C","","","","","","","","","0","","",'
    b'"",""\n'
    b'"00D","NHS DURHAM DALES, EASINGTON AND SEDGEFIELD CCG","Y63","Q74","SEDGEFIELD COMMUNITY '
    b'HOSPITAL","SALTERS LANE","SEDGEFIELD","STOCKTON-ON-TEES","CLEVELAND","TS21 3EE","20130401",'
    b'"20200331","","C","","","","","","","","","0","","","",""\n'
    b'"00J","NHS NORTH DURHAM CCG","Y63","Q74","SEDGEFIELD COMMUNITY HOSPITAL","SALTERS LANE",'
    b'"SEDGEFIELD","STOCKTON-ON-TEES","CLEVELAND","TS21 3EE","20130401","20200331","","C","","",'
    b'"","","","","","","1","","","",""\n'
)
HEADERLESS = {"1": "org.code", "2": "org.name", "11": "note"}


def test_a_headerless_extract_names_its_columns_by_position() -> None:
    """With header_row = 0 the first line is data, and columns are "1", "2", ... as far as
    the widest of the first rows reaches; no line is lost to a header."""
    table = parse_csv(ECCG, source(header_row=0, columns=HEADERLESS), "eccg.csv")
    assert table.columns == tuple(str(n) for n in range(1, 28))
    assert [row.number for row in table.rows] == [1, 2, 3]
    first = table.rows[0].cells
    assert (first["1"], first["2"], first["10"], first["11"]) == (
        "00C", "NHS DARLINGTON CCG", "DL1 1YD", "20130401",
    )  # fmt: skip


def test_a_headerless_row_wider_than_the_first_rows_keeps_its_cells() -> None:
    """A later row with more cells is not an error: its extra cells are named by position."""
    lines = ["A1,North", *[f"A{n},Place {n}" for n in range(2, 120)], "A999,South,extra"]
    table = parse_csv(csv_bytes(lines), source(header_row=0, columns=HEADERLESS), "x.csv")
    assert table.columns == ("1", "2")
    assert table.rows[-1].cells == {"1": "A999", "2": "South", "3": "extra"}


def test_header_row_past_the_end() -> None:
    """A `header_row` beyond the file's last line is an error naming the file."""
    with pytest.raises(ParseError, match=r"x\.csv: header_row 9 is past the end"):
        parse_csv(b"a,b\n1,2\n", source(header_row=9), "x.csv")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12.0, "12"),
        (0.5, "0.5"),
        (7, "7"),
        (None, ""),
        (dt.date(2017, 7, 21), "2017-07-21"),
        (dt.datetime(2017, 7, 21, 9, 30), "2017-07-21"),
        ("  Good\u00a0 ", "Good"),
        (True, "true"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    """Cell values render as people read them: no ".0", ISO dates, tidy whitespace."""
    assert cell_text(value) == text


# HTML --------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><body>
<table id="menu"><tr><td>Home</td></tr></table>
<div class="ratings"><table>
 <thead>
  <tr><th rowspan="2">STP code</th><th rowspan="2">STP&nbsp;name</th>
      <th colspan="2">Rating</th></tr>
  <tr><th>Overall</th><th>Leadership</th></tr>
 </thead>
 <tbody>
  <tr><td>QE1</td><td><a href="/stp/qe1">Cumbria&nbsp;and
      North&nbsp;East</a></td><td rowspan="2">Advanced</td><td>Good</td></tr>
  <tr><td>QE2</td><td>Surrey <b>Heartlands</b></td><td>Poor</td></tr>
  <tr><td>QE3</td><td><a href="/stp/qe3">Kent</a> <a href="/x">(map)</a></td>
      <td colspan="2">Not rated</td></tr>
 </tbody>
 <tfoot><tr><td>Total</td><td>3</td><td></td><td></td></tr></tfoot>
</table></div>
</body></html>"""


@pytest.mark.parametrize("selector", [".ratings table", ".ratings", "div table"])
def test_html_table_spans_nbsp_and_links(selector: str) -> None:
    """Colspan headers combine, rowspan repeats, &nbsp; is a space, links get an href column."""
    page = PAGE.encode()
    table = parse_html_table(page, source("html-table", selector=selector), "p.html")
    assert table.columns == (
        "STP code",
        "STP name",
        "STP name [href]",
        "Rating Overall",
        "Rating Leadership",
    )
    assert values(table) == [
        ["QE1", "Cumbria and North East", "/stp/qe1", "Advanced", "Good"],
        ["QE2", "Surrey Heartlands", "", "Advanced", "Poor"],
        ["QE3", "Kent (map)", "/stp/qe3", "Not rated", "Not rated"],
    ]
    assert [r.number for r in table.rows] == [3, 4, 5]


def test_html_header_of_th_rows_without_thead() -> None:
    """Without <thead>, a leading row of <th> with colspan groups the <th> row beneath it."""
    page = b"""<table>
      <tr><th>STP code</th><th colspan="2">Rating</th></tr>
      <tr><th>STP code</th><th>Overall</th><th>Leadership</th></tr>
      <tr><td>QE1</td><td>Good</td><td>Poor</td></tr></table>"""
    table = parse_html_table(page, source("html-table"), "p.html")
    assert table.columns == ("STP code", "Rating Overall", "Rating Leadership")
    assert values(table) == [["QE1", "Good", "Poor"]]


def test_html_without_th_guesses_header_from_mapped_columns() -> None:
    """A table of <td> only finds its header as CSV does, skipping a title row."""
    page = b"""<table><tr><td colspan="2">Ratings 2017</td></tr>
      <tr><td>STP code</td><td>Overall rating</td></tr>
      <tr><td>QE1</td><td>Good</td></tr><tr><td>Total</td><td>1</td></tr></table>"""
    table = parse_html_table(page, source("html-table"), "p.html")
    assert table.columns == ("STP code", "Overall rating")
    assert [(r.number, r.cells["STP code"]) for r in table.rows] == [(3, "QE1")]


def test_html_selector_matching_nothing() -> None:
    """A selector matching nothing is an error naming the file and how many tables exist."""
    with pytest.raises(ParseError) as error:
        parse_html_table(PAGE.encode(), source("html-table", selector="#missing"), "p.html")
    assert str(error.value) == (
        "p.html: selector '#missing' matches nothing; the page has 2 table(s)"
    )


@pytest.mark.parametrize(
    ("page", "selector", "message"),
    [
        (b"<p>No tables today</p>", None, "the page has no <table>"),
        (b"<div id='a'>x</div>", "#a", "matches a <div> with no table inside"),
        (b"<table></table>", "table[[", "is not valid CSS"),
    ],
)
def test_html_table_errors(page: bytes, selector: str | None, message: str) -> None:
    """Pages without the expected table give errors naming the file."""
    with pytest.raises(ParseError) as error:
        parse_html_table(page, source("html-table", selector=selector), "p.html")
    assert str(error.value).startswith("p.html: ") and message in str(error.value)


# JSON --------------------------------------------------------------------------------------------

DOCUMENT = {
    "meta": {"published": "2017-07-21"},
    "data": {
        "items": [
            {
                "code": "QE1",
                "name": "Cumbria",
                "rating": {"overall": "Advanced", "scores": [1, 2.0, None]},
                "lead": None,
            },
            {"code": "QE2", "rating": {"overall": "Good"}, "funding": 12.0, "flag": True},
            {},
            {"code": "QE3", "rating": {"overall": "Poor", "scores": []}, "name": " Kent "},
        ]
    },
}


def test_json_nested_records_are_flattened() -> None:
    """Records at a dotted path flatten to dotted columns, lists joined with "; "."""
    data = json.dumps(DOCUMENT).encode()
    table = parse_json(data, source("json", records="data.items"), "r.json")
    assert table.columns == (
        "code",
        "name",
        "rating.overall",
        "rating.scores",
        "lead",
        "funding",
        "flag",
    )
    assert [r.number for r in table.rows] == [1, 2, 4]
    assert values(table) == [
        ["QE1", "Cumbria", "Advanced", "1; 2", "", "", ""],
        ["QE2", "", "Good", "", "", "12", "true"],
        ["QE3", "Kent", "Poor", "", "", "", ""],
    ]


def test_json_top_level_list() -> None:
    """Without `records` the document itself is the list of records."""
    data = json.dumps([{"code": "QE1", "rating": 0.5}]).encode()
    table = parse_json(data, source("json"), "r.json")
    assert values(table) == [["QE1", "0.5"]]


def test_json_syntax_error_names_line_and_column() -> None:
    """Invalid JSON is an error giving the file, line and column."""
    with pytest.raises(ParseError) as error:
        parse_json(b'[\n {"code": "QE1",}\n]', source("json"), "r.json")
    assert str(error.value).startswith("r.json: is not valid JSON:")
    assert "line 2, column 17" in str(error.value)


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ("data.rows", "records path 'data.rows': data has no 'rows' (keys available: 'items')"),
        ("results", "the document has no 'results' (keys available: 'meta', 'data')"),
        ("meta", "records path 'meta' is an object (keys: 'published'), not a list"),
        (None, "the document (no records path set) is an object"),
    ],
)
def test_json_records_path_errors(records: str | None, message: str) -> None:
    """A records path that is missing or not a list names the path and the keys there."""
    with pytest.raises(ParseError) as error:
        parse_json(json.dumps(DOCUMENT).encode(), source("json", records=records), "r.json")
    assert str(error.value).startswith("r.json: ") and message in str(error.value)


def test_json_record_that_is_not_an_object_names_the_row() -> None:
    """A record that is not an object is an error naming its place in the list."""
    with pytest.raises(ParseError, match=r"^r\.json: row 2: record is the value \"QE2\""):
        parse_json(b'[{"code": "QE1"}, "QE2"]', source("json"), "r.json")


# Sniffing and dispatch ---------------------------------------------------------------------------

HTML_BODIES = [
    b"<!DOCTYPE html><html><body>Please sign in</body></html>",
    b"\xef\xbb\xbf\r\n  <html lang='en'><title>404</title></html>",
    b"<HEAD><title>Error</title></HEAD>",
    b"<body>Service unavailable</body>",
    b"<?xml version='1.0'?>\n<!-- portal -->\n<html><body>Login</body></html>",
]
EXPECTED = {
    "csv": "a CSV file",
    "xlsx": "a spreadsheet (.xlsx, .xls or .ods)",
    "spreadsheet": "a spreadsheet (.xlsx, .xls or .ods)",
    "json": "a JSON document",
    "geojson": "a GeoJSON document",
}


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
@pytest.mark.parametrize("body", HTML_BODIES)
def test_html_served_instead_of_the_format(fmt: str, body: bytes) -> None:
    """An HTML page served for a CSV, spreadsheet or JSON source is named as such."""
    with pytest.raises(ParseError) as error:
        parse(body, source(fmt), "https://example.org/ratings")
    assert str(error.value) == (
        f"https://example.org/ratings: HTML was served where {EXPECTED[fmt]} was expected "
        "(an error or login page?)"
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "html-table"])
@pytest.mark.parametrize("body", [b"", b"   \r\n\t", b"\xef\xbb\xbf\n"])
def test_empty_body_for_every_format(fmt: str, body: bytes) -> None:
    """An empty or whitespace-only body is "the file is empty" for every format."""
    with pytest.raises(ParseError, match=r"^r\.dat: the file is empty$"):
        parse(body, source(fmt), "r.dat")


def test_json_that_does_not_start_like_json() -> None:
    """A json source serving text that is not an object or list is "not JSON"."""
    with pytest.raises(ParseError, match=r"^r\.json: is not JSON \(it starts with 'code,rating"):
        parse(b"code,rating\nQE1,Good\n", source("json"), "r.json")


@pytest.mark.parametrize(
    ("fmt", "body"),
    [
        ("json", b'[{"code": "QE1", "note": "<html> in a string is fine"}]'),
        ("html-table", b"<!DOCTYPE html><table><tr><th>STP code</th></tr></table>"),
        ("csv", b"STP code,Overall rating\nQE1,Good\n"),
    ],
)
def test_check_content_accepts_plausible_bodies(fmt: str, body: bytes) -> None:
    """Bodies that look like their format pass the content check."""
    check_content(body, source(fmt), "r")


def test_parse_dispatches_every_format() -> None:
    """parse() reads each registered format with its parser."""
    assert set(PARSERS) == {"csv", "xlsx", "xls", "spreadsheet", "html-table", "json", "geojson"}
    assert parse(b"STP code\nQE1\n", source("csv"), "r").rows[0].cells == {"STP code": "QE1"}
    workbook = openpyxl.Workbook()
    workbook.active.append(["STP code"])
    workbook.active.append(["QE1"])
    assert parse(xlsx_bytes(workbook), source("xlsx"), "r").rows[0].cells == {"STP code": "QE1"}
    page = b"<table><tr><th>STP code</th></tr><tr><td>QE1</td></tr></table>"
    assert parse(page, source("html-table"), "r").rows[0].cells == {"STP code": "QE1"}
    assert parse(b'[{"STP code": "QE1"}]', source("json"), "r").rows[0].cells == {"STP code": "QE1"}
    area = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    feature = {"type": "Feature", "properties": {"STP code": "QE1"}, "geometry": area}
    shape = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    assert parse(shape, source("geojson"), "r").rows[0].cells["STP code"] == "QE1"


def test_parse_unknown_format() -> None:
    """A format with no parser is a ParseError naming the file."""
    with pytest.raises(ParseError, match=r"^r: no parser for format 'article'"):
        parse(b"text", source("article"), "r")


def _as_text(rows: list[list[str]], delimiter: str, ending: str, last: bool) -> str:
    """Rows written as CSV text without quoting."""
    return ending.join(delimiter.join(cells) for cells in rows) + (ending if last else "")


csv_texts = st.one_of(
    st.builds(_as_text, grid_rows, st.just(","), st.sampled_from(["\n", "\r\n"]), st.booleans()),
    st.builds(_as_text, grid_rows, st.sampled_from(";\t|"), st.just("\n"), st.booleans()),
    st.text(st.sampled_from('ab ,;|\t\n\r\xa0\x1f\x00"é'), max_size=30),
)


@settings(max_examples=3000)
@given(csv_texts, st.sampled_from([None, 0, 1]))
def test_a_tidy_text_read_as_lines_reads_as_its_csv_records(text: str, header_row) -> None:
    """A CSV file read by lines (tidy text: no quotes, nothing to clean; plain lines split only
    when asked for) gives the table, or the error, that reading it record by record with the
    csv module, cleaning each record, gives."""
    src = source(columns={"code": "org.code", "name": "org.name"}, header_row=header_row)
    delimiter = sniff_delimiter(text) if text.strip() else ","
    outcomes = []
    for read in (
        lambda: parse_csv(text.encode(), src, "x.csv"),
        lambda: table_from_records(
            *csv_module.read_records(text, delimiter, "x.csv"), src, "x.csv"
        ),
    ):
        try:
            table = read()
            outcomes.append((table.columns, list(table.rows)))
        except ParseError as error:
            outcomes.append(str(error))
    if text.strip():
        assert outcomes[0] == outcomes[1]
