"""The only module that knows the order of the stages: read, parse, extract, resolve, store.

`ingest_files` is what `stp-tracker ingest` and `init` call; the fetcher hands its bodies to
`ingest_bodies` the same way. Each attempt gets one `fetches` row, started on its own commit
and finished in the transaction that applies what it brought: a failure is on record while
every other table stays exactly as it was, and a crash never leaves applied history under a
fetch that did not finish.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .clock import Clock, stamp, utc_now
from .config import NEWS_FORMATS, REGISTRY_FORMATS
from .errors import FetchError, StoreError, StpTrackerError
from .fetch.archive import Archiving, archive_root, store_body
from .fetch.body import Body, read_file
from .store.configs import record_alias_uses, record_configuration
from .store.fetches import (
    Applied,
    applied_bodies,
    config_digest,
    finish_fetch,
    record_unmatched,
    restate,
    start_fetch,
)
from .store.guard import Quarantined, guard_mass_change

if TYPE_CHECKING:  # the parsers and the store load only when a body must be parsed
    from sqlite_utils import Database

    from .config import Config, SourceConfig
    from .extract.boundaries import BoundaryFile
    from .extract.identify import FuzzyMatch, Skipped
    from .extract.memo import Memory
    from .extract.news import NewsExtracted
    from .extract.records import Extracted
    from .model import Release
    from .resolve.ods import OdsExtracted
    from .resolve.resolver import Resolver
    from .store.apply import ApplyResult


@dataclass
class IngestReport:
    """The outcome of one ingest: the fetch rows written and what the store did, and what its
    summary must name: organisations created, fuzzy matches accepted, rows skipped."""

    fetch_ids: list[int]
    outcomes: list[str]
    records: int
    result: ApplyResult
    created: dict[str, str] = field(default_factory=dict)  # code -> name
    fuzzy: list[FuzzyMatch] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines for the summary and the log


def extract_body(
    db: Database,
    config: Config,
    source: SourceConfig,
    body: Body,
    fetch_id: int,
    as_of: str | None,
    now: str,
    resolver: Resolver | None = None,
    memory: Memory | None = None,
) -> Extracted | NewsExtracted | OdsExtracted:
    """Parse and resolve one body into releases, or raise (recording unresolved names).

    A run of several bodies passes one `resolver`, which learns the organisations each body
    creates, so later bodies resolve them as they would once the first is applied, and one
    `memory` of the rows and values read so far, so a backfill does each distinct piece of
    work once.
    """
    from .parse import parse

    if source.format == "geojson":  # a boundary file gives areas to draw, not statements
        from .extract.boundaries import AreaCodes, extract_boundaries

        table = parse(body.data, source, body.origin)
        return extract_boundaries(
            table, source, origin=body.origin, codes=AreaCodes.from_db(db), as_of=as_of,
            published=body.published, fetch_id=fetch_id,
        )  # fmt: skip
    if source.format in REGISTRY_FORMATS:  # ODS: identities, compared with the registry
        from .resolve.ods import read_registry_source

        found = read_registry_source(db, source, config.kinds, body, as_of, fetch_id)
        if found.unmatched:  # recorded, never fatal: a code ODS has that nothing here matches
            record_unmatched(db, source.name, fetch_id, found.unmatched, now)
        return found
    if resolver is None:
        from .resolve.resolver import Resolver

        resolver = Resolver.from_db(db, source.entity)
    read: dict[str, Any] = {
        "origin": body.origin, "resolver": resolver, "as_of": as_of, "published": body.published,
        "fetch_id": fetch_id, "scale": config.scales.get(source.scale) if source.scale else None,
    }  # fmt: skip
    if source.format in NEWS_FORMATS:
        from .extract.news import extract_article
        from .parse.article import read_article

        news = extract_article(read_article(body.data, body.origin), source, **read)
        if news.unmatched:  # recorded, never fatal: an article is evidence, not a full list
            record_unmatched(db, source.name, fetch_id, news.unmatched, now)
        return news
    return _extract_table(db, config, source, body, read, now, memory)


def _extract_table(
    db: Database, config: Config, source: SourceConfig, body: Body, read: dict[str, Any],
    now: str, memory: Memory | None,
) -> Extracted:  # fmt: skip
    """A tabular body's releases (`read`: how extract_body reads it); the organisations they
    create are learned by the run's resolver. Raises, recording the names, when a name does
    not resolve or a row cannot be read."""
    from .extract.identify import unresolved_error
    from .extract.records import extract
    from .parse import parse

    table = parse(body.data, source, body.origin)
    extracted = extract(table, source, **read, kinds=config.kinds, memory=memory)
    if extracted.unmatched or extracted.problems:
        if extracted.unmatched:
            record_unmatched(db, source.name, read["fetch_id"], extracted.unmatched, now)
        raise unresolved_error(extracted.unmatched, extracted.problems, extracted.problem_count)
    for release in extracted.releases:
        for organisation in release.organisations:
            read["resolver"].learn(organisation["code"] or "", organisation["name"] or "")
    return extracted


def archive_of(db: Database) -> Path:
    """The raw archive folder beside the database file."""
    main = next(row for row in db.execute("pragma database_list") if row[1] == "main")
    return archive_root(main[2] or "db/stp.db")


def ingest_bodies(
    db: Database,
    config: Config,
    source: SourceConfig,
    bodies: Sequence[Body],
    *,
    as_of: str | None = None,
    clock: Clock = utc_now,
    fetch_ids: Sequence[int] | None = None,
    guard: bool = False,
    reuse: bool = False,
    handed_over: bool = False,
) -> IngestReport:
    """Ingest several bodies of one source as one all-or-nothing run.

    Every body is archived, parsed and resolved before anything is stored; then all their
    releases are applied in a single transaction. On failure every fetch row says why, and
    nothing else moved. With `guard`, a mass change quarantines the run instead. With `reuse`,
    bodies that were all applied before exactly as they are (fetches.py) are recorded
    unchanged without parsing; a rebuild leaves it off, so it replays every body. A caller
    that sets `handed_over` gives up its list of bodies: each body's bytes are dropped once
    archived and parsed, so a backfill of many large files does not hold them all to the end.
    """
    if fetch_ids is None:
        fetch_ids = [start_fetch(db, source.name, b, b.origin, b.started_at, as_of) for b in bodies]
    if reuse and bodies:
        found = applied_bodies(db, config, source, bodies, as_of=as_of, before=min(fetch_ids))
        if found is not None:
            return _restated(db, source, bodies, fetch_ids, found, clock)
    try:
        extracts = _extract_all(db, config, source, bodies, fetch_ids, as_of, clock, handed_over)
        result, outcomes = _apply_run(db, config, source, fetch_ids, extracts, guard, clock)
    except Quarantined as exc:
        for fetch_id in fetch_ids:
            finish_fetch(db, fetch_id, stamp(clock()), outcome="quarantined", error=str(exc))
        raise
    except StpTrackerError as exc:
        for fetch_id in fetch_ids:
            finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=str(exc))
        raise
    report = IngestReport(list(fetch_ids), outcomes, sum(e.records for e in extracts), result)
    for extracted in extracts:
        report.created.update(extracted.created)
        report.fuzzy += extracted.fuzzy
        report.skipped += extracted.skipped
        report.notes += getattr(extracted, "notes", [])  # only a registry source has notes
    report.notes += [files.summary() for files in _boundary_files(extracts)]
    return report


def _apply_run(
    db: Database, config: Config, source: SourceConfig, fetch_ids: Sequence[int],
    extracts: list[Extracted | NewsExtracted | OdsExtracted], guard: bool, clock: Clock,
) -> tuple[ApplyResult, list[str]]:  # fmt: skip
    """Apply what a run's bodies stated in one transaction, with the identities a registry
    source adds and the fetch rows finished with what they applied: all or none. Returns what
    the store did and each fetch's outcome."""
    from .store.apply import apply_releases
    from .store.identities import apply_registry_updates

    releases = [r for extracted in extracts for r in extracted.releases]
    if guard:
        guard_mass_change(db, source, releases)
    now = stamp(clock())
    try:
        with db.atomic():
            apply_registry_updates(db, releases, now)
            result = apply_releases(db, releases, now=now)
            outcomes = _finish_applied(db, config, source, fetch_ids, extracts, result, now, clock)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"the database refused the release: {exc}") from None
    return result, outcomes


def _extract_all(
    db: Database, config: Config, source: SourceConfig, bodies: Sequence[Body],
    fetch_ids: Sequence[int], as_of: str | None, clock: Clock, handed_over: bool,
) -> list[Extracted | NewsExtracted | OdsExtracted]:  # fmt: skip
    """Parse and resolve each body with one resolver and one memory for the run (see
    `extract_body`), archiving the bodies meanwhile; raises on the first that fails, or (first)
    when a body could not be archived."""
    from .extract.memo import Memory
    from .resolve.resolver import Resolver

    archiving = Archiving(archive_of(db), [body.data for body in bodies])
    try:
        resolver, memory = Resolver.from_db(db, source.entity), Memory()
        extracts: list[Extracted | NewsExtracted | OdsExtracted] = []
        for index, fetch_id in enumerate(fetch_ids):
            extracts.append(extract_body(db, config, source, bodies[index], fetch_id, as_of,
                                         stamp(clock()), resolver, memory))  # fmt: skip
            if handed_over and isinstance(bodies, list):  # parsed, and archived or archiving
                bodies[index] = replace(bodies[index], data=b"")
    except BaseException:
        archiving.wait()  # a body that could not be archived fails the run first
        raise
    archiving.wait()
    return extracts


def _boundary_files(extracts: Sequence[object]) -> list[BoundaryFile]:
    """The boundary files a run read (a geojson source's bodies)."""
    return [found for e in extracts if (found := getattr(e, "boundaries", None)) is not None]


def _finish_applied(
    db: Database, config: Config, source: SourceConfig, fetch_ids: Sequence[int],
    extracts: Sequence[Extracted | NewsExtracted | OdsExtracted], result: ApplyResult,
    now: str, clock: Clock,
) -> list[str]:  # fmt: skip
    """Store a boundary source's areas, finish each fetch of an applied run with its outcome
    and what it stated, and keep the configuration and aliases it was read under; returns the
    outcomes. Called inside the transaction that applied the releases."""
    areas = None
    if source.format == "geojson":
        from .store.boundaries import store_areas

        areas = store_areas(db, source.name, _boundary_files(extracts))
    digest = config_digest(config, source)
    record_configuration(db, digest, config, source, now)
    record_alias_uses(db, {i: e.identities.used for i, e in zip(fetch_ids, extracts, strict=True)})
    stated = _stated_digests(db, source.name, [extracted.releases for extracted in extracts])
    outcomes = []
    for fetch_id, extracted, digests in zip(fetch_ids, extracts, stated, strict=True):
        releases = extracted.releases
        unchanged = all(
            (r.source, r.effective) in result.unchanged
            and not (r.registry and r.registry.changes_registry)
            for r in releases
        )
        outcome = "unchanged" if unchanged else "changed"
        if not releases:  # an article that states nothing the news rules read
            outcome = "skipped"
        records = sum(len(r.statements) + len(r.events) for r in releases)
        if areas is not None:  # boundaries: the areas, never restated unparsed (no releases)
            outcome, digests = "changed" if areas.changed else "unchanged", None
            records = areas.areas
        finish_fetch(
            db,
            fetch_id,
            stamp(clock()),
            outcome=outcome,
            error=None,
            applied_at=now,
            records=records,
            changes=result.changes_by_fetch[fetch_id],
            config_digest=digest,
            release_digests=digests,
            row_count=extracted.records,
        )
        outcomes.append(outcome)
    return outcomes


def _stated_digests(db: Database, source: str, per_body: list[list[Release]]) -> list[str | None]:
    """Per body, the stored digest of each release it stated (JSON by effective date), or None
    when a later body of the same run stated one of its dates (so its version was not kept)."""
    last = {r.effective: index for index, releases in enumerate(per_body) for r in releases}
    stored = dict(db.execute("select effective, digest from releases where source = ?", [source]))
    return [
        json.dumps({r.effective: stored[r.effective] for r in releases}, sort_keys=True)
        if all(last[r.effective] == index and r.effective in stored for r in releases)
        else None
        for index, releases in enumerate(per_body)
    ]


def _restated(
    db: Database,
    source: SourceConfig,
    bodies: Sequence[Body],
    fetch_ids: Sequence[int],
    found: list[Applied],
    clock: Clock,
) -> IngestReport:
    """Record bodies applied before as they are: archived, unchanged, nothing else written."""
    from .store.apply import ApplyResult

    try:
        root = archive_of(db)
        for body in bodies:
            store_body(root, body.data)
    except StpTrackerError as exc:
        for fetch_id in fetch_ids:
            finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=str(exc))
        raise
    now = stamp(clock())
    for body, fetch_id, applied in zip(bodies, fetch_ids, found, strict=True):
        restate(db, source.name, body, applied, now, fetch_id=fetch_id)
    effectives = {(source.name, e) for applied in found for e in applied.releases}
    result = ApplyResult(unchanged_releases=len(effectives), unchanged=effectives)
    records = sum(applied.rows for applied in found)
    return IngestReport(list(fetch_ids), ["unchanged"] * len(found), records, result)


def ingest_files(
    db: Database,
    config: Config,
    source_name: str,
    paths: Sequence[str | Path],
    *,
    as_of: str | None = None,
    clock: Clock = utc_now,
) -> IngestReport:
    """`stp-tracker ingest SOURCE FILE...`: read local files and ingest them as one run."""
    source = config.source(source_name)
    bodies = []
    for path in paths:
        try:
            bodies.append(read_file(path, clock))
        except FetchError as exc:
            fetch_id = start_fetch(db, source.name, None, str(path), stamp(clock()), as_of)
            finish_fetch(db, fetch_id, stamp(clock()), outcome="failed", error=str(exc))
            raise
    return ingest_bodies(
        db, config, source, bodies, as_of=as_of, clock=clock, reuse=True, handed_over=True
    )
