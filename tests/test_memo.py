"""What extraction remembers between the files of a run (memo.py) never changes what a file
reads as.

A backfill reads most rows from memory by their raw cells, skipping identification and
normalisation; these properties tie that shortcut to the slow path it skips: a run of files,
read as the pipeline reads them (one resolver and one memory, learning what each file creates),
gives for every file exactly what reading that file afresh gives with the resolver as it then
stood: statements, organisations identified on each row's date, organisations created, rows
skipped, names unmatched, aliases used, and problems.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from stp_tracker.config import Kinds, SourceConfig
from stp_tracker.config.loading import load_scales
from stp_tracker.extract.bulk import _lines_less_dates
from stp_tracker.extract.memo import Memory
from stp_tracker.extract.records import Extracted, extract
from stp_tracker.parse.base import RecordRows, Records, Row, SplitLines, Table
from stp_tracker.resolve.resolver import Meaning, Resolver

REPO = Path(__file__).resolve().parent.parent
SCALE = load_scales(REPO / "config" / "scales.toml")["stp-2017"]
KINDS = Kinds(
    codes={"location": (r"[A-Z]\d", r"[a-z]\d")},
    aggregate_codes=(r"E92\d{6}",),
    aggregate_names=("England", "Total"),
)
COLUMNS = {
    "code": "org.code", "name": "org.name", "rating": "rating.overall", "lead": "leader.lead",
    "m": "metric.m", "pub": "publisher", "note": "note",
}  # fmt: skip
HEADER = (*COLUMNS, "period")


def resolver() -> Resolver:
    """Organisations whose codes mean different things on different dates: A1 always; B2 only
    while it existed (2018 and 2019); X9 meant OLD until 2019 and NEW after; K7 is another
    kind's; R is R1 until 2019 and R2 after (a recode, stated as org.code); P5 is a person's
    alias of A1; names Northumberland (A1) and Southampton (B2, while it existed)."""
    b2 = Meaning("B2", "location", born="2018-01-01", died="2020-01-01")
    return Resolver(
        "location",
        codes={
            "a1": frozenset({"A1"}),
            "p5": frozenset({"A1"}),
            "b2": (b2,),
            "x9": (
                Meaning("OLD", "location", end="2019-01-01", died="2019-06-01"),
                Meaning("NEW", "location", start="2019-01-01", born="2018-06-01"),
            ),
            "k7": (Meaning("K7", "trust"),),
            "r1": (Meaning("R", "location", end="2019-01-01"),),
            "r2": (Meaning("R", "location", start="2019-01-01"),),
        },
        names={"northumberland": frozenset({"A1"}), "southampton": (b2,)},
        display=dict(A1="Northumberland", B2="Southampton", OLD="Old", NEW="New", K7="Trust"),
        successive={"R": {"r1": "R1", "r2": "R2"}},
        people={("p5", "A1"): "curated"},
    )


CODES = ["A1", "a1", "B2", "X9", "K7", "P5", "R1", "R2", "C3", "c4", "Z9", "ZZZ", "E92000001", ""]
NAMES = ["Northumberland", "Southampton", "Northumberlnd", "Southamptn", "England", "", "Else"]
PERIODS = ["2017-07-21", "2018-07-21", "2019-07-21", "2020-07-21", ""]
row_cells = st.fixed_dictionaries(
    {
        "code": st.sampled_from(CODES),
        "name": st.sampled_from(NAMES),
        "rating": st.sampled_from(["Advanced", "advanced", "Making progress", "", "purple"]),
        "lead": st.sampled_from(["Dr Ann Lee", "Ann Lee OBE", "Bo Kay", ""]),
        "m": st.sampled_from(["1.5", "2", "", "1,000", "lots"]),
        "pub": st.sampled_from(["", "HSJ"]),
        "note": st.sampled_from(["", "interim"]),
        "period": st.sampled_from(PERIODS),
    }
)


def dated(rows: list[dict[str, str]], period: str, own: list[bool]) -> list[dict[str, str]]:
    """The rows of a file dated `period`, except those that keep their own date."""
    return [
        cells if keep else {**cells, "period": period}
        for cells, keep in zip(rows, own, strict=False)  # as many as there are rows
    ]


def run_of(pool: list[dict[str, str]]) -> st.SearchStrategy[list[list[dict[str, str]]]]:
    """Files that repeat rows of `pool`, as releases do (most of them under the file's own
    date), so most of a later file is what the run read before, often on another date."""
    one_file = st.builds(
        dated,
        st.lists(st.one_of(st.sampled_from(pool), row_cells), min_size=1, max_size=6),
        st.sampled_from(PERIODS[:-1]),
        st.lists(st.booleans(), min_size=6, max_size=6),
    )
    return st.lists(one_file, min_size=2, max_size=4)


files = st.lists(row_cells, min_size=1, max_size=6).flatmap(run_of)


def tables(rows: list[dict[str, str]], layout: str) -> tuple[Table, Table]:
    """The same rows as a table with records (read from memory by their cells, or by their
    lines, the date first or last), and as one with rows only (read afresh)."""
    header = ("period", *COLUMNS) if layout == "first" else HEADER
    numbers = range(2, len(rows) + 2)
    cells = [[row[column] for column in header] for row in rows]
    records = Records(numbers, cells)
    if layout != "cells":
        lines = ["|".join(line) for line in cells]
        records = Records(numbers, SplitLines(lines, "|"), lines, "|")
    plain = tuple(
        Row(n, dict(zip(header, c, strict=True))) for n, c in zip(numbers, cells, strict=True)
    )
    return Table(header, RecordRows(header, records), records), Table(header, plain)


def outcome(extracted: Extracted) -> tuple:
    """Everything a run takes from an extraction."""
    found = extracted.identities
    releases = [(r.effective, tuple(r.statements), r.organisations, r.aliases)
                for r in extracted.releases]  # fmt: skip
    problems = [str(problem) for problem in extracted.problems]
    return (releases, found.created, list(found.fuzzy.values()), found.skipped, found.unmatched,
            found.used, problems, extracted.problem_count, extracted.records)  # fmt: skip


def learn(resolver: Resolver, extracted: Extracted) -> None:
    """What the pipeline does after a file reads without problems."""
    for release in extracted.releases:
        for organisation in release.organisations:
            resolver.learn(organisation["code"] or "", organisation["name"] or "")


def row(code: str, name: str, period: str = "2018-07-21") -> dict[str, str]:
    """A row stating a rating."""
    cells = {"rating": "Advanced", "lead": "", "m": "", "pub": "", "note": "", "period": period}
    return {"code": code, "name": name, **cells}


@settings(max_examples=600, deadline=None)
@given(files, st.booleans(), st.sampled_from([(), ("ZZ.*",)]), st.sampled_from([None, "last"]),
       st.sampled_from(["cells", "last", "first", "fixed"]))  # fmt: skip
@example(  # a name that identified A1 names two organisations once C3 is learned under it
    [[row("C3", "Northumberland"), row("", "Northumberland")], [row("", "Northumberland")]],
    True, (), None, "cells",
)  # fmt: skip
def test_a_run_reads_each_file_as_a_fresh_read_would(
    runs, creates, skip_rows, aggregate, layout
) -> None:
    """Each file of a run reads (rows taken from memory by their cells or lines, on their
    dates) exactly as the same file read afresh, with nothing remembered, against the resolver
    as the run's earlier files left it; a file that fails teaches the run nothing."""
    source = SourceConfig(
        name="memo", format="csv", entity="location", creates=creates, complete=True,
        columns=COLUMNS, effective_column="period", skip_rows=skip_rows, aggregate=aggregate,
    )  # fmt: skip
    remembered, fresh, memory = resolver(), resolver(), Memory()
    for index, rows in enumerate(runs):
        by_position, by_name = tables(rows, layout)
        read = {"source": source, "origin": f"{index}.csv", "scale": SCALE, "kinds": KINDS,
                "as_of": "2019-07-21" if layout == "fixed" else None}  # fmt: skip
        from_memory = extract(by_position, resolver=remembered, memory=memory, **read)
        afresh = extract(by_name, resolver=fresh, memory=Memory(), **read)
        assert outcome(from_memory) == outcome(afresh)
        if not (afresh.problems or afresh.unmatched):  # a failed file ends its run
            learn(remembered, from_memory)
            learn(fresh, afresh)


DATES = ["2017-07-21", "2018-06-01", "2019-01-01", "2019-05-31", "2019-06-01", "2021-01-01"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CODES[:-1]), st.sampled_from(DATES),
       st.sampled_from([*DATES, "", "2018", "2019-03", "3000"]))  # fmt: skip
def test_a_code_answers_alike_on_every_date_it_is_steady(code, on, other) -> None:
    """`steady(code, on)` is an interval containing `on` on every date of which the code
    resolves as on `on`; the memory trusts it to skip identifying rows."""
    found = resolver()
    low, high = found.steady(code, on)
    assert low <= on < high
    if low <= other < high:
        assert found.by_code(code, other) == found.by_code(code, on)


@settings(max_examples=1000)
@given(st.lists(st.text(st.sampled_from("ab|"), max_size=6), max_size=5), st.booleans())
def test_lines_cut_by_length_are_lines_split_at_their_date(lines, first) -> None:
    """A file's lines less their date, cut off by length when every line has the first line's
    date, are what splitting each at its first (or last) delimiter gives."""
    keys, dates = _lines_less_dates(lines, "|", first=first)
    parts = [line.partition("|") if first else line.rpartition("|") for line in lines]
    split = ([p[2] for p in parts], [p[0] for p in parts]) if first else (
        [p[0] for p in parts], [p[2] for p in parts])  # fmt: skip
    assert (keys, dates) == split
