"""The integer ids of the compact store, read once per transaction and handed out as needed.

Organisations, attributes, values (interned: one row per distinct value, publisher and note),
group layouts, applies (one row per apply that wrote anything, with its timestamp) and the
sequence that numbers versions, groups and change records. Values are unique by construction:
the whole table is read into a dict, so it needs no index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from itertools import compress, repeat
from operator import is_, itemgetter
from typing import NamedTuple

from ..model import Statement

_SAID = itemgetter(slice(2, None))  # a statement's value, key, number, publisher, note

ValueRow = tuple[str, str | None, float | None, str | None, str | None]


class ReleaseRow(NamedTuple):
    """A release as the store keeps it."""

    id: int
    effective: str
    complete: bool
    fetch_id: int | None
    first_fetch_id: int | None
    digest: str


class Ids:
    """Ids for one transaction; `flush` writes the new values, attributes and layouts."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        self.conn, self.now = conn, now
        self.orgs: dict[str, int] = dict(conn.execute("select code, id from organisations"))
        self.codes = {id_: code for code, id_ in self.orgs.items()}
        self.attrs: dict[str, int] = dict(conn.execute("select name, id from attributes"))
        self.names = {id_: name for name, id_ in self.attrs.items()}
        # (value, key, number, publisher, note) -> id; key is stored null when it is the value
        self.values: dict[ValueRow, int] = {}
        self.value_rows: list[ValueRow] = [("", None, None, None, None)]  # ids start at 1
        for stored in conn.execute("select value, key, num, publisher, note from fact_values "
                                   "order by id"):  # fmt: skip
            row = decoded(stored)
            value, key, num, publisher, note = row
            self.values[value, value if key is None else key, num, publisher, note] = len(
                self.value_rows
            )
            self.value_rows.append(row)
        self.stored_values = len(self.value_rows)
        self.layouts: dict[tuple[int, ...], int] = {}
        slots: dict[int, list[int]] = {}
        for layout, attr in conn.execute("select layout, attr from layout_slots "
                                         "order by layout, slot"):  # fmt: skip
            slots.setdefault(layout, []).append(attr)
        self.layouts = {tuple(attrs): layout for layout, attrs in slots.items()}
        self.new_layouts: list[tuple[int, tuple[int, ...]]] = []
        self.new_attrs: list[tuple[int, str]] = []
        self.next_id: int = conn.execute(
            "select coalesce(max(next_id), 1) from applies"
        ).fetchone()[0]
        self._apply: int | None = None

    def apply(self) -> int:
        """This transaction's apply id, recorded on first use (an apply that writes nothing
        leaves no row)."""
        if self._apply is None:
            cursor = self.conn.execute(
                "insert into applies (at, next_id) values (?, ?)", [self.now, self.next_id]
            )
            self._apply = int(cursor.lastrowid or 0)
        return self._apply

    def new_id(self) -> int:
        """The next number of the sequence shared by versions, groups and change records."""
        found = self.next_id
        self.next_id += 1
        return found

    def org(self, code: str) -> int:
        """The id of an organisation; a release naming one that does not exist is refused."""
        found = self.orgs.get(code)
        if found is None:
            raise sqlite3.IntegrityError(f"no organisation has the code {code!r}")
        return found

    def attr(self, name: str) -> int:
        """The id of an attribute, added if new."""
        found = self.attrs.get(name)
        if found is None:
            found = self.attrs[name] = max(self.names, default=0) + 1
            self.names[found] = name
            self.new_attrs.append((found, name))
        return found

    def value(self, statement: Statement) -> int:
        """The id of what a statement says (value, key, number, publisher, note), interned."""
        said = statement[2:]
        found = self.values.get(said)
        return self._add_value(said) if found is None else found

    def known_values(self, row: Sequence[Statement]) -> list[int] | None:
        """The value ids of a row of statements, or None when one of them is new."""
        found = list(map(self.values.get, map(_SAID, row)))
        return None if None in found else found  # type: ignore[return-value]

    def values_of(self, row: Sequence[Statement]) -> list[int]:
        """The value ids of a row of statements (looked up in C, one pass for new ones)."""
        found = list(map(self.values.get, map(_SAID, row)))
        if None in found:
            for index in missing(found):
                found[index] = self.value(row[index])
        return found  # type: ignore[return-value]

    def value_of(
        self, value: str, key: str, num: float | None, publisher: str | None, note: str | None
    ) -> int:
        """The id of a value with its comparison key, number, publisher and note."""
        said = (value, key, num, publisher, note)
        found = self.values.get(said)
        return self._add_value(said) if found is None else found

    def _add_value(self, said: tuple) -> int:
        value, key, num, publisher, note = said
        found = self.values[said] = len(self.value_rows)
        self.value_rows.append((value, None if key == value else key, num, publisher, note))
        return found

    def statement(self, org: int, attr: int, value: int) -> Statement:
        """The statement an organisation's attribute with value id `value` stands for."""
        text, key, num, publisher, note = self.value_rows[value]
        return Statement(self.codes[org], self.names[attr], text, text if key is None else key,
                         num, publisher, note)  # fmt: skip

    def layout(self, attrs: tuple[int, ...]) -> int:
        """The layout listing `attrs` slot by slot, added if new."""
        found = self.layouts.get(attrs)
        if found is None:
            found = self.layouts[attrs] = max(self.layouts.values(), default=0) + 1
            self.new_layouts.append((found, attrs))
        return found

    def flush(self) -> None:
        """Write what this transaction added, and where the id sequence stands."""
        conn = self.conn
        new = range(self.stored_values, len(self.value_rows))
        numbers = read_back(conn, [self.value_rows[index] for index in new])
        conn.executemany(
            "insert into fact_values (id, value, key, num, publisher, note) "
            "values (?, ?, ?, ?, ?, ?)",
            ((index, *encoded(self.value_rows[index], numbers)) for index in new),
        )
        self.stored_values = len(self.value_rows)
        conn.executemany(
            "insert into attributes (id, name, kind) values (?, ?, ?)",
            [(id_, name, change_kind(name)) for id_, name in self.new_attrs],
        )
        self.new_attrs.clear()
        conn.executemany(
            "insert into layout_slots (layout, slot, attr) values (?, ?, ?)",
            [(layout, slot, attr) for layout, attrs in self.new_layouts
             for slot, attr in enumerate(attrs, start=1)],
        )  # fmt: skip
        self.new_layouts.clear()
        if self._apply is not None:
            conn.execute("update applies set next_id = ? where id = ?", [self.next_id, self._apply])


# What fact_values.key may hold besides the key itself: null when the key is the value, and
# these, so the commonest values are stored in one text rather than two, or a text and a number.
LOWER = 0  # the key is the value in lower case (an ASCII value)
NUMBER = 1  # the key is the value, and the number is the value read as a number by SQLite


def decoded(stored: tuple) -> ValueRow:
    """A fact_values row as the store uses it: (value, key or None for the value, number,
    publisher, note)."""
    value, key, num, publisher, note = stored
    if type(key) is int:
        if key == LOWER:
            return value, value.lower(), num, publisher, note
        return value, None, float(value), publisher, note
    return value, key, num, publisher, note


def encoded(row: ValueRow, numbers: set[str]) -> tuple:
    """A value as fact_values stores it; `numbers` are the values SQLite reads back as their
    own number exactly (see `read_back`)."""
    value, key, num, publisher, note = row
    if key is None and num is not None and value in numbers:
        return value, NUMBER, None, publisher, note
    if key is not None and value.isascii() and key == value.lower():
        return value, LOWER, num, publisher, note
    return row


def read_back(conn: sqlite3.Connection, rows: Sequence[ValueRow]) -> set[str]:
    """The values among `rows` whose number SQLite gives back exactly by reading the value's
    text, so the view can compute it instead of storing it."""
    candidates = [(r[0], r[2]) for r in rows if r[1] is None and r[2] is not None]
    candidates = [(value, num) for value, num in candidates if _reads_as(value, num)]
    if not candidates:
        return set()
    conn.execute("create temp table if not exists value_numbers (value text, num real)")
    conn.execute("delete from value_numbers")
    conn.executemany("insert into value_numbers values (?, ?)", candidates)
    return {
        value
        for (value,) in conn.execute(
            "select value from value_numbers where cast(value as real) = num"
        )
    }


def _reads_as(value: str, num: float) -> bool:
    try:
        return float(value) == num
    except ValueError:
        return False


def missing(found: Sequence[object]) -> Iterator[int]:
    """The positions of None in `found` (searched in C: most lookups find everything)."""
    return compress(range(len(found)), map(is_, found, repeat(None)))


def change_kind(attribute: str) -> str:
    """The `changes.kind` of an attribute: rating, leader, metric or organisation."""
    prefix = attribute.split(".", 1)[0]
    return {"rating": "rating", "leader": "leader", "metric": "metric"}.get(prefix, "organisation")
