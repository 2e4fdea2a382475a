"""What one anonymous request can cost the published server, pinned with real requests.

Datasette's own client for the bounds on queries, functions, paths and CSV; a real `stp-tracker
serve` process for memory, whose peak resident size (VmHWM) is read from /proc before and after
hostile queries. The figures the README states come from these tests.
"""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from hypothesis import given
from hypothesis import strategies as st

from stp_tracker.cli import main
from stp_tracker.extract.normalise import fold
from stp_tracker.output import formula_safe
from stp_tracker.publish import build_datasette
from stp_tracker.publish.csvsafe import CsvRewriter
from stp_tracker.publish.guards import Limits
from tests.conftest import REPO, csv_bytes, free_port, write_config

HEADER = ["STP code", "STP name", "Overall rating", "Footprint lead", "Beds", "Period"]
HOSTILE = [
    ["E54000041", "Dorset", "Outstanding", '=HYPERLINK("http://evil.example","x")', "-5",
     "2017-07-21"],
    ["E54000010", "Staffordshire", "Red", "@SUM(A1:A9)", "12", "2017-07-21"],
    ["E54000005", "West Yorkshire", "Advanced", "+44 20 7946 0000", "3.5", "2017-07-21"],
]  # fmt: skip
LIMITS = Limits()
MEGABYTE = 1024 * 1024


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A database whose leaders' names look like spreadsheet formulas, and its config."""
    base = tmp_path_factory.mktemp("guards")
    config = write_config(base / "config")
    db = base / "db" / "stp.db"
    (base / "hostile.csv").write_bytes(csv_bytes(HOSTILE, HEADER))
    runner = CliRunner()
    for args in (["init"], ["ingest", "dashboard", str(base / "hostile.csv")]):
        result = runner.invoke(main, [*args, "--db", str(db), "--config", str(config)])
        assert result.exit_code == 0, result.output
    return {"db": db, "config": config, "base": base}


@pytest.fixture(scope="module")
def ds(built: dict[str, Path]) -> Datasette:
    """The Datasette `serve` publishes, with the repository's datasette.yml."""
    return build_datasette(built["db"], REPO / "config")


def call(ds: Datasette, path: str) -> httpx.Response:
    """One GET through Datasette's test client."""

    async def go() -> httpx.Response:
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(go())


def sql(ds: Datasette, text: str, fmt: str = "json") -> httpx.Response:
    """Arbitrary SQL through the published endpoint."""
    return call(ds, f"/stp.{fmt}?" + urlencode({"sql": text, "_shape": "array"}))


@pytest.mark.parametrize(
    "query",
    [
        "select randomblob(500000000)",
        "select zeroblob(600000)",
        "select hex(randomblob(300000))",
        "select replace(printf('%.*c', 400000, 'a'), 'a', 'bb')",
        "select group_concat(randomblob(1000)) from (with recursive r(i) as (select 1 union all "
        "select i + 1 from r limit 1000) select i from r)",
    ],
    ids=["randomblob", "zeroblob", "hex", "replace", "group_concat"],
)
def test_no_value_can_pass_the_value_limit(ds: Datasette, query: str) -> None:
    """Any text or blob over 500 kB, however it is built, fails at once: nothing is allocated."""
    response = sql(ds, query)
    assert response.status_code == 400 and "string or blob too big" in response.text


def test_values_within_the_limit_are_fine(ds: Datasette) -> None:
    """A value just under the limit is returned as usual."""
    response = sql(ds, f"select length(randomblob({LIMITS.value_bytes - 1000})) as n")
    assert response.json() == [{"n": LIMITS.value_bytes - 1000}]


def test_one_query_returns_at_most_the_result_budget(ds: Datasette) -> None:
    """Rows whose text and blobs together pass 10 MB fail with a message saying so."""
    rows = LIMITS.result_bytes // 400_000 + 5
    response = sql(ds, "with recursive r(i) as (select 1 union all select i + 1 from r limit "
                       f"{rows}) select randomblob(400000) from r")  # fmt: skip
    assert response.status_code == 400
    assert "larger than 10,000,000 bytes" in response.text


def test_too_many_columns_or_too_much_sql_is_refused(ds: Datasette) -> None:
    """More than 64 result columns, or more than 50,000 characters of SQL, fail at once."""
    wide = sql(ds, "select " + ", ".join(str(n) for n in range(LIMITS.columns + 1)))
    assert wide.status_code == 400 and "too many columns" in wide.text
    long = sql(ds, "select 1 " + " " * LIMITS.sql_length)
    assert long.status_code == 400 and "too large" in long.text


def test_fold_refuses_huge_text_and_still_folds_names(ds: Datasette) -> None:
    """fold() of a name works; of text over 1,000 characters it is NULL, at once."""
    response = sql(ds, "select fold('The Dorset STP') as name, "
                       "fold(printf('%.*c', 400000, 'x')) as huge")  # fmt: skip
    assert response.json() == [{"name": fold("The Dorset STP"), "huge": None}]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("select trim(printf('%.*c', 200000, 'a'), printf('%.*c', 200000, 'b') || 'a')", ""),
        ("select instr(printf('%.*c', 400000, 'a'), printf('%.*c', 199000, 'a') || 'b')", 0),
        (
            "select length(replace(printf('%.*c', 400000, 'a'), printf('%.*c', 199000, 'a') "
            "|| 'b', 'z'))",
            400000,
        ),
        ("select rtrim('hi!?!', '?!') || ltrim('xxhi', 'x')", "hihi"),
    ],
    ids=["trim", "instr", "replace", "small"],
)
def test_quadratic_builtins_answer_quickly(ds: Datasette, query: str, expected: Any) -> None:
    """trim/instr/replace on maximal inputs (a minute of one uninterruptible call in SQLite's
    own versions) answer correctly within the query's time limit."""
    response = sql(ds, query + " as v")
    assert response.status_code == 200, response.text
    assert response.json() == [{"v": expected}]


def test_the_database_path_is_not_published(ds: Datasette, built: dict[str, Path]) -> None:
    """No page, JSON document or SQL answer shows the folder the database lives in."""
    folder = str(built["db"].parent.resolve())
    listing = call(ds, "/-/databases.json").json()
    assert [(d["name"], d["path"]) for d in listing] == [("stp", "stp.db")]
    for path in ("/-/databases.json", "/-/databases", "/stp.json", "/-/metadata.json",
                 "/-/settings.json", "/-/threads.json", "/-/plugins.json", "/stp"):  # fmt: skip
        assert folder not in call(ds, path).text, path
    pragma = sql(ds, "select name, file from pragma_database_list")
    assert pragma.json() == [{"name": "main", "file": None}]


def test_csv_exports_neutralise_formula_cells(ds: Datasette) -> None:
    """Table, view, query and streamed CSV exports prefix formula-like cells with an apostrophe;
    numbers (-5) and ordinary text are unchanged, and the CSV still parses."""
    query = "/stp.csv?" + urlencode({"sql": "select leader from leadership_history"})
    for path in ("/stp/facts.csv?_stream=1&attribute=leader.stp_lead",
                 "/stp/leadership_history.csv?_dl=1", query):  # fmt: skip
        response = call(ds, path)
        assert response.status_code == 200, path
        cells = {cell for row in csv.reader(io.StringIO(response.text)) for cell in row}
        assert '\'=HYPERLINK("http://evil.example","x")' in cells, path
        assert {"'@SUM(A1:A9)", "'+44 20 7946 0000"} <= cells, path
        assert not any(cell.startswith(("=", "@", "+")) for cell in cells), path
    metrics = call(ds, "/stp.csv?" + urlencode({"sql": "select '-5' as a, '-x' as b, '\tx' as c"}))
    assert list(csv.reader(io.StringIO(metrics.text))) == [["a", "b", "c"], ["-5", "'-x", "'\tx"]]


def test_the_cli_csv_export_is_formula_safe_too(built: dict[str, Path]) -> None:
    """`stp-tracker changes --format csv` neutralises the same cells."""
    result = CliRunner().invoke(
        main, ["changes", "--format", "csv", "--db", str(built["db"]),
               "--config", str(built["config"])],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    cells = {cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row}
    assert "'@SUM(A1:A9)" in cells and "@SUM(A1:A9)" not in cells


@given(
    rows=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_the_csv_rewriter_handles_any_split(rows: list[list[str]], cuts: list[int]) -> None:
    """However a CSV stream is split into chunks, the rewritten stream parses to the same
    rows with each cell made formula-safe."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode("utf-8")
    points = sorted({min(c, len(data)) for c in cuts})
    pieces = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    rewriter = CsvRewriter()
    written = b"".join(rewriter.feed(p) for p in pieces) + rewriter.feed(b"", final=True)
    parsed = list(csv.reader(io.StringIO(written.decode("utf-8"), newline="")))
    expected = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert parsed == [[formula_safe(cell) for cell in row] for row in expected]


def test_streamed_csv_exports_every_row(tmp_path: Path, built: dict[str, Path]) -> None:
    """`_stream=1` exports a whole table, past max_returned_rows, as the README says."""
    config = tmp_path / "config"
    config.mkdir()
    text = (REPO / "config" / "datasette.yml").read_text()
    (config / "datasette.yml").write_text(
        text.replace("max_returned_rows: 1000", "max_returned_rows: 10")
    )
    small = build_datasette(built["db"], config)
    every = call(small, "/stp/organisations.csv?_stream=1&_size=max").text.splitlines()
    page = call(small, "/stp/organisations.csv?_size=max").text.splitlines()
    assert len(page) == 11 and len(every) > 50


# A real server's memory -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def serve(built: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """`stp-tracker serve` as a real process; yields its base URL and pid."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stp_tracker", "serve", "--db", str(built["db"]),
         "--config", str(REPO / "config"), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/robots.txt", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)


def memory(pid: int, field: str) -> int:
    """VmRSS (resident now) or VmHWM (peak resident) of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field}")


def reset_peak(pid: int) -> int:
    """Reset the process's peak to its current resident size (Linux clear_refs), and return
    that size, so the next peak measures one request alone."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return memory(pid, "VmRSS")


WORST = {  # each with the bound on the peak memory it may add, as the README states it
    "randomblob": ("select randomblob(500000000)", 10 * MEGABYTE),
    "result budget": ("with recursive r(i) as (select 1 union all select i + 1 from r limit 100) "
                      "select randomblob(400000) from r", 100 * MEGABYTE),
    "widest row": ("with r(x) as (select randomblob(499000)) select "
                   + ", ".join(["x"] * 64) + " from r", 100 * MEGABYTE),
    "sort": ("with recursive r(i) as (select 1 union all select i + 1 from r) "
             "select randomblob(499000) from r order by 1", 100 * MEGABYTE),
    "largest answer": ("with recursive r(i) as (select 1 union all select i + 1 from r limit 19) "
                       "select printf('%.*c', 499000, 'x') from r", 100 * MEGABYTE),
}  # fmt: skip


@pytest.mark.parametrize("case", list(WORST))
def test_a_hostile_query_costs_the_real_server_little_memory(
    serve: tuple[str, int], case: str
) -> None:
    """Against a real `serve` process, each hostile query fails with a 400 (the largest
    answer the budget allows succeeds) and raises the server's peak memory by less than the
    README's bound; the server keeps answering."""
    base, pid = serve
    query, bound = WORST[case]
    before = reset_peak(pid)
    response = httpx.get(f"{base}/stp.json?" + urlencode({"sql": query}), timeout=30)
    grown = memory(pid, "VmHWM") - before
    print(f"{case}: HTTP {response.status_code}, peak RSS +{grown / MEGABYTE:.1f} MB")
    assert response.status_code == (200 if case == "largest answer" else 400)
    assert grown < bound, f"{case} grew the server by {grown / MEGABYTE:.0f} MB"
    assert httpx.get(f"{base}/stp/organisations.json?_size=1", timeout=10).status_code == 200
