"""`python -m bench.spreadsheet`: a large workbook against the same rows as CSV, and two readers.

Generates a spending workbook like an ICB's published "spend over £25,000" file (deterministic:
3.9 MB, 187,000 data rows on its "Spend" sheet after a short "Notes" sheet, cell references
written as Excel writes them) and the same rows as CSV, then measures, each in its own child
process (wall time, peak RSS by wait4; median of --runs):

- `stp-tracker ingest` of the workbook and of the CSV, which both fail at row 3 on an ICB that
  appears twice, as the real file did: the time to the first error;
- the tracker's parser reading every row of each (parse() and a pass over the table's rows);
- reading the sheet row by row with python-calamine alone and with openpyxl's read-only mode.

`write_xlsx` writes a workbook's XML directly (far faster than a library for a million cells);
the tests use it to build hostile workbooks too.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import statistics
import sys
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from .__main__ import OUT, Measured, run_measured, stp_tracker
from .workload import REPO

ROWS = 187_000
_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's date serial numbers
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (
    f'{_XML}<styleSheet {_NS}><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def column_letters(number: int) -> str:
    """Excel's letters for a 1-based column number: 1 is A, 27 is AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_rows(rows: Iterable[Sequence[object]], strings: dict[str, int]) -> Iterable[str]:
    """A sheet's <row> elements as Excel writes them: references on rows and cells, text in the
    shared strings, dates as serial numbers in the date style."""
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            ref = f"{column_letters(column)}{number}"
            if value is None or value == "":
                continue
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        yield f'<row r="{number}">{"".join(cells)}</row>'


def write_part(archive: zipfile.ZipFile, name: str, pieces: Iterable[str]) -> None:
    """Stream one part into the archive, deflated, about a megabyte at a time."""
    with archive.open(name, "w", force_zip64=True) as part:
        buffer: list[str] = []
        held = 0
        for piece in pieces:
            buffer.append(piece)
            held += len(piece)
            if held >= 1 << 20:
                part.write("".join(buffer).encode())
                buffer.clear()
                held = 0
        part.write("".join(buffer).encode())


def _package(archive: zipfile.ZipFile, names: list[str], strings: dict[str, int]) -> None:
    """The parts around the sheets: content types, relationships, workbook, styles, strings."""
    count = len(names)
    numbers = range(1, count + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in numbers
    )
    archive.writestr(
        "[Content_Types].xml",
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        f'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>{overrides}</Types>',
    )
    archive.writestr(
        "_rels/.rels",
        f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    listed = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    archive.writestr(
        "xl/workbook.xml",
        f'{_XML}<workbook {_NS} xmlns:r="{_REL}"><sheets>{listed}</sheets></workbook>',
    )
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in numbers
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{_XML}<Relationships xmlns="{_PKG}">{links}'
        f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    )
    archive.writestr("xl/styles.xml", STYLES)
    shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    archive.writestr(
        "xl/sharedStrings.xml", f'{_XML}<sst {_NS} count="{len(strings)}">{shared}</sst>'
    )


def write_xlsx(
    target: str | Path | IO[bytes],
    sheets: dict[str, Iterable[Sequence[object]]],
    *,
    raw: dict[str, Iterable[str]] | None = None,
) -> None:
    """Write a minimal, valid .xlsx: each sheet's rows (text, numbers, dates), or for a name in
    `raw` the XML pieces of its <sheetData> as given (to build hostile workbooks)."""
    strings: dict[str, int] = {}
    names = [*sheets, *(raw or {})]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, name in enumerate(names, start=1):
            body = raw[name] if raw and name in raw else sheet_rows(sheets[name], strings)
            pieces = [f"{_XML}<worksheet {_NS}><sheetData>", body, "</sheetData></worksheet>"]
            write_part(
                archive,
                f"xl/worksheets/sheet{index}.xml",
                (piece for part in pieces for piece in ([part] if isinstance(part, str) else part)),
            )
        _package(archive, names, strings)


HEADER = ("ICB code", "Date", "Expense type", "Amount")
EXPENSES = (
    "Acute services", "Mental health", "Community services", "Primary care", "Prescribing",
    "Continuing care", "Estates", "IT services",
)  # fmt: skip


def spending_rows(count: int = ROWS, seed: int = 2017) -> list[tuple[object, ...]]:
    """A year of payments over £25,000 by four ICBs, so an ICB repeats from the third row."""
    rng = random.Random(seed)
    start = dt.date(2023, 4, 1)
    return [
        (
            rng.choice(("QWO", "QJK", "QKS", "QYG")),
            start + dt.timedelta(days=rng.randrange(365)),
            rng.choice(EXPENSES),
            rng.randrange(250, 2500) * 100,
        )
        for _ in range(count)
    ]


SOURCES = """\
[[source]]
name = "spend-{fmt}"
format = "{fmt}"
entity = "icb"
effective = "2024-03-31"
{sheet}
[source.columns]
"ICB code" = "org.code"
"Amount" = "metric.spend"
"""


def generate(folder: Path, rows: int = ROWS) -> dict[str, Path]:
    """The workbook, the CSV of its data sheet, and a config folder with a source for each."""
    folder.mkdir(parents=True, exist_ok=True)
    data = spending_rows(rows)
    workbook = folder / "spend.xlsx"
    notes = [("Spend over £25,000, 2023-24",), ("Published by the ICB under the OGL",)]
    write_xlsx(workbook, {"Notes": notes, "Spend": [HEADER, *data]})
    table = folder / "spend.csv"
    with table.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(
            [value.isoformat() if isinstance(value, dt.date) else value for value in row]
            for row in data
        )
    config = folder / "config"
    config.mkdir(exist_ok=True)
    (config / "scales.toml").write_text((REPO / "config" / "scales.toml").read_text())
    (config / "sources.toml").write_text(
        SOURCES.format(fmt="xlsx", sheet='sheet = "Spend"') + SOURCES.format(fmt="csv", sheet="")
    )
    return {"xlsx": workbook, "csv": table, "config": config}


# Read every row as the tracker does (the parser's table, row by row), or with a library alone.
READER = """\
import sys
which, path = sys.argv[1], sys.argv[2]
rows = 0
if which in ("xlsx", "csv"):
    from stp_tracker.config.loading import load_config
    from stp_tracker.parse import parse
    source = load_config(sys.argv[3]).sources["spend-" + which]
    with open(path, "rb") as handle:
        table = parse(handle.read(), source, path)
    for row in table.rows:
        rows += 1
elif which == "calamine":
    import python_calamine
    sheet = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_name("Spend")
    for row in sheet.iter_rows():
        rows += 1
else:
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for row in book["Spend"].iter_rows(values_only=True):
        rows += 1
print(rows, "rows")
"""


def _median(runs: list[Measured]) -> tuple[float, float]:
    return statistics.median(m.wall_s for m in runs), max(m.peak_rss_mb for m in runs)


def _line(label: str, runs: list[Measured]) -> tuple[float, float]:
    """Print one figure (median time, highest peak) with the command's last words."""
    wall, rss = _median(runs)
    said = (runs[-1].stdout.strip() or runs[-1].stderr.strip()).splitlines()
    print(f"{label:<34} {wall:6.2f} s {rss:6.0f} MB  {said[-1][:90] if said else ''}", flush=True)
    return wall, rss


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spreadsheet", description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    folder = OUT / "spreadsheet"
    files = generate(folder, args.rows)
    print(f"workbook {files['xlsx'].stat().st_size / 1e6:.2f} MB: {args.rows:,} rows on 'Spend' "
          f"after a 'Notes' sheet; the CSV of its rows {files['csv'].stat().st_size / 1e6:.2f} MB; "
          f"median of {args.runs} runs, peak RSS the highest", flush=True)  # fmt: skip
    template = folder / "template.db"
    for stale in folder.glob("*.db*"):
        stale.unlink()
    init = [*stp_tracker(), "init", "--db", str(template), "--config", str(files["config"])]
    if not run_measured(init, folder / "logs" / "init").ok:
        print("stp-tracker init failed; see bench/out/spreadsheet/logs/init", flush=True)
        return 1
    figures = {}
    for fmt in ("csv", "xlsx"):
        runs = []
        for run in range(args.runs):
            db = folder / f"{fmt}-{run}.db"
            shutil.copyfile(template, db)
            command = [*stp_tracker(), "ingest", f"spend-{fmt}", str(files[fmt]),
                       "--db", str(db), "--config", str(files["config"])]  # fmt: skip
            runs.append(run_measured(command, folder / "logs" / f"ingest-{fmt}-{run}"))
        figures[fmt] = _line(f"ingest to the first error, {fmt}", runs)
    ratio = figures["xlsx"][0] / figures["csv"][0]
    print(f"{'  xlsx against csv':<34} {ratio:5.2f}x (target ≤ 3x), peak {figures['xlsx'][1]:.0f} "
          "MB (target ≤ 200 MB)", flush=True)  # fmt: skip
    script = folder / "reader.py"
    script.write_text(READER)
    for reader, label in (
        ("csv", "parse every row, csv"),
        ("xlsx", "parse every row, xlsx"),
        ("calamine", "python-calamine alone"),
        ("openpyxl", "openpyxl read-only alone"),
    ):
        path = files["csv" if reader == "csv" else "xlsx"]
        command = [sys.executable, str(script), reader, str(path), str(files["config"])]
        _line(label, [
            run_measured(command, folder / "logs" / f"{reader}-{run}") for run in range(args.runs)
        ])  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
