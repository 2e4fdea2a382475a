"""Recognise a body that was applied before, so ingesting it again records only its fetch.

A body is restated (recorded 'unchanged' without parsing) only when an earlier applied fetch of
the same source had the same bytes, --as-of date and Last-Modified header, was parsed under the
same configuration and code (`config_digest`), every release it stated is still stored as it
stated it (`release_digests`: no later file has corrected one), and its names could not resolve
differently now: no alias has been added, no registry change accepted and no source that creates
organisations has applied anything since. Parsing and applying it again could then only restate
what the store holds.

Nothing heavy is imported here: `stp-tracker ingest` answers an identical re-ingest through
`reingest_unchanged` with a plain sqlite3 connection, before loading parsers or sqlite-utils.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .schema import is_current

if TYPE_CHECKING:
    from ..clock import Clock
    from ..config import Config, SourceConfig
    from ..fetch.body import Body

PACKAGE = Path(__file__).resolve().parent.parent
# SourceConfig fields that do not change what a body parses into: schedule, limits and labels.
NOT_PARSING = frozenset(
    {"title", "url", "every", "cron", "licence", "max_change", "max_bytes", "max_failures",
     "enabled", "origin", "deadline", "redirect_hosts"}
)  # fmt: skip


@cache
def code_digest() -> str:
    """A hash of the package's code and bundled data, so any new version parses afresh."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *(PACKAGE / "data").iterdir()]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def config_digest(config: Config, source: SourceConfig) -> str:
    """A stable hash of everything that decides what a body of `source` parses into."""
    fields: dict[str, Any] = {
        field.name: getattr(source, field.name)
        for field in dataclasses.fields(source)
        if field.name not in NOT_PARSING
    }
    fields["columns"] = list(source.columns.items())  # in order: the first mapping wins
    scale = config.scales.get(source.scale) if source.scale else None
    fields["scale_definition"] = (scale.labels, sorted(scale.synonyms.items())) if scale else None
    fields["kinds"] = config.kinds.definition(source.entity)  # what a created row may be
    fields["code"] = code_digest()
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Applied:
    """An earlier fetch that applied a body exactly as it is now, and what that body stated."""

    fetch_id: int
    release_digests: str  # JSON: effective date -> digest of the release, as still stored
    rows: int
    records: int
    digest: str

    @property
    def releases(self) -> list[str]:
        """The effective dates of the releases the body stated."""
        return sorted(json.loads(self.release_digests))

    def restated(self, now: str) -> dict[str, Any]:
        """The finished `fetches` values of a new fetch of the same body, applied at `now`."""
        return {
            "outcome": "unchanged",
            "error": None,
            "applied_at": now,
            "records": self.records,
            "changes": 0,
            "config_digest": self.digest,
            "release_digests": self.release_digests,
            "row_count": self.rows,
        }


def find_applied(
    conn: sqlite3.Connection,
    config: Config,
    source: SourceConfig,
    body: Body,
    *,
    as_of: str | None,
    before: int | None = None,
) -> Applied | None:
    """The latest fetch (before fetch id `before`) that applied `body` as it is now, if every
    release it stated is stored as stated and nothing since could change how names resolve."""
    digest = config_digest(config, source)
    inert = [name for name, other in config.sources.items() if not other.creates]
    found = conn.execute(
        "select f.id, f.release_digests, f.row_count, f.records from fetches f "
        "where f.source = ? and f.sha256 = ? and f.as_of is ? and f.last_modified is ? "
        "and f.config_digest = ? and f.id < ? and f.release_digests is not null "
        "and f.outcome in ('changed', 'unchanged') and f.applied_at is not null "
        "and not exists (select 1 from json_each(f.release_digests) j left join releases r "
        "on r.source = f.source and r.effective = j.key where r.digest is not j.value) "
        "and not exists (select 1 from aliases a where a.added_at > f.applied_at) "
        "and not exists (select 1 from removed_aliases r where r.removed_at > f.applied_at) "
        "and not exists (select 1 from proposals p where p.state = 'accepted' "
        "and p.decided_at > f.applied_at) "
        "and not exists (select 1 from fetches g where g.applied_at > f.applied_at "
        f"and g.outcome = 'changed' and g.source not in ({', '.join('?' for _ in inert)})) "
        "order by f.id desc limit 1",
        [source.name, body.sha256, as_of, body.last_modified, digest,
         (1 << 62) if before is None else before, *inert],
    ).fetchone()  # fmt: skip
    if found is None:
        return None
    fetch_id, release_digests, rows, records = found
    return Applied(fetch_id, release_digests, rows or 0, records or 0, digest)


def applied_bodies(
    conn: sqlite3.Connection,
    config: Config,
    source: SourceConfig,
    bodies: Sequence[Body],
    *,
    as_of: str | None,
    before: int | None = None,
) -> list[Applied] | None:
    """The earlier fetch of each body, or None unless every one of them was applied as it is."""
    if not bodies:
        return None
    found = []
    for body in bodies:
        applied = find_applied(conn, config, source, body, as_of=as_of, before=before)
        if applied is None:
            return None
        found.append(applied)
    return found


@dataclass(frozen=True)
class Restated:
    """What an identical re-ingest recorded: its fetches, and the rows and releases it restated."""

    fetch_ids: tuple[int, ...]
    rows: int
    releases: int


def reingest_unchanged(
    db_path: str | Path,
    config: Config,
    source_name: str,
    paths: Sequence[str | Path],
    *,
    as_of: str | None = None,
    clock: Clock | None = None,
) -> Restated | None:
    """`stp-tracker ingest` of files all applied before as they are: archive them, record their
    fetches as unchanged, and say what they restated. None when anything needs the full
    pipeline (a new body, a changed configuration, a database not yet in today's shape, an
    unreadable file), which then does the work and reports any error itself."""
    from ..clock import stamp, utc_now
    from ..errors import StpTrackerError
    from ..fetch.archive import archive_root, store_body
    from ..fetch.body import read_file
    from .fetches import fetch_row

    clock = clock or utc_now
    source = config.sources.get(source_name)
    db_file = Path(db_path)
    if source is None or not paths or not db_file.is_file():
        return None
    try:
        bodies = [read_file(path, clock) for path in paths]
    except StpTrackerError:
        return None
    conn = sqlite3.connect(db_file.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
    try:
        conn.execute("pragma busy_timeout = 30000")
        if not is_current(conn):
            return None
        conn.execute("begin immediate")
        try:
            found = applied_bodies(conn, config, source, bodies, as_of=as_of)
            if found is None:
                return None
            root = archive_root(db_file)
            for body in bodies:
                store_body(root, body.data)
            now = stamp(clock())
            fetch_ids = []
            for body, applied in zip(bodies, found, strict=True):
                row = fetch_row(source.name, body, body.origin, body.started_at, as_of)
                row |= {"finished_at": stamp(clock()), **applied.restated(now)}
                columns = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                cursor = conn.execute(
                    f"insert into fetches ({columns}) values ({marks})", list(row.values())
                )
                fetch_ids.append(int(cursor.lastrowid or 0))
            conn.execute("commit")
        except StpTrackerError:
            return None
        finally:
            if conn.in_transaction:
                conn.execute("rollback")
    finally:
        conn.close()
    releases = len({effective for applied in found for effective in applied.releases})
    return Restated(tuple(fetch_ids), sum(applied.rows for applied in found), releases)
