"""The NHS Organisation Data Service's ORD API (JSON), read into plain organisation records.

Three shapes are read, so a saved response can be ingested like a fetched one:

- a search response, ``{"Organisations": [{"Name", "OrgId", "Status", "LastChangeDate",
  "PrimaryRoleId", ...}]}``: one summary per organisation (no roles, dates or successions);
- an organisation response, ``{"Organisation": {"Name", "OrgId": {"extension"}, "Date",
  "Status", "LastChangeDate", "Roles": {"Role": [...]}, "Succs": {"Succ": [...]}, ...}}``;
- the snapshot a run of an `ods` source applies (`snapshot_bytes`): the search response's
  summaries with the latest organisation response of each organisation read so far under
  ``records`` (the service's own container; every record in it is ODS's JSON as served).

ODS dates are ``{"Type": "Legal" | "Operational", "Start", "End"}``, and ``End`` is the last day
an organisation or role held; a `Period` here ends on the first day it no longer held, as
lifetimes do everywhere else (registry.py). The legal period is used where given, else the
operational one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import ParseError
from .json import load_json
from .sniff import looks_like_html

SNAPSHOT = "stp-tracker ods snapshot 1"


@dataclass(frozen=True)
class Period:
    """From `start` until the day before `end` (either may be unknown: None)."""

    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Role:
    """A role an organisation held (RO318 is "Integrated Care Board"), and when."""

    id: str
    primary: bool
    period: Period


@dataclass(frozen=True)
class Succession:
    """A legal succession ODS records: the organisation's `Predecessor` or `Successor`
    `target`, from `date` (its Legal start)."""

    type: str
    target: str
    date: str | None
    id: str | None = None


@dataclass(frozen=True)
class OdsRecord:
    """One organisation as ODS describes it; `detailed` when its full record was read (roles,
    dates and successions), not only its search summary."""

    code: str
    name: str
    status: str = ""
    last_change: str | None = None
    period: Period = Period()
    roles: tuple[Role, ...] = ()
    successions: tuple[Succession, ...] = ()
    detailed: bool = False

    def evidence(self) -> str:
        """Where a change derived from this record came from, for `evidence` columns."""
        changed = f", last changed {self.last_change}" if self.last_change else ""
        return f"ODS ORD API record {self.code} ({self.name}{changed})"


def read_ods(data: bytes, origin: str) -> list[OdsRecord]:
    """The organisations in an ORD response or snapshot, one record per ODS code (a full
    record wins over a summary), in code order."""
    document = load_json(data, origin)
    if not isinstance(document, dict) or not (
        "Organisation" in document or "Organisations" in document
    ):
        keys = ", ".join(repr(k) for k in document) if isinstance(document, dict) else "none"
        raise ParseError(
            "is not an ODS ORD API response: expected 'Organisations' (a search) or "
            f"'Organisation' (one organisation); keys found: {keys}",
            file=origin,
        )
    found: dict[str, OdsRecord] = {}
    summaries = document.get("Organisations") or []
    if not isinstance(summaries, list):
        raise ParseError("'Organisations' is not a list", file=origin)
    for number, summary in enumerate(summaries, start=1):
        record = _summary(summary, origin, number)
        found[record.code] = record
    wrapped = [document] if "Organisation" in document else document.get("records") or []
    for number, response in enumerate(wrapped, start=1):
        record = _full(response, origin, number)
        found[record.code] = record
    return [found[code] for code in sorted(found)]


def snapshot_bytes(
    search: str, summaries: Iterable[dict[str, Any]], records: Iterable[dict[str, Any]]
) -> bytes:
    """The document a run applies: every summary the search gave and the latest full record
    of each organisation, ordered by code, so the same knowledge gives the same bytes."""
    by_code = {str(s.get("OrgId")): s for s in summaries}
    full = {_code_of(r.get("Organisation", {})): r for r in records}
    document = {
        "snapshot": SNAPSHOT,
        "search": search,
        "Organisations": [by_code[code] for code in sorted(by_code)],
        "records": [full[code] for code in sorted(full)],
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")


def summaries_of(data: bytes, origin: str) -> list[dict[str, Any]]:
    """The summary objects of one search response page, checked to carry an OrgId."""
    if looks_like_html(data):
        raise ParseError(
            "HTML was served where an ODS search response was expected (an error page?)",
            file=origin,
        )
    document = load_json(data, origin)
    summaries = document.get("Organisations") if isinstance(document, dict) else None
    if not isinstance(summaries, list):
        raise ParseError("is not an ODS search response (no 'Organisations' list)", file=origin)
    for number, summary in enumerate(summaries, start=1):
        _summary(summary, origin, number)
    return summaries


def _summary(value: Any, origin: str, number: int) -> OdsRecord:
    """A search summary: code, name, status and last change date only."""
    if not isinstance(value, dict) or not value.get("OrgId") or not value.get("Name"):
        raise ParseError("organisation summary without an OrgId and Name", file=origin, row=number)
    return OdsRecord(
        code=str(value["OrgId"]).strip().upper(),
        name=" ".join(str(value["Name"]).split()),
        status=str(value.get("Status") or ""),
        last_change=_date(value.get("LastChangeDate"), origin, number, "LastChangeDate"),
    )


def _code_of(organisation: Any) -> str:
    org_id = organisation.get("OrgId") if isinstance(organisation, dict) else None
    code = org_id.get("extension") if isinstance(org_id, dict) else org_id
    return str(code or "").strip().upper()


def _full(response: Any, origin: str, number: int) -> OdsRecord:
    """A full organisation record: its legal (else operational) period, roles, successions."""
    body = response.get("Organisation") if isinstance(response, dict) else None
    code = _code_of(body)
    if not isinstance(body, dict) or not code or not body.get("Name"):
        raise ParseError(
            "organisation record without an OrgId extension and Name", file=origin, row=number
        )
    where = f"Organisation {code}"
    roles = tuple(
        Role(
            str(role.get("id") or ""),
            bool(role.get("primaryRole")),
            _period(role.get("Date"), origin, number, f"{where} role {role.get('id')}"),
        )
        for role in _listed(body.get("Roles"), "Role")
    )
    successions = tuple(
        Succession(
            str(succ.get("Type") or ""),
            _code_of(succ.get("Target") or {}),
            _period(succ.get("Date"), origin, number, f"{where} succession").start,
            str(succ["uniqueSuccId"]) if succ.get("uniqueSuccId") is not None else None,
        )
        for succ in _listed(body.get("Succs"), "Succ")
    )
    return OdsRecord(
        code=code,
        name=" ".join(str(body["Name"]).split()),
        status=str(body.get("Status") or ""),
        last_change=_date(body.get("LastChangeDate"), origin, number, "LastChangeDate"),
        period=_period(body.get("Date"), origin, number, where),
        roles=roles,
        successions=tuple(s for s in successions if s.target and s.type),
        detailed=True,
    )


def _listed(container: Any, key: str) -> list[dict[str, Any]]:
    """ORD's ``{"Role": [...]}`` wrappers, tolerating a missing wrapper or a single object."""
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, dict):
        items = [items]
    return [item for item in items or [] if isinstance(item, dict)]


def _period(dates: Any, origin: str, number: int, where: str) -> Period:
    """The Legal period of an ORD ``Date`` list, else the Operational one; its end exclusive."""
    chosen = None
    for kind in ("Legal", "Operational"):
        chosen = next((d for d in _as_list(dates) if d.get("Type") == kind), None)
        if chosen is not None:
            break
    if chosen is None:
        return Period()
    start = _date(chosen.get("Start"), origin, number, f"{where} Start")
    last = _date(chosen.get("End"), origin, number, f"{where} End")
    end = (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat() if last else None
    return Period(start, end)


def _as_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    return [item for item in value or [] if isinstance(item, dict)]


def _date(value: Any, origin: str, number: int, field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise ParseError(
            f"{value!r} is not a date (ODS writes YYYY-MM-DD)", file=origin, row=number, field=field
        ) from None


__all__ = ["OdsRecord", "Period", "Role", "Succession", "read_ods", "snapshot_bytes"]
