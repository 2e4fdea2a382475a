"""One source as an apply sees it: its releases, and its runs read from what is stored.

A source with an incomplete release keeps its runs in `stated_runs`. A source whose releases
are all complete stated exactly its believed facts (each fact is one run: from its first
release to the release before it ended), so its runs are read from its fact versions and never
written. Appending a release needs only the open runs; anything else reads them all.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from operator import itemgetter

from ..model import Release, Statement
from .derive import OPEN
from .ids import Ids, ReleaseRow
from .runs import Key, Run, SourceRuns
from .versions import Version, believed_versions, open_facts, replace_runs, stated_runs

RunRow = tuple[int, int, int, int | None, int, int | None]  # org, attr, first, last, value, fetch
_NAME = itemgetter(1)  # a statement's attribute


@dataclass
class Source:
    """A source's releases (by date), its runs in memory, and how they were read."""

    conn: sqlite3.Connection
    ids: Ids
    name: str
    releases: dict[str, ReleaseRow]
    state: SourceRuns
    explicit: bool  # its runs were read from stated_runs
    open_only: bool
    loaded: list[RunRow] = field(default_factory=list)
    dates_by_id: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(
        cls, conn: sqlite3.Connection, ids: Ids, name: str, known: dict[str, ReleaseRow],
        *, open_only: bool,
    ) -> Source:  # fmt: skip
        """Read a source's releases and runs (only the open ones with `open_only`)."""
        dates = sorted(known)
        state = SourceRuns(
            dates,
            {d: known[d].complete for d in dates},
            {d: known[d].fetch_id for d in dates},
            {},
        )
        explicit = not all(row.complete for row in known.values())
        source = cls(conn, ids, name, dict(known), state, explicit, open_only)
        source.dates_by_id = {row.id: date for date, row in known.items()}
        if explicit:
            source.loaded = stated_runs(conn, source.dates_by_id, open_only=open_only)
            source._add_runs(source.loaded)
        elif known and open_only:
            source._hold(open_facts(conn, source.dates_by_id))
        elif known:
            found = believed_versions(conn, source.dates_by_id, None)
            source._add_runs(source.implied_runs(found))
        return source

    def _hold(self, found: dict[int, list[tuple[int, int, int, int | None]]]) -> None:
        """Keep a complete source's open facts as rows by organisation (runs.SourceRuns.held):
        what each states, signed by attribute and value id, and how to make its runs."""
        ids, state, names = self.ids, self.state, self.ids.names
        details: dict[str, list[tuple[int, int, int, int | None]]] = {}
        for org_id, facts in found.items():
            org = ids.codes[org_id]
            state.held[org] = frozenset((names[attr], value) for attr, value, _, _ in facts)
            details[org] = facts

        def unhold(org: str) -> list[tuple[str, Run]]:
            org_id, date = ids.orgs[org], self.dates_by_id
            return [
                (names[attr], Run(date[start], OPEN, ids.statement(org_id, attr, value),
                                  self.fetch_of(Version(org_id, attr, start, 0, None, value,
                                                        None, fetch, True))))
                for attr, value, start, fetch in details.pop(org)
            ]  # fmt: skip

        def sign(row: tuple[Statement, ...]) -> frozenset | None:
            found = ids.known_values(row)
            return None if found is None else frozenset(zip(map(_NAME, row), found, strict=True))

        state.unhold, state.sign = unhold, sign

    def _add_runs(self, rows: Iterable[RunRow]) -> None:
        self.state.runs.update(self._runs(rows))

    def _runs(self, rows: Iterable[RunRow]) -> dict[Key, list[Run]]:
        """Stored runs as runs in memory, each key's in date order (release ids are not)."""
        ids, date = self.ids, self.dates_by_id
        found: dict[Key, list[Run]] = {}
        for org, attr, first, last, value, fetch_id in rows:
            run = Run(date[first], OPEN if last is None else date[last],
                      ids.statement(org, attr, value), fetch_id)  # fmt: skip
            found.setdefault((ids.codes[org], ids.names[attr]), []).append(run)
        for runs in found.values():
            runs.sort(key=lambda r: r.first)
        return found

    def implied_runs(self, versions: Iterable[Version]) -> list[RunRow]:
        """The runs a complete source's believed versions stand for."""
        dates, by_date = self.state.dates, self.releases
        found = []
        for v in versions:
            last = None
            if v.valid_to is not None:
                last = by_date[dates[bisect_left(dates, self.dates_by_id[v.valid_to]) - 1]].id
            found.append((v.org, v.attr, v.valid_from, last, v.value, self.fetch_of(v)))
        return found

    def closed_runs(self, keys: Collection[tuple[int, int]], versions: list[Version]) -> dict:
        """The runs before the open one of each key, which an append did not read."""
        if self.explicit:
            rows = [r for r in stated_runs(self.conn, self.dates_by_id) if r[3] is not None]
            rows = [r for r in rows if (r[0], r[1]) in keys]
        else:
            rows = self.implied_runs(v for v in versions if v.valid_to is not None)
        return self._runs(rows)

    def fetch_of(self, version: Version) -> int | None:
        """The fetch a version came from (stored, or its release's first fetch)."""
        if version.fetch_id is not None:
            return version.fetch_id or None
        return self.releases[self.dates_by_id[version.valid_from]].first_fetch_id

    def release_id(self, date: str) -> int:
        """The id of the source's release at `date`."""
        return self.releases[date].id

    def record_release(self, release: Release, digest: str) -> None:
        """Insert or update the `releases` row of a release being applied."""
        row = self.releases.get(release.effective)
        values = (int(release.complete), release.fetch_id, digest, self.ids.now)
        if row is not None:
            self.conn.execute(
                "update releases set complete = ?, fetch_id = ?, digest = ?, recorded_at = ? "
                "where id = ?",
                [*values, row.id],
            )
            first_fetch = row.first_fetch_id
            release_id = row.id
        else:
            cursor = self.conn.execute(
                "insert into releases (complete, fetch_id, digest, recorded_at, source, "
                "effective, first_fetch_id) values (?, ?, ?, ?, ?, ?, ?)",
                [*values, self.name, release.effective, release.fetch_id],
            )
            first_fetch, release_id = release.fetch_id, int(cursor.lastrowid or 0)
        self.releases[release.effective] = ReleaseRow(
            release_id, release.effective, release.complete, release.fetch_id, first_fetch, digest
        )
        self.dates_by_id[release_id] = release.effective

    def write_runs(self) -> None:
        """Store the runs of a source with an incomplete release; a source whose releases are
        now all complete needs none stored."""
        if all(self.state.complete.values()):
            if self.explicit:
                replace_runs(self.conn, self.loaded, [])
            return
        ids, found = self.ids, []
        for (org, attribute), runs in self.state.runs.items():
            org_id, attr = ids.org(org), ids.attr(attribute)
            for run in runs:
                last = None if run.last == OPEN else self.releases[run.last].id
                found.append((org_id, attr, self.releases[run.first].id, last,
                              ids.value(run.statement), run.fetch_id))  # fmt: skip
        replace_runs(self.conn, self.loaded, found)


def release_rows(conn: sqlite3.Connection, name: str) -> dict[str, ReleaseRow]:
    """A source's releases by effective date."""
    return {
        row[1]: ReleaseRow(row[0], row[1], bool(row[2]), *row[3:])
        for row in conn.execute(
            "select id, effective, complete, fetch_id, first_fetch_id, digest from releases "
            "where source = ?",
            [name],
        )
    }


def stated_on(conn: sqlite3.Connection, name: str, effective: str) -> tuple[Statement, ...]:
    """What a source's release of `effective` stated, as stored (by organisation and
    attribute)."""
    known = release_rows(conn, name)
    source = Source.load(conn, Ids(conn, ""), name, known, open_only=False)
    found = [run.statement for runs in source.state.runs.values() for run in runs
             if run.first <= effective <= run.last]  # fmt: skip
    return tuple(sorted(found, key=lambda s: (s.org_code, s.attribute)))
