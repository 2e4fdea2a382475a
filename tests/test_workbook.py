"""Spreadsheets (parse/workbook.py, parse/limits.py): one sheet of an .xlsx, .xls or .ods read
row by row, and workbook bombs refused before they are read."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
import xlwt
from bench.spreadsheet import write_xlsx

from stp_tracker.errors import ParseError
from stp_tracker.parse import parse
from stp_tracker.parse.base import LazyRows
from stp_tracker.parse.workbook import parse_workbook
from tests.test_parse import csv_bytes, parse_csv, source, stps, values, xlsx_bytes

# Workbooks -----------------------------------------------------------------------------------


def merged_header_workbook() -> openpyxl.Workbook:
    """A sheet with a merged title, a two-row header with merged group cells, totals and notes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Ratings"
    sheet.append(["STP progress dashboard 2017"])
    sheet.merge_cells("A1:E1")
    sheet.append(["STP code", "STP name", "Rating", None, "Funding (£m)"])
    sheet.append([None, None, "Overall", "Leadership", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    for index, (code, name, overall, leadership) in enumerate(stps(6), start=1):
        sheet.append([code, name, overall, leadership, index + 0.5 if index % 2 else float(index)])
    sheet.append(["Total", None, None, None, 24.0])
    sheet.append([])
    sheet.append(["Ratings as at July 2017"])
    workbook.create_sheet("Notes").append(["About this data"])
    return workbook


XLSX_COLUMNS = {"STP code": "org.code", "Rating Overall": "rating.overall"}


def flat_csv_of_the_same_rows() -> bytes:
    """The merged-header workbook's data as a plain one-header CSV."""
    lines = ["STP code,STP name,Rating Overall,Rating Leadership,Funding (£m)"]
    for index, (code, name, overall, leadership) in enumerate(stps(6), start=1):
        funding = f"{index}.5" if index % 2 else str(index)
        lines.append(f"{code},{name},{overall},{leadership},{funding}")
    return csv_bytes(lines)


def xls_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An old binary .xls workbook (BIFF8), written by xlwt."""
    workbook = xlwt.Workbook()
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, dates)
                elif value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(value: object) -> str:
    """One ODS table cell holding text or a number."""
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, (int, float)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def ods_bytes(tables: dict[str, Iterable[str]]) -> bytes:
    """An OpenDocument spreadsheet whose tables hold the given <table:table-row> elements."""
    body = "".join(
        f'<table:table table:name="{name}">{"".join(rows)}</table:table>'
        for name, rows in tables.items()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
            f'office:version="1.2"><office:body><office:spreadsheet>{body}'
            "</office:spreadsheet></office:body></office:document-content>",
        )
    return buffer.getvalue()


def ods_rows(rows: Iterable[list[object]]) -> list[str]:
    """Plain ODS rows: one <table:table-row> per list of values."""
    return [f"<table:table-row>{''.join(map(ods_cell, row))}</table:table-row>" for row in rows]


def raw_xlsx(sheet_data: Iterable[str], **sheets: list[list[object]]) -> bytes:
    """An .xlsx whose first sheet "Data" holds the given <sheetData> XML, and other sheets."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets, raw={"Data": sheet_data})
    return buffer.getvalue()


RATED = [["STP code", "Overall rating"], ["E54000010", "Needs most improvement"]]


# Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"header_row": 3}, {"sheet": "Ratings"}, {"sheet": 0}])
def test_merged_two_row_header_reads_as_the_same_csv(options: dict[str, object]) -> None:
    """A merged group row over the header names columns "Rating Overall", rows as in the CSV."""
    data = xlsx_bytes(merged_header_workbook())
    table = parse_workbook(data, source("xlsx", columns=XLSX_COLUMNS, **options), "r.xlsx")
    assert table.columns == (
        "STP code",
        "STP name",
        "Rating Overall",
        "Rating Leadership",
        "Funding (£m)",
    )
    flat = parse_csv(flat_csv_of_the_same_rows(), source(columns=XLSX_COLUMNS), "r.csv")
    assert values(table) == values(flat)
    assert [r.number for r in table.rows] == list(range(4, 10))


def test_values_numbers_text_and_dates() -> None:
    """Numbers as text stay text, whole floats lose ".0", dates become ISO, booleans words."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["STP code", "Score", "Share", "Count", "Assessed", "Overall rating", "Open"])
    sheet.append(["012", 12.0, 0.5, 7, dt.datetime(2017, 7, 21, 10, 0), " Good\u00a0 ", True])
    table = parse_workbook(xlsx_bytes(workbook), source("xlsx"), "r.xlsx")
    assert values(table) == [["012", "12", "0.5", "7", "2017-07-21", "Good", "true"]]


def test_rows_and_columns_keep_the_sheets_numbers() -> None:
    """A table that starts at C4 has row numbers from the sheet and columns from column A."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["C4"], sheet["D4"] = "STP code", "Overall rating"
    sheet["C5"], sheet["D5"] = "E54000010", "Good"
    table = parse_workbook(xlsx_bytes(workbook), source("xlsx", header_row=0), "r.xlsx")
    assert table.columns == ("1", "2", "3", "4")
    assert [(row.number, row.cells["3"], row.cells["4"]) for row in table.rows] == [
        (4, "STP code", "Overall rating"),
        (5, "E54000010", "Good"),
    ]


def with_cached_value(data: bytes, formula: str, cached: str) -> bytes:
    """The workbook with a cached result written for `formula`, as Excel saves it."""
    source_zip, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source_zip.infolist():
            content = source_zip.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r"<v\s*/>|<v></v>", "<v />", content.decode())  # with or without lxml
                assert f"<f>{formula}</f><v />" in text
                text = text.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{cached}</v>")
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_formulas_give_cached_values_never_formula_text() -> None:
    """A formula yields its cached value, and "" when the workbook holds no cached value."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["STP code", "Cached", "Uncached"])
    sheet.append(["QE1", "=20+22", "=SUM(1,2)"])
    data = with_cached_value(xlsx_bytes(workbook), "20+22", "42")
    table = parse_workbook(data, source("xlsx"), "r.xlsx")
    assert table.rows[0].cells == {"STP code": "QE1", "Cached": "42", "Uncached": ""}


def test_sheet_by_index() -> None:
    """`sheet` as a 0-based number picks that sheet."""
    workbook = merged_header_workbook()
    notes = workbook["Notes"]
    notes.append(["STP code", "Overall rating"])
    notes.append(["QE9", "Good"])
    table = parse_workbook(xlsx_bytes(workbook), source("xlsx", sheet=1), "r.xlsx")
    assert values(table) == [["QE9", "Good"]]


@pytest.mark.parametrize("sheet", ["Summary", 5])
def test_unknown_sheet_lists_sheets(sheet: str | int) -> None:
    """An unknown sheet name or index is an error listing the workbook's sheets."""
    data = xlsx_bytes(merged_header_workbook())
    with pytest.raises(ParseError) as error:
        parse_workbook(data, source("xlsx", sheet=sheet), "r.xlsx")
    message = str(error.value)
    assert message.startswith("r.xlsx: ") and "'Ratings', 'Notes'" in message


def test_a_chart_sheet_is_named_as_one() -> None:
    """Asking for a chart sheet says so; without `sheet` the first worksheet is read."""
    workbook = openpyxl.Workbook()
    workbook.create_chartsheet("Chart", 0)
    data_sheet = workbook["Sheet"]
    for row in RATED:
        data_sheet.append(row)
    data = xlsx_bytes(workbook)
    with pytest.raises(ParseError, match="sheet 'Chart' is a chart, not a worksheet"):
        parse_workbook(data, source("xlsx", sheet="Chart"), "r.xlsx")
    assert values(parse_workbook(data, source("xlsx"), "r.xlsx")) == [RATED[1]]


def test_extra_cells_name_the_sheet_row() -> None:
    """A value past the header's last column is an error naming the sheet row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["STP code", "Overall rating"])
    sheet.append(["QE1", "Good"])
    sheet.append(["QE2", "Good", None, "stray"])
    with pytest.raises(ParseError, match=r"^r\.xlsx: row 3: has 4 cells"):
        values(parse_workbook(xlsx_bytes(workbook), source("xlsx"), "r.xlsx"))


def test_rows_stream_and_a_bad_row_stops_the_pass_that_reaches_it() -> None:
    """A sheet's rows are read on demand: the rows before a bad one arrive, then the error."""
    rows = [["STP code", "Overall rating"], *([f"E54{n:06d}", "Good"] for n in range(1, 6))]
    rows.append(["E54000099", "Good", "stray"])
    buffer = io.BytesIO()
    write_xlsx(buffer, {"Data": rows})
    table = parse_workbook(buffer.getvalue(), source("xlsx"), "r.xlsx")
    assert isinstance(table.rows, LazyRows) and table.rows
    seen: list[int] = []
    with pytest.raises(ParseError, match="row 7: has 3 cells"):
        seen.extend(row.number for row in table.rows)
    assert seen == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "spreadsheet"])
def test_xls_and_ods_read_like_xlsx(fmt: str) -> None:
    """An .xls and an .ods workbook give the same table as the .xlsx, under any spreadsheet
    format name, with the configured sheet picked by name."""
    rows: list[list[object]] = [
        ["Dashboard, July 2017"],
        [],
        ["STP code", "STP name", "Overall rating", "Score"],
        *([code, name, rating, n + 0.5] for n, (code, name, rating, _) in enumerate(stps(4))),
    ]
    other = [["STP code", "Overall rating"], ["E54000099", "Good"]]
    workbook = openpyxl.Workbook()
    workbook.active.title = "Other"
    for row in other:
        workbook.active.append(row)
    sheet = workbook.create_sheet("Ratings")
    for row in rows:
        sheet.append(row)
    options = source(fmt, sheet="ratings")
    expected = values(parse_workbook(xlsx_bytes(workbook), options, "r.xlsx"))
    assert expected[0] == ["E54000001", "Région 1 – Café & Health", "Advanced", "0.5"]
    xls = xls_bytes({"Other": other, "Ratings": rows})
    ods = ods_bytes({"Other": ods_rows(other), "Ratings": ods_rows(rows)})
    for data in (xls, ods):
        assert values(parse(data, options, "r")) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"STP code,Rating\nQE1,Good\n", "is not a spreadsheet (.xlsx, .xls or .ods)"),
        (b"PK\x03\x04broken zip", "is a damaged workbook (not a readable zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "is a damaged xls workbook"),
    ],
)
def test_bytes_that_are_not_a_workbook(data: bytes, message: str) -> None:
    """Text, a broken zip or a broken .xls container are each named as such, with the file."""
    with pytest.raises(ParseError) as error:
        parse(data, source("xlsx"), "r.xlsx")
    assert str(error.value).startswith(f"r.xlsx: {message}")


@pytest.mark.parametrize(
    ("part", "what"),
    [
        ("word/document.xml", "is a Word document, not a workbook"),
        ("xl/workbook.bin", "is an Excel binary .xlsb workbook (save it as .xlsx), not a workbook"),
        ("readme.txt", "is a zip archive, not a workbook (readme.txt)"),
    ],
)
def test_other_zip_files_are_named(part: str, what: str) -> None:
    """A zip that is a Word document, an .xlsb or anything else is named, not misread."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "x")
    with pytest.raises(ParseError) as error:
        parse(buffer.getvalue(), source("spreadsheet"), "r")
    assert str(error.value) == f"r: {what}"


def test_out_of_memory_is_not_a_format_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """A MemoryError while reading says the machine ran out of memory and which limit to lower,
    never that the file is not a workbook."""
    import python_calamine

    def exhausted(*args: object) -> object:
        raise MemoryError

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", exhausted)
    with pytest.raises(ParseError) as error:
        parse_workbook(xlsx_bytes(merged_header_workbook()), source("xlsx"), "r.xlsx")
    message = str(error.value)
    assert "ran out of memory" in message and "max_cells" in message
    assert "not" not in message.split(";")[0]


# Limits --------------------------------------------------------------------------------------


def repeated_rows(count: int, cells: str = "<c><v>1</v></c>") -> Iterator[str]:
    """`count` identical rows without references, in blocks (the XML of a row bomb)."""
    block = f"<row>{cells}</row>" * 10_000
    for _ in range(count // 10_000):
        yield block


@pytest.mark.parametrize(
    ("sheet_data", "options", "message"),
    [
        (
            [
                '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>',
                '<row r="2"><c r="XFD1048576"><v>1</v></c></row>',
            ],
            {},
            "has a used range of 1,048,576 rows × 16,384 columns, more than the 5,000,000 cells "
            "allowed (max_cells = 5000000)",
        ),
        (
            repeated_rows(60_000),
            {"max_rows": 50_000},
            "has more than the 50,000 rows allowed (max_rows = 50000)",
        ),
        (
            repeated_rows(20_000, "<c><v>1</v></c>" * 5),
            {"max_cells": 90_000},
            "has 100,000 cells, more than the 90,000 cells allowed (max_cells = 90000)",
        ),
        (
            ["<row>", " " * 3_000_000, "</row>"],
            {"max_decompressed_bytes": 2_000_000},
            "unpacks to more than the 2 MB allowed, reading xl/worksheets/sheet1.xml "
            "(max_decompressed_bytes = 2000000)",
        ),
    ],
)
def test_limits_name_themselves_and_the_setting(sheet_data, options, message) -> None:  # type: ignore[no-untyped-def]
    """A sheet past a limit fails before it is read, naming the limit and the setting."""
    data = raw_xlsx(sheet_data)
    with pytest.raises(ParseError) as error:
        parse_workbook(data, source("xlsx", **options), "bomb.xlsx")
    text = str(error.value)
    assert text.startswith("bomb.xlsx: sheet 'Data' " if message[:3] == "has" else "bomb.xlsx: ")
    setting = message.split("(")[-1].split(" = ")[0]
    assert message in text and f"raise {setting} in the source's configuration" in text


def test_only_the_configured_sheet_is_measured_and_read() -> None:
    """A workbook whose other sheet is far past the limits still reads the configured sheet."""
    data = raw_xlsx(repeated_rows(100_000), Ratings=RATED)
    table = parse_workbook(data, source("xlsx", sheet="Ratings", max_rows=1_000), "r.xlsx")
    assert values(table) == [RATED[1]]


def test_a_damaged_part_is_named_damaged_and_not_read() -> None:
    """A part whose bytes do not match the checksum its zip entry declares is damaged."""
    data = bytearray(raw_xlsx(["<row><c><v>1</v></c></row>"]))
    central = data.rindex(b"xl/worksheets/sheet1.xml") - 46  # its central directory entry
    assert data[central : central + 4] == b"PK\x01\x02"
    data[central + 16 : central + 20] = b"\0\0\0\0"  # the CRC-32 it declares
    with pytest.raises(ParseError, match=r"^r\.xlsx: is a damaged workbook \(xl/worksheets/"):
        parse_workbook(bytes(data), source("xlsx"), "r.xlsx")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            '<table:table-row table:number-rows-repeated="100000"><table:table-cell '
            'table:number-columns-repeated="100" office:value-type="float" office:value="1">'
            "<text:p>1</text:p></table:table-cell></table:table-row>",
            "sheet 'Data' has a used range of 100,001 rows × 100 columns",
        ),
        (
            '<table:table-row table:number-rows-repeated="2000000"><table:table-cell/>'
            "</table:table-row><table:table-row>" + ods_cell("x") + "</table:table-row>",
            "sheet 'Data' has more than the 1,048,576 rows allowed",
        ),
    ],
)
def test_ods_repeats_count_as_the_cells_they_make(rows: str, message: str) -> None:
    """An ODS row or cell repeated a million times counts as a million (an 800-byte bomb)."""
    data = ods_bytes({"Data": [*ods_rows([["code"]]), rows]})
    assert len(data) < 2_000
    with pytest.raises(ParseError, match=message):
        parse_workbook(data, source("spreadsheet"), "bomb.ods")


def test_ods_trailing_empty_rows_are_not_counted() -> None:
    """The million empty rows a spreadsheet program writes after the data are harmless."""
    trailing = (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    data = ods_bytes({"Data": [*ods_rows(RATED), trailing]})
    assert values(parse_workbook(data, source("spreadsheet"), "r.ods")) == [RATED[1]]


# Hostile files through the command line: fail fast, in bounded memory ------------------------


# Runs the CLI and reports the process's own peak memory (VmHWM) as it exits. wait4's maxrss
# would not do: a child forked from a large pytest process starts with the parent's pages.
PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    sys.stderr.write('peak-kb ' + status.split('VmHWM:')[1].split()[0] + '\\n')\n"
    "atexit.register(peak)\n"
    "sys.argv = ['stp-tracker', *sys.argv[1:]]\n"
    "runpy.run_module('stp_tracker', run_name='__main__', alter_sys=True)\n"
)


def ingest_peak(tmp_path: Path, data: bytes, name: str) -> tuple[int, str, float]:
    """`stp-tracker ingest` of `data` in a child: exit code, its one line, its peak RSS (MB)."""
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "sources.toml").write_text(
        '[[source]]\nname = "sheet"\nformat = "xlsx"\neffective = "2017-07-21"\n'
        '[source.columns]\n"STP code" = "org.code"\n'
    )
    path = tmp_path / name
    path.write_bytes(data)
    command = [sys.executable, "-c", PEAK, "ingest", "sheet", str(path),
               "--db", str(tmp_path / "t.db"), "--config", str(config)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    *said, peak = done.stderr.strip().splitlines()
    assert peak.startswith("peak-kb "), done.stderr
    return done.returncode, "\n".join(said), int(peak.split()[1]) / 1024


@pytest.mark.slow
def test_a_five_million_row_bomb_fails_fast_in_bounded_memory(tmp_path: Path) -> None:
    """A 2.9 MB .xlsx holding 5 million rows is refused by max_rows after reading a fifth of
    it, in a process that never grows past 150 MB."""
    rng = random.Random(2017)  # rows of one digit 0-3, in blocks, so the file is 2.9 MB
    blocks = [
        "".join(f"<row><c><v>{rng.randrange(4)}</v></c></row>" for _ in range(1000))
        for _ in range(200)
    ]
    data = raw_xlsx(blocks[rng.randrange(200)] for _ in range(5000))
    assert 2_500_000 < len(data) < 3_300_000
    code, said, peak = ingest_peak(tmp_path, data, "rows.xlsx")
    assert code == 1 and said.count("\n") == 0
    assert "has more than the 1,048,576 rows allowed (max_rows = 1048576)" in said
    assert peak < 150


@pytest.mark.slow
def test_a_whitespace_bomb_fails_fast_in_bounded_memory(tmp_path: Path) -> None:
    """A 1 MB .xlsx whose sheet unpacks to a gigabyte of spaces is refused by
    max_decompressed_bytes, in a process that never grows past 150 MB."""
    padding = " " * (1 << 20)
    data = raw_xlsx(["<row>", *(padding for _ in range(1024)), "</row>"])
    assert len(data) < 1_500_000
    code, said, peak = ingest_peak(tmp_path, data, "spaces.xlsx")
    assert code == 1 and "unpacks to more than the 256 MB allowed" in said
    assert "(max_decompressed_bytes = 268435456)" in said
    assert peak < 150
