"""Reading and writing the stored history: fact versions (single or in groups), change
records and stated runs. The shape is described in `schema.py`; this module is the only one
that knows it, apart from the views.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from .compact import SLOTS

Key = tuple[int, int]  # (organisation id, attribute id)

_VERSION_COLUMNS = (
    "org, attr, valid_from, recorded, valid_to, value, closed, retired, fetch_id, plain, id"
)
_GROUP_VALUES = ", ".join(f"v{k}" for k in range(1, SLOTS + 1))


def stored_fetch(fetch_id: int | None, first_fetch: int | None) -> int | None:
    """A version's fetch as stored: None when it is its release's first fetch, 0 for none."""
    if fetch_id == first_fetch:
        return None
    return 0 if fetch_id is None else fetch_id


@dataclass(slots=True)
class Version:
    """A fact version as stored; `group` is the primary key of the group holding it, if any."""

    org: int
    attr: int
    valid_from: int
    recorded: int
    valid_to: int | None
    value: int
    closed: int | None
    fetch_id: int | None  # None: the first fetch of the release at valid_from; 0: none
    plain: bool
    id: int = 0
    retired: int | None = None
    group: tuple[int, int, int, int] | None = None
    slot: int = 0


@dataclass(slots=True)
class Record:
    """A stored change that is not a version's plain start."""

    org: int
    attr: int
    effective: int
    recorded: int
    old: int | None
    new: int | None
    fetch_id: int | None
    direction: int | None
    id: int
    retired: int | None = None


def _select_keys(conn: sqlite3.Connection, keys: Iterable[Key]) -> None:
    """Fill the temporary table of keys the next reads join to."""
    conn.execute(
        "create temp table if not exists store_keys (org integer, attr integer, "
        "primary key (org, attr)) without rowid"
    )
    conn.execute("delete from store_keys")
    conn.executemany("insert into store_keys values (?, ?)", sorted(keys))


def believed_versions(
    conn: sqlite3.Connection, releases: Collection[int], keys: Collection[Key] | None,
    *, open_only: bool = False,
) -> list[Version]:  # fmt: skip
    """The believed versions of a source (its `releases`), of `keys` only when given, and of
    open facts only with `open_only`."""
    if keys is not None:
        _select_keys(conn, keys)
        single = (
            f"select v.{_VERSION_COLUMNS.replace(', ', ', v.')} from store_keys k "
            "join fact_versions v on v.org = k.org and v.attr = k.attr where v.retired is null"
        )
        groups = (
            f"select g.org, g.valid_from, g.recorded, g.layout, g.id, {_GROUP_VALUES} "
            "from (select distinct org from store_keys) k join fact_groups g on g.org = k.org"
        )
    else:
        single = f"select {_VERSION_COLUMNS} from fact_versions where retired is null"
        groups = f"select org, valid_from, recorded, layout, id, {_GROUP_VALUES} from fact_groups"
    if open_only:
        single += " and valid_to is null"
    found = []
    for org, attr, start, recorded, valid_to, value, closed, _, fetch, plain, id_ in conn.execute(
        single
    ):
        if start in releases:
            found.append(Version(org, attr, start, recorded, valid_to, value, closed, fetch,
                                 bool(plain), id_))  # fmt: skip
    layouts = _layouts(conn)
    wanted = set(keys) if keys is not None else None
    for org, valid_from, recorded, layout, group_id, *values in conn.execute(groups):
        if valid_from not in releases:
            continue
        pk = (org, valid_from, recorded, layout)
        for slot, attr in enumerate(layouts[layout], start=1):
            value = values[slot - 1]
            if value is not None and (wanted is None or (org, attr) in wanted):
                found.append(Version(org, attr, valid_from, recorded, None, value, None, None,
                                     True, group_id * 16 + slot, None, pk, slot))  # fmt: skip
    return found


def open_facts(
    conn: sqlite3.Connection, releases: Collection[int]
) -> dict[int, list[tuple[int, int, int, int | None]]]:
    """A complete source's believed open-ended facts by organisation, as (attribute, value,
    valid_from, stored fetch), read straight from the rows (no version objects)."""
    found: dict[int, list[tuple[int, int, int, int | None]]] = {}
    for org, attr, start, value, fetch in conn.execute(
        "select org, attr, valid_from, value, fetch_id from fact_versions "
        "where retired is null and valid_to is null"
    ):
        if start in releases:
            found.setdefault(org, []).append((attr, value, start, fetch))
    layouts = _layouts(conn)
    for org, start, layout, *values in conn.execute(
        f"select org, valid_from, layout, {_GROUP_VALUES} from fact_groups"
    ):
        if start in releases:
            facts = found.setdefault(org, [])
            for attr, value in zip(layouts[layout], values, strict=False):
                if value is not None:
                    facts.append((attr, value, start, None))
    return found


def believed_records(
    conn: sqlite3.Connection, releases: Collection[int], keys: Collection[Key] | None
) -> list[Record]:
    """The believed change records of a source, of `keys` only when given (after
    `believed_versions` with the same keys)."""
    columns = "c.org, c.attr, c.effective, c.recorded, c.old, c.new, c.fetch_id, c.direction, c.id"
    if keys is not None:
        sql = (
            f"select {columns} from store_keys k join change_records c "
            "on c.org = k.org and c.attr = k.attr where c.retired is null"
        )
    else:
        sql = f"select {columns} from change_records c where c.retired is null"
    return [Record(*row) for row in conn.execute(sql) if row[2] in releases]


def _layouts(conn: sqlite3.Connection) -> dict[int, tuple[int, ...]]:
    slots: dict[int, list[int]] = {}
    for layout, attr in conn.execute("select layout, attr from layout_slots order by layout, slot"):
        slots.setdefault(layout, []).append(attr)
    return {layout: tuple(attrs) for layout, attrs in slots.items()}


@dataclass
class Writes:
    """What an apply changes in the stored history, written at once by `write`."""

    new: list[Version] = field(default_factory=list)
    changed: list[Version] = field(default_factory=list)  # valid_to, closed, retired or plain moved
    new_records: list[Record] = field(default_factory=list)
    retired_records: list[Record] = field(default_factory=list)
    # (org, valid_from, recorded, attrs, values) of new open, plain versions of one release
    groups: list[tuple[int, int, int, tuple[int, ...], list[int]]] = field(default_factory=list)


def write(
    conn: sqlite3.Connection, writes: Writes, layout_of: Callable[[tuple[int, ...]], int],
    new_id: Callable[[], int],
) -> None:  # fmt: skip
    """Write an apply's versions and records. A changed member of a group leaves it for a row
    of its own (same id); new versions that are open-ended, plain and of their release's first
    fetch are grouped by organisation and release, up to SLOTS to a row. Numbers are given in
    the order of `writes`, so the same applies number a rebuilt database the same way."""
    leaving = _update_changed(conn, writes.changed)
    rows, groups = _numbered(writes, leaving, layout_of, new_id)
    conn.executemany(
        f"insert into fact_versions ({_VERSION_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(v.org, v.attr, v.valid_from, v.recorded, v.valid_to, v.value, v.closed, v.retired,
          v.fetch_id, v.plain or None, v.id) for v in rows],
    )  # fmt: skip
    conn.executemany(
        "insert into fact_groups (org, valid_from, recorded, layout, id, "
        f"{_GROUP_VALUES}) values ({', '.join('?' * (5 + SLOTS))})",
        groups,
    )
    for record in writes.new_records:
        if not record.id:
            record.id = new_id() * 16
    conn.executemany(
        "insert into change_records (org, attr, effective, recorded, old, new, retired, "
        "fetch_id, direction, id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.org, r.attr, r.effective, r.recorded, r.old, r.new, r.retired, r.fetch_id,
          r.direction, r.id) for r in writes.new_records],
    )  # fmt: skip
    conn.executemany(
        "update change_records set retired = ? "
        "where org = ? and attr = ? and effective = ? and recorded = ?",
        [(r.retired, r.org, r.attr, r.effective, r.recorded) for r in writes.retired_records],
    )


def _update_changed(conn: sqlite3.Connection, changed: list[Version]) -> list[Version]:
    """Update the changed versions that have rows of their own; take the others out of their
    groups (a group left empty goes) and return them, to be written as rows of their own."""
    conn.executemany(
        "update fact_versions set valid_to = ?, closed = ?, retired = ?, plain = ? "
        "where org = ? and attr = ? and valid_from = ? and recorded = ?",
        [(v.valid_to, v.closed, v.retired, v.plain or None, v.org, v.attr, v.valid_from,
          v.recorded) for v in changed if v.group is None],
    )  # fmt: skip
    leaving = [v for v in changed if v.group is not None]
    groups_left = [(v.slot, v.group) for v in leaving if v.group is not None]
    for slot in sorted({slot for slot, _ in groups_left}):
        conn.executemany(
            f"update fact_groups set v{slot} = null "
            "where org = ? and valid_from = ? and recorded = ? and layout = ?",
            [group for at, group in groups_left if at == slot],
        )
    conn.executemany(
        "delete from fact_groups where org = ? and valid_from = ? and recorded = ? and layout = ? "
        f"and coalesce({_GROUP_VALUES}) is null",
        list({group: None for _, group in groups_left}),
    )
    return leaving


def _numbered(
    writes: Writes, leaving: list[Version], layout_of: Callable[[tuple[int, ...]], int],
    new_id: Callable[[], int],
) -> tuple[list[Version], list[tuple]]:  # fmt: skip
    """The version rows and group rows to insert, numbered: new versions that can share a
    group (several of one organisation and release) do, the others get rows of their own."""
    grouped: dict[tuple[int, int, int], list[Version]] = {}
    rows = list(leaving)
    for version in writes.new:
        if version.valid_to is None and version.plain and version.fetch_id is None:
            at = (version.org, version.valid_from, version.recorded)
            grouped.setdefault(at, []).append(version)
        else:
            version.id = new_id() * 16
            rows.append(version)
    for at, members in grouped.items():
        if len(members) == 1:
            members[0].id = new_id() * 16
            rows.append(members[0])
        else:
            writes.groups.append((*at, tuple(m.attr for m in members), [m.value for m in members]))
    groups = []
    for org, valid_from, recorded, attrs, values in writes.groups:
        for start in range(0, len(attrs), SLOTS):
            chunk = values[start : start + SLOTS]
            groups.append((org, valid_from, recorded, layout_of(attrs[start : start + SLOTS]),
                           new_id(), *chunk, *[None] * (SLOTS - len(chunk))))  # fmt: skip
    return rows, groups


def stated_runs(
    conn: sqlite3.Connection, releases: Collection[int], *, open_only: bool = False
) -> list[tuple[int, int, int, int | None, int, int | None]]:
    """The stored runs (org, attr, first, last, value, fetch) of a source's `releases`."""
    sql = "select org, attr, first, last, value, fetch_id from stated_runs"
    if open_only:
        sql += " where last is null"
    return [row for row in conn.execute(sql) if row[2] in releases]


def replace_runs(conn: sqlite3.Connection, before: Iterable[tuple], after: Iterable[tuple]) -> None:
    """Write the runs that differ between what was read (`before`) and what holds now."""
    old, new = set(before), set(after)
    conn.executemany(
        "delete from stated_runs where org = ? and attr = ? and first = ?",
        [run[:3] for run in old - new],
    )
    conn.executemany(
        "insert into stated_runs (org, attr, first, last, value, fetch_id) "
        "values (?, ?, ?, ?, ?, ?)",
        sorted(new - old),
    )
