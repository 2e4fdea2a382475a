"""Keep the registry current from the NHS Organisation Data Service (a source of format `ods`).

Each ODS record is an organisation with roles over time. A role this module knows (`ROLES`:
RO262 Sustainability Transformation Partnership, RO318 Integrated Care Board, RO319 Sub ICB
Location) says the record was an organisation of that kind from the role's start to its end.
ODS kept the STPs' codes for their ICBs (QWO was West Yorkshire's STP, then its ICB), so the
STP role of a record is the STP the registry's lineage says became that ICB, and it gains the
ODS code; every other role is the organisation with that code and kind.

Compared with what the database holds (known.py), the records give a `RegistryUpdate`:

- **added at once** (origin ``source:NAME``, the record as evidence): an organisation the
  registry does not have, when the source `creates`; a name or code an organisation did not
  have; lineage (from ODS successions) between organisations that the registry gives no
  lineage on that date; and any change to an organisation an ODS source created;
- **proposed** (for `stp-tracker proposal accept`): whatever would change what the bundled
  registry says: another start or end of one of its organisations, another name, another
  date for one of its links, or another predecessor or successor where it lists some.

The release states each organisation's name (`org.name`) as ODS gives it, so a rename is a
change like any other. Its date is the latest `LastChangeDate` in the snapshot, the day ODS
last recorded a change, so an unchanged snapshot is the same release.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..config import Kinds, SourceConfig
from ..errors import ParseError
from ..extract.identify import FuzzyMatch, Identities, Skipped, Unmatched
from ..extract.normalise import fold, org_name
from ..model import RegistryUpdate, Release, Statement
from ..parse.ods import OdsRecord, Period
from .known import Known, day_before, overlaps, within
from .registry import icb_title
from .resolver import EVER, looks_like_code
from .succession import successions

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..fetch.body import Body

ROLES = {"RO262": "stp", "RO318": "icb", "RO319": "sub_icb"}  # ODS role id -> kind
LABELS = {"stp": "STP", "icb": "ICB", "sub_icb": "Sub ICB Location"}
NAMED_AT_MOST = 5  # proposals named in a run's summary line; the rest are counted


@dataclass
class OdsExtracted:
    """What one ODS snapshot gave: its release (names, and the registry update it carries),
    the codes it could not place (recorded, never fatal), and lines for the run's summary."""

    releases: list[Release]
    unmatched: list[Unmatched] = field(default_factory=list)
    records: int = 0
    identities: Identities = field(default_factory=Identities)
    notes: list[str] = field(default_factory=list)

    @property
    def created(self) -> dict[str, str]:
        """The organisations it creates, code -> name."""
        return self.identities.created

    @property
    def fuzzy(self) -> list[FuzzyMatch]:
        """Nothing: ODS codes are never matched fuzzily."""
        return []

    @property
    def skipped(self) -> list[Skipped]:
        """Records of a role whose code its kind cannot have."""
        return self.identities.skipped


def extract_ods(
    records: Sequence[OdsRecord], known: Known, source: SourceConfig, kinds: Kinds, *,
    origin: str, as_of: str | None = None, fetch_id: int | None = None,
) -> OdsExtracted:  # fmt: skip
    """The release and registry update an ODS snapshot gives, compared with `known`."""
    if not records:
        raise ParseError(
            "ODS listed no organisations (check the search's PrimaryRoleId or NonPrimaryRoleId)",
            file=origin,
        )
    dates = [r.last_change for r in records if r.last_change]
    effective = as_of or max(dates, default=None)
    if effective is None:
        raise ParseError("no record has a LastChangeDate to date it by; give --as-of", file=origin)
    reader = _Reader(known, source, kinds, origin, effective)
    for row, record in enumerate(records, start=1):
        reader.read(row, record)
    links = successions(records, reader.org_on, known, source.name)
    reader.lineage, proposed = links.added, links.proposed
    reader.proposals += proposed
    update = RegistryUpdate(
        source.name, tuple(reader.organisations), tuple(reader.updates), tuple(reader.aliases),
        tuple(reader.lineage), tuple(reader.proposals),
    )  # fmt: skip
    release = Release(
        source.name, effective, False, tuple(reader.statements.values()), fetch_id=fetch_id,
        registry=update,
    )  # fmt: skip
    notes = _notes(update, sum(not r.detailed for r in records), links.untracked)
    return OdsExtracted([release], reader.found.unmatched, len(records), reader.found, notes)


class _Reader:
    """Places each record's roles on organisations, gathering what to add and to propose."""

    def __init__(
        self, known: Known, source: SourceConfig, kinds: Kinds, origin: str, effective: str
    ) -> None:
        self.known, self.source, self.kinds = known, source, kinds
        self.origin, self.effective = origin, effective
        self.tag = f"source:{source.name}"
        self.found = Identities()
        self.mapped: dict[str, list[tuple[str, Period]]] = {}  # ODS code -> (org, when)
        self.organisations: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.aliases: list[dict[str, Any]] = []
        self.lineage: list[dict[str, Any]] = []
        self.proposals: list[dict[str, Any]] = []
        self.statements: dict[str, Statement] = {}

    def read(self, row: int, record: OdsRecord) -> None:
        """Place one record's roles (or, for a search summary, the organisation its code
        means now), then its name."""
        if not record.detailed:
            now = self._now(record.code)
            if now is not None:
                self.mapped[record.code] = [(now, Period(*self.known.lifetime(now)))]
        for kind, period in self._roles(record):
            for org in self._place(row, record, kind, period):
                self.mapped.setdefault(record.code, []).append((org, period))
        current = self._current(record.code)
        if current is not None:
            self._name(current, record)
            start, end = self.known.lifetime(current)
            if start <= self.effective < end:
                self.statements.setdefault(current, self._statement(current, record))

    def org_on(self, code: str, day: str) -> str | None:
        """The one organisation an ODS code meant on `day`: as this snapshot placed it, else
        as the database knows it; None when none or several."""
        found = {org for org, p in self.mapped.get(code, []) if within(day, p.start, p.end)}
        if not found:
            found = {
                org
                for org in self.known.meaning(code)
                if self.known.orgs[org]["kind"] in ROLES.values()
                and within(day, *self.known.lifetime(org))
            }
        return found.pop() if len(found) == 1 else None

    def _roles(self, record: OdsRecord) -> list[tuple[str, Period]]:
        """The record's roles of a kind this source reads, each with when it held."""
        found = []
        for role in record.roles:
            kind = ROLES.get(role.id)
            if kind is not None and self.source.entity in ("any", kind):
                found.append((kind, role.period if role.period.start else record.period))
        return found

    def _now(self, code: str) -> str | None:
        """The organisation of a kind the source reads that the code means on its date."""
        kinds = {k for k in ROLES.values() if self.source.entity in ("any", k)}
        found = {
            org
            for org in self.known.meaning(code)
            if self.known.orgs[org]["kind"] in kinds
            and within(self.effective, *self.known.lifetime(org))
        }
        return found.pop() if len(found) == 1 else None

    def _current(self, code: str) -> str | None:
        """The organisation a record names now (or last): the one whose period holds the
        snapshot's date, else the latest."""
        placed = self.mapped.get(code)
        if not placed:
            return None
        for org, period in placed:
            if within(self.effective, period.start, period.end):
                return org
        return max(placed, key=lambda item: item[1].start or EVER)[0]

    def _place(self, row: int, record: OdsRecord, kind: str, period: Period) -> list[str]:
        """The organisations a role of the record is: known, reached through lineage (an STP),
        or created; none (recorded as unmatched or skipped) when it cannot be placed."""
        when = (period.start, period.end)
        found = {o for o in self.known.meaning(record.code, kind)
                 if overlaps(self.known.lifetime(o), when)}  # fmt: skip
        if len(found) == 1:
            (org,) = found
            if kind != "stp":
                self._lifetime(org, record, period)
            if not self.known.registry_owned(org):  # as when created (a rebuild keeps the row)
                self._alias(record.code, org, None, record.evidence())
            return [org]
        if found:
            return self._unplaced(row, record, f"means {len(found)} {kind} organisations")
        if kind == "stp":
            return self._stp(row, record, period)
        others = self.known.meaning(record.code)
        if others:
            held = "; ".join(f"{o} ({self.known.orgs[o]['kind']})" for o in sorted(others))
            return self._unplaced(
                row, record, f"has the {LABELS[kind]} role {_span(period)} in ODS, but the "
                f"registry gives the code to {held}",
            )  # fmt: skip
        if not self.source.creates:
            return self._unplaced(
                row, record, f"has the {LABELS[kind]} role {_span(period)} in ODS, but no "
                "organisation here has the code (the source does not create organisations: "
                "set creates = true)",
            )  # fmt: skip
        if not self.kinds.fits(kind, record.code):
            patterns = ", ".join(self.kinds.codes.get(kind, ()))
            reason = f"not a code a {kind} can have ({patterns}), so not created"
            self.found.skipped.append(Skipped(self.origin, row, record.code, record.name, reason))
            return []
        return [self._create(record, kind, period)]

    def _stp(self, row: int, record: OdsRecord, period: Period) -> list[str]:
        """The STPs that became the ICB with this code, gaining it as their ODS code."""
        when = (period.start, period.end)
        stps = sorted(
            p
            for icb in self.known.meaning(record.code, "icb")
            for p in self.known.predecessors(icb)
            if self.known.orgs[p]["kind"] == "stp" and overlaps(self.known.lifetime(p), when)
        )
        if not stps:
            return self._unplaced(
                row, record, f"was a Sustainability and Transformation Partnership "
                f"{_span(period)} in ODS, but no STP the registry knows became {record.code}",
            )  # fmt: skip
        evidence = f"{record.evidence()}: STP role (RO262) {_span(period)}"
        for stp in stps:
            self._alias(record.code, stp, None, evidence)
        return stps

    def _create(self, record: OdsRecord, kind: str, period: Period) -> str:
        """A new organisation from an ODS record, with its code, name and short names."""
        title = icb_title(record.name)
        row = {"code": record.code, "name": title, "kind": kind, "ods_code": record.code,
               "ons_code": None, "valid_from": period.start, "valid_to": period.end,
               "origin": self.tag}  # fmt: skip
        self.organisations.append(row)
        self.known.add(row)
        self.found.created[record.code] = title
        self._alias(record.code, record.code, None, record.evidence())  # its name: _name
        return record.code

    def _lifetime(self, org: str, record: OdsRecord, period: Period) -> None:
        """Bring an organisation's start and end to what ODS states: at once for one an ODS
        source created, by proposal for one of the registry's."""
        row = self.known.orgs[org]
        changes = {
            column: value
            for column, value in (("valid_from", period.start), ("valid_to", period.end))
            if value is not None and value != row.get(column)
        }
        if not changes:
            return
        if not self.known.registry_owned(org):
            self.updates.append({"code": org, **changes})
            row.update(changes)
            return
        summary = (
            f"{row['name']} ({org}): its {LABELS[row['kind']]} role runs {_span(period)} in ODS; "
            f"the registry has it {_span(Period(row.get('valid_from'), row.get('valid_to')))}"
        )
        self._propose("lifetime", org, summary, "organisations", {"code": org}, changes, record)

    def _name(self, org: str, record: OdsRecord) -> None:
        """A name the organisation did not have resolves at once (from the day ODS recorded
        it, when it replaces another); as its displayed name it applies at once for an
        organisation an ODS source created, and is proposed for one of the registry's."""
        names = self.known.names[org]
        if org_name(record.name) in names:
            return
        row = self.known.orgs[org]
        renamed = bool(names)  # else it is the organisation's first (own) name
        later = (record.last_change or "") > (row.get("valid_from") or "")
        since = record.last_change if renamed and later else None
        self._alias(record.name, org, since, f"{record.evidence()}: its name")
        title = icb_title(record.name)
        if not renamed or title == row["name"]:
            return
        if not self.known.registry_owned(org):
            self.updates.append({"code": org, "name": title})
            row["name"] = title
            return
        summary = f"{row['name']} ({org}) is named {record.name!r} in ODS"
        self._propose("name", org, summary, "organisations", {"code": org}, {"name": title}, record)

    def _alias(self, alias: str, org: str, since: str | None, evidence: str) -> None:
        """A spelling of `org` (once: not when it, or its normalised form, already means it)."""
        if (alias, org) in self.known.aliases or (
            not looks_like_code(alias) and org_name(alias) in self.known.names[org]
        ):
            return
        self.known.aliases.add((alias, org))
        self.known.names[org].add(org_name(alias))
        self.aliases.append(
            {"alias": alias, "normalised": org_name(alias), "code": org, "origin": self.tag,
             "valid_from": since, "valid_to": None, "evidence": evidence}
        )  # fmt: skip

    def _propose(
        self, kind: str, org: str, summary: str, table: str, key: dict[str, str],
        values: dict[str, Any], record: OdsRecord,
    ) -> None:  # fmt: skip
        change = json.dumps({"table": table, "key": key, "values": values}, sort_keys=True)
        self.proposals.append(
            {"source": self.source.name, "kind": kind, "org_code": org, "summary": summary,
             "change": change, "evidence": record.evidence()}
        )  # fmt: skip

    def _unplaced(self, row: int, record: OdsRecord, reason: str) -> list[str]:
        self.found.unmatched.append(Unmatched(self.origin, row, "OrgId", record.code, (), reason))
        return []

    def _statement(self, org: str, record: OdsRecord) -> Statement:
        return Statement(
            org, "org.name", record.name, fold(record.name), None, self.source.publisher, None
        )


def _span(period: Period) -> str:
    """'from 2022-07-01 until 2026-03-31' (its last day), 'from 2022-07-01 on', or with an
    unknown start."""
    start = f"from {period.start}" if period.start else "from an unknown date"
    return f"{start} until {day_before(period.end)}" if period.end else f"{start} on"


def _notes(update: RegistryUpdate, summaries: int, untracked: int) -> list[str]:
    """Lines for the run's summary beyond the organisations it created."""
    notes = []
    added = [
        f"{len(update.aliases)} name(s) and code(s)" if update.aliases else "",
        f"{len(update.lineage)} lineage link(s)" if update.lineage else "",
        f"{len(update.updates)} change(s) to organisations ODS sources created"
        if update.updates
        else "",
    ]
    if any(added):
        notes.append("registry: added " + ", ".join(part for part in added if part))
    if update.proposals:
        listed = "; ".join(p["summary"] for p in update.proposals[:NAMED_AT_MOST])
        more = len(update.proposals) - NAMED_AT_MOST
        listed += f"; and {more} more" if more > 0 else ""
        notes.append(
            f"{len(update.proposals)} change(s) the registry contradicts await review "
            f"(stp-tracker proposal list): {listed}"
        )
    if untracked:
        notes.append(f"{untracked} succession(s) to organisations not tracked were left out")
    if summaries:
        notes.append(
            f"{summaries} organisation(s) known only from the search so far: their full records "
            "(roles, dates, successions) are read on later runs"
        )
    return notes


def read_registry_source(
    db: Database, source: SourceConfig, kinds: Kinds, body: Body, as_of: str | None,
    fetch_id: int | None,
) -> OdsExtracted:  # fmt: skip
    """Read an ORD response or snapshot and compare it with the database's identities."""
    from dataclasses import replace

    from ..parse.ods import read_ods
    from ..parse.sniff import check_content

    check_content(body.data, replace(source, format="json"), body.origin)  # empty, or HTML
    records = read_ods(body.data, body.origin)
    return extract_ods(
        records, Known.from_db(db), source, kinds, origin=body.origin, as_of=as_of,
        fetch_id=fetch_id,
    )  # fmt: skip


__all__ = ["ROLES", "OdsExtracted", "extract_ods", "read_registry_source"]
