"""Migration m013: from text tables of facts, changes and runs to the compact store.

Frozen with the release that made it: only SQL and the standard library, so it keeps working
however the live code changes. What it builds is described in `schema.py`; in short, every
fact version becomes one row of `fact_versions` (integer keys, an open fact and its closed
successor row merged into one version closed in place), every change that starts a version
from nothing over the version's whole belief is a flag on that version, and every other change
is a row of `change_records` keeping its id, so feeds keep their entry ids. Facts get new ids.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

SLOTS = 12  # value columns of a fact group

TABLES = f"""
create table organisations_new (
    code text primary key, name text not null, kind text not null, ods_code text,
    ons_code text, valid_from text, valid_to text, origin text not null default 'registry',
    id integer unique
) without rowid;
create table applies (id integer primary key, at text not null, next_id integer not null);
create table attributes (id integer primary key, name text not null unique, kind text not null);
create table fact_values (
    id integer primary key, value text not null, key, num real, publisher text, note text
);
create table layout_slots (
    layout integer not null, slot integer not null, attr integer not null,
    primary key (layout, slot)
) without rowid;
create table fact_groups (
    org integer not null, valid_from integer not null, recorded integer not null,
    layout integer not null, id integer not null,
    {", ".join(f"v{k} integer" for k in range(1, SLOTS + 1))},
    primary key (org, valid_from, recorded, layout)
) without rowid;
create table fact_versions (
    org integer not null, attr integer not null, valid_from integer not null,
    recorded integer not null, valid_to integer, value integer not null, closed integer,
    retired integer, fetch_id integer, plain integer, id integer not null,
    primary key (org, attr, valid_from, recorded)
) without rowid;
create table change_records (
    org integer not null, attr integer not null, effective integer not null,
    recorded integer not null, old integer, new integer, retired integer, fetch_id integer,
    direction integer, id integer not null,
    primary key (org, attr, effective, recorded)
) without rowid;
create table stated_runs (
    org integer not null, attr integer not null, first integer not null, last integer,
    value integer not null, fetch_id integer,
    primary key (org, attr, first)
) without rowid;
"""

# An organisation inserted without an id (by the registry, a rebuild, sqlite-utils) gets the
# next one; the store assigns ids itself when it creates organisations.
ORGANISATION_ID_TRIGGER = """
create trigger organisations_id after insert on organisations when new.id is null
begin
    update organisations set id = (select coalesce(max(id), 0) + 1 from organisations)
    where code = new.code;
end;
"""

_KINDS = {"rating": "rating", "leader": "leader", "metric": "metric"}


def _stored_fetch(fetch_id: int | None, first_fetch: int | None) -> int | None:
    """None when a version's fetch is its release's first fetch, 0 when it has none."""
    if fetch_id == first_fetch:
        return None
    return 0 if fetch_id is None else fetch_id


def m013_compact_store(db: Database) -> None:
    """One compact representation of the history: integer keys, interned values, system time
    as apply ids, and `facts`, `changes` and `statement_runs` as views over it."""
    conn = db.conn
    for (name,) in conn.execute("select name from sqlite_master where type = 'view'").fetchall():
        conn.execute(f"drop view [{name}]")
    for statement in TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "insert into organisations_new (code, name, kind, ods_code, ons_code, valid_from, "
        "valid_to, origin, id) select code, name, kind, ods_code, ons_code, valid_from, "
        "valid_to, origin, rowid from organisations order by rowid"
    )
    conn.execute("drop table organisations")
    conn.execute("alter table organisations_new rename to organisations")
    conn.execute(ORGANISATION_ID_TRIGGER)
    conn.execute("alter table releases add column first_fetch_id integer")
    _Converter(conn).run()
    for table in ("facts", "changes", "statement_runs"):
        conn.execute(f"drop table {table}")


class _Converter:
    """Moves the rows of the text tables into the compact ones (one instance per migration)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.orgs = dict(conn.execute("select code, id from organisations"))
        self.releases = {
            (source, effective): id_
            for id_, source, effective in conn.execute("select id, source, effective from releases")
        }
        self.attributes: dict[str, int] = {}
        self.values: dict[tuple, int] = {}
        self.applies: dict[str, list[int]] = {}  # timestamp -> apply ids with that text
        self.apply_rows: list[tuple[int, str]] = []
        self.taken: set[tuple] = set()  # primary keys used, to give a clash its own apply

    def run(self) -> None:
        facts = self.conn.execute(
            "select id, org_code, attribute, value, value_key, value_num, valid_from, valid_to, "
            "recorded_at, retired_at, source, fetch_id, publisher, note from facts order by id"
        ).fetchall()
        changes = self.conn.execute(
            "select id, org_code, attribute, old_value, new_value, effective, recorded_at, "
            "retired_at, source, fetch_id, direction, publisher from changes order by id"
        ).fetchall()
        for at in sorted({t for row in facts for t in row[8:10] if t} |
                         {t for row in changes for t in row[6:8] if t}):  # fmt: skip
            self._new_apply(at)
        first_fetch = self._first_fetches(facts)
        versions = self._versions(facts, first_fetch)
        top = max([row[0] for row in changes] or [0])
        records = self._plain_or_records(changes, versions)
        next_id = top // 16 + 1
        for version in versions:
            if version["id"] is None:
                version["id"] = next_id * 16
                next_id += 1
        self._write(versions, records, next_id)
        self._runs()

    def _new_apply(self, at: str) -> int:
        apply_id = len(self.apply_rows) + 1
        self.apply_rows.append((apply_id, at))
        self.applies.setdefault(at, []).append(apply_id)
        return apply_id

    def _apply(self, at: str | None, key: tuple) -> int | None:
        """The apply id of timestamp `at` for a row whose primary key starts with `key`; a
        second row with the same key and time (two runs at one moment) gets its own apply."""
        if at is None:
            return None
        for apply_id in self.applies[at]:
            if (*key, apply_id) not in self.taken:
                self.taken.add((*key, apply_id))
                return apply_id
        apply_id = self._new_apply(at)
        self.taken.add((*key, apply_id))
        return apply_id

    def _release(self, source: str, date: str) -> int:
        """The release of `source` at `date`; every fact starts and ends at one."""
        try:
            return self.releases[source, date]
        except KeyError:
            raise sqlite3.IntegrityError(
                f"a fact or change of source {source!r} names {date}, which is not one of its "
                "releases; the database cannot be converted (restore a backup or rebuild)"
            ) from None

    def _attribute(self, name: str) -> int:
        if name not in self.attributes:
            self.attributes[name] = len(self.attributes) + 1
        return self.attributes[name]

    def _value(self, value: str, key: str | None, num: Any, publisher: Any, note: Any) -> int:
        found = (value, None if key == value else key, num, publisher, note)
        if found not in self.values:
            self.values[found] = len(self.values) + 1
        return self.values[found]

    def _first_fetches(self, facts: list) -> dict[int, int | None]:
        """Per release, the fetch most of its facts came from: their default fetch."""
        counts: dict[int, Counter] = defaultdict(Counter)
        for row in facts:
            counts[self._release(row[10], row[6])][row[11]] += 1
        found: dict[int, int | None] = dict(
            self.conn.execute("select id, fetch_id from releases").fetchall()
        )
        for release, seen in counts.items():
            found[release] = max(seen, key=lambda f: (seen[f], -(f or 0)))
        self.conn.executemany(
            "update releases set first_fetch_id = ? where id = ?",
            [(fetch, release) for release, fetch in found.items()],
        )
        return found

    def _versions(self, facts: list, first_fetch: dict[int, int | None]) -> list[dict]:
        """Facts as versions: an open fact retired when a closed copy of it was recorded is the
        same version, closed in place at that moment."""
        closed_copies: dict[tuple, list] = defaultdict(list)
        for row in facts:
            if row[7] is not None:
                closed_copies[(*row[1:7], row[10:], row[8])].append(row)
        merged: set[int] = set()
        versions = []
        for row in facts:
            if row[0] in merged:
                continue
            (_, org, attribute, value, key, num, valid_from, valid_to, recorded, retired,
             source, fetch, publisher, note) = row  # fmt: skip
            closed = None
            if valid_to is None and retired is not None:
                copies = [r for r in closed_copies.get((*row[1:7], row[10:], retired), [])
                          if r[0] not in merged]  # fmt: skip
                if copies:
                    copy = copies[0]
                    merged.add(copy[0])
                    valid_to, closed, retired = copy[7], retired, copy[9]
            start = self._release(source, valid_from)
            pk = (self.orgs[org], self._attribute(attribute), start)
            versions.append({
                "org": pk[0], "attr": pk[1], "valid_from": start,
                "recorded": self._apply(recorded, pk),
                "valid_to": None if valid_to is None else self._release(source, valid_to),
                "value": self._value(value, key, num, publisher, note),
                "closed": closed and self.applies[closed][0],
                "retired": retired and self.applies[retired][-1],
                "fetch_id": _stored_fetch(fetch, first_fetch[start]),
                "plain": None, "id": None,
                "match": (org, attribute, source, valid_from, value, publisher, fetch,
                          recorded, retired),
            })  # fmt: skip
        return versions

    def _plain_or_records(self, changes: list, versions: list[dict]) -> list[tuple]:
        """A first value believed exactly as long as its version becomes that version's flag
        (and gives it its id); every other change becomes a record."""
        starts: dict[tuple, list[dict]] = defaultdict(list)
        for version in versions:
            starts[version.pop("match")].append(version)
        records = []
        for (id_, org, attribute, old, new, effective, recorded, retired, source, fetch,
             direction, publisher) in changes:  # fmt: skip
            match = (org, attribute, source, effective, new, publisher, fetch, recorded, retired)
            candidates = [v for v in starts.get(match, []) if v["plain"] is None]
            if old is None and new is not None and candidates:
                candidates[0]["plain"], candidates[0]["id"] = 1, id_
                continue
            start = self._release(source, effective)
            pk = (self.orgs[org], self._attribute(attribute), start)
            records.append((
                *pk, self._apply(recorded, ("record", *pk)),
                None if old is None else self._value(old, None, None, None, None),
                None if new is None else self._value(new, None, None, publisher, None),
                retired and self.applies[retired][-1], fetch,
                {"improved": 1, "declined": -1}.get(direction or ""), id_,
            ))  # fmt: skip
        return records

    def _write(self, versions: list[dict], records: list[tuple], next_id: int) -> None:
        conn = self.conn
        conn.executemany("insert into applies values (?, ?, ?)",
                         [(i, at, next_id) for i, at in self.apply_rows])  # fmt: skip
        conn.executemany(
            "insert into attributes values (?, ?, ?)",
            [(i, name, _KINDS.get(name.split(".", 1)[0], "organisation"))
             for name, i in self.attributes.items()],
        )  # fmt: skip
        conn.executemany("insert into fact_values values (?, ?, ?, ?, ?, ?)",
                         [(i, *value) for value, i in self.values.items()])  # fmt: skip
        columns = ("org", "attr", "valid_from", "recorded", "valid_to", "value", "closed",
                   "retired", "fetch_id", "plain", "id")  # fmt: skip
        conn.executemany(
            f"insert into fact_versions ({', '.join(columns)}) values ({', '.join('?' * 11)})",
            [tuple(v[c] for c in columns) for v in versions],
        )
        conn.executemany(
            "insert into change_records (org, attr, effective, recorded, old, new, retired, "
            "fetch_id, direction, id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )

    def _runs(self) -> None:
        """Runs of sources with an incomplete release; a source whose every release is complete
        states exactly its believed facts, so its runs need no rows."""
        partial = {
            source
            for (source,) in self.conn.execute("select source from releases where not complete")
        }
        rows = []
        for (source, org, attribute, value, key, num, publisher, note, first, last,
             fetch) in self.conn.execute(
            "select source, org_code, attribute, value, value_key, value_num, publisher, note, "
            "first, last, fetch_id from statement_runs"
        ).fetchall():  # fmt: skip
            if source in partial:
                rows.append((
                    self.orgs[org], self._attribute(attribute), self._release(source, first),
                    None if last is None else self._release(source, last),
                    self._value(value, key, num, publisher, note), fetch,
                ))  # fmt: skip
        new_attributes = [(i, n) for n, i in self.attributes.items()]
        self.conn.executemany(
            "insert or ignore into attributes values (?, ?, ?)",
            [(i, n, _KINDS.get(n.split(".", 1)[0], "organisation")) for i, n in new_attributes],
        )
        known = self.conn.execute("select count(*) from fact_values").fetchone()[0]
        self.conn.executemany(
            "insert into fact_values values (?, ?, ?, ?, ?, ?)",
            [(i, *value) for value, i in self.values.items() if i > known],
        )
        self.conn.executemany("insert into stated_runs values (?, ?, ?, ?, ?, ?)", rows)
