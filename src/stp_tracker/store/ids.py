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
        for row in conn.execute("select value, key, num, publisher, note from fact_values "
                                "order by id"):  # fmt: skip
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
        conn.executemany(
            "insert into fact_values (id, value, key, num, publisher, note) "
            "values (?, ?, ?, ?, ?, ?)",
            ((index, *self.value_rows[index])
             for index in range(self.stored_values, len(self.value_rows))),
        )  # fmt: skip
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


def missing(found: Sequence[object]) -> Iterator[int]:
    """The positions of None in `found` (searched in C: most lookups find everything)."""
    return compress(range(len(found)), map(is_, found, repeat(None)))


def change_kind(attribute: str) -> str:
    """The `changes.kind` of an attribute: rating, leader, metric or organisation."""
    prefix = attribute.split(".", 1)[0]
    return {"rating": "rating", "leader": "leader", "metric": "metric"}.get(prefix, "organisation")
