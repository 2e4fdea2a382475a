"""What the map draws on a date (publish/areas.py) and how merged areas are joined
(publish/geometry.py): lifetimes, lineage, boundaries by date, and the union of whole areas."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import astuple
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stp_tracker.publish.areas import RELATED, UNMAPPED, Areas, Boundary, Link, Organisation
from stp_tracker.publish.geometry import dissolve


def cell(x: int, y: int) -> list[list[list[float]]]:
    """The unit square at grid cell (x, y), as a polygon's coordinates (anticlockwise)."""
    return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]


def area(polygons: list) -> float:
    """The area covered: shells minus holes, from the rings' signed areas."""

    def signed(ring: list) -> float:
        return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2

    return sum(abs(signed(p[0])) - sum(abs(signed(h)) for h in p[1:]) for p in polygons)


def test_two_neighbours_dissolve_into_one_rectangle() -> None:
    """Two squares sharing a side become one polygon of six points without the shared side."""
    (joined,) = dissolve([cell(0, 0), cell(1, 0)])
    assert len(joined) == 1 and len(joined[0]) == 7
    assert area([joined]) == 2


def test_a_ring_of_cells_keeps_its_hole() -> None:
    """Eight squares around a ninth dissolve into one shell with one hole."""
    ring = [cell(x, y) for x in range(3) for y in range(3) if (x, y) != (1, 1)]
    (joined,) = dissolve(ring)
    assert len(joined) == 2 and area([joined]) == 8


def test_areas_that_do_not_touch_stay_apart() -> None:
    """Squares with no shared border are returned as they were."""
    apart = [cell(0, 0), cell(5, 5)]
    assert dissolve(apart) == apart


@settings(max_examples=60, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=20))
def test_dissolving_never_changes_the_area_covered(cells: set[tuple[int, int]]) -> None:
    """Whatever grid cells are joined, the union covers exactly their total area."""
    joined = dissolve([cell(x, y) for x, y in sorted(cells)])
    assert area(joined) == len(cells)


def org(code: str, kind: str, start: str | None, end: str | None) -> Organisation:
    """An organisation named after its code."""
    return Organisation(code, f"Area {code}", kind, start, end)


def boundary(code: str, x: int, effective: str = "2022-07-01", source: str = "b") -> Boundary:
    """A unit-square boundary for `code` at column x."""
    shape = json.dumps({"type": "Polygon", "coordinates": cell(x, 0)})
    return Boundary(code, source, shape, effective, (1, 0))


# Three ICBs of 2022: A and B merge whole into M in 2026; C is split between M2 and D.
ORGANISATIONS = [
    org("S1", "stp", None, "2022-07-01"),
    org("A", "icb", "2022-07-01", "2026-04-01"),
    org("B", "icb", "2022-07-01", "2026-04-01"),
    org("C", "icb", "2022-07-01", "2026-04-01"),
    org("D", "icb", "2022-07-01", None),
    org("M", "icb", "2026-04-01", None),
    org("M2", "icb", "2026-04-01", None),
]
LINKS = [
    Link("S1", "A", "2022-07-01", "rename"),
    Link("A", "M", "2026-04-01", "merge"),
    Link("B", "M", "2026-04-01", "merge"),
    Link("C", "M2", "2026-04-01", "split"),
    Link("C", "D", "2026-04-01", "split"),
]
BOUNDARIES = [boundary("S1", 0, "2017-02-01"), boundary("A", 0), boundary("B", 1),
              boundary("C", 2), boundary("D", 3)]  # fmt: skip


def test_the_map_draws_only_what_existed_on_the_date() -> None:
    """In 2017 the STP; in 2024 the four ICBs; in 2026 the merger joined, the rest listed."""
    areas = Areas(ORGANISATIONS, LINKS, BOUNDARIES)
    assert list(areas.plan("2017-07-21", "stp").drawn) == ["S1"]
    assert areas.plan("2017-07-21", "icb").drawn == {}
    assert sorted(areas.plan("2024-01-01", "icb").drawn) == ["A", "B", "C", "D"]
    later = areas.plan("2026-06-01", "icb")
    assert sorted(later.drawn) == ["M"]
    assert later.drawn["M"]["type"] == "Polygon"  # A and B dissolved into one rectangle
    assert area([later.drawn["M"]["coordinates"]]) == 2
    assert set(later.not_drawn) == {"M2", "D"}
    assert "took in parts of Area C (C), split between successors" in later.not_drawn["M2"]
    assert sorted(later.context) == ["C"]  # the old area under them, drawn as it was


def test_a_boundary_is_chosen_by_its_files_date() -> None:
    """The latest file dated on or before the day wins; a fetched one before a bundled one of
    the same date; before any file, the earliest."""
    bundled = boundary("A", 0, "2022-07-01", "bundled")
    fetched = Boundary("A", "fetched", bundled.geometry, "2022-07-01", (0, -9))
    newer = boundary("A", 7, "2024-04-01", "newer")
    areas = Areas(ORGANISATIONS, [], [bundled, newer, fetched])
    assert areas.boundary("A", "2023-01-01") == fetched
    assert areas.boundary("A", "2025-01-01") == newer
    assert areas.boundary("A", "2020-01-01") == fetched


def test_an_area_with_no_boundary_follows_a_rename_to_its_predecessor() -> None:
    """An ICB without its own boundary, renamed whole from an STP, is drawn as the STP was;
    one with neither a boundary nor predecessors is left for the map to count, not listed."""
    areas = Areas(ORGANISATIONS, LINKS, [boundary("S1", 0, "2017-02-01")])
    plan = areas.plan("2023-01-01", "icb")
    assert list(plan.drawn) == ["A"] and plan.not_drawn == {}
    assert not areas.mappable("B", "2023-01-01") and areas.mappable("A", "2023-01-01")


def test_an_area_formed_after_the_date_has_no_predecessors_yet() -> None:
    """A merger's predecessors count only from the merger's date: before it, an organisation
    with no boundary cannot be mapped; from it, it is listed with the reason it is not drawn."""
    areas = Areas(ORGANISATIONS, LINKS, [b for b in BOUNDARIES if b.code != "C"])
    assert not areas.mappable("M2", "2026-03-31") and areas.mappable("M2", "2026-04-01")
    assert "M2" in areas.plan("2026-06-01", "icb").not_drawn


@pytest.mark.parametrize("date", ["2017-07-21", "2023-01-01", "2026-03-31", "2026-06-01"])
def test_the_map_reads_only_what_it_can_map_and_counts_the_rest(date: str) -> None:
    """Reading only the organisations with a boundary or a lineage (RELATED) plans the same map
    as reading them all; the rest that existed are counted by kind in SQL (UNMAPPED)."""
    extra = [org(f"X{k}", "icb", "2022-07-01", None if k % 2 else "2026-04-01") for k in range(5)]
    everyone = [*ORGANISATIONS, *extra, org("S9", "stp", None, "2022-07-01")]
    bounds = [b for b in BOUNDARIES if b.code not in ("B", "C")]
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "create table organisations (code, name, kind, valid_from, valid_to);"
        "create table boundaries (code, source, geometry, effective, fetch_id);"
        "create table lineage (predecessor, successor, effective, kind);"
    )
    conn.executemany("insert into organisations values (?, ?, ?, ?, ?)", map(astuple, everyone))
    conn.executemany(
        "insert into boundaries values (?, ?, ?, ?, 0)",
        [(b.code, b.source, b.geometry, b.effective) for b in bounds],
    )
    conn.executemany("insert into lineage values (?, ?, ?, ?)", map(astuple, LINKS))
    related = [Organisation(*row) for row in conn.execute(RELATED)]
    assert len(related) < len(everyone)
    whole, read = Areas(everyone, LINKS, bounds), Areas(related, LINKS, bounds)
    for kind in ("stp", "icb"):
        assert read.plan(date, kind) == whole.plan(date, kind)
    left = Counter(o.kind for o in whole.existing(date) if not whole.mappable(o.code, date))
    assert dict(conn.execute(UNMAPPED, {"d": date}).fetchall()) == left


def test_an_older_own_boundary_does_not_draw_an_area_that_grew() -> None:
    """D's 2022 boundary is not its area after it took part of C in 2026."""
    areas = Areas(ORGANISATIONS, LINKS, BOUNDARIES)
    assert "D" in areas.plan("2024-01-01", "icb").drawn
    assert "D" in areas.plan("2026-06-01", "icb").not_drawn
    fresh = boundary("D", 3, "2026-04-01", "ons-2026")
    assert "D" in Areas(ORGANISATIONS, LINKS, [*BOUNDARIES, fresh]).plan("2026-06-01", "icb").drawn
