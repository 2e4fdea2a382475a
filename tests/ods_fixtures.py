"""ORD-shaped JSON for tests, built from the ODS ORD API's published examples.

The field names and nesting are those of the API's documentation (the organisation endpoint's
example record, `…/ORD/2-0-0/organisations/X26`, and the search endpoint's summary records):
``Organisation`` with ``Name``, ``Date`` (``Type`` Legal or Operational, ``Start``, ``End``),
``OrgId`` (``root``, ``assigningAuthorityName``, ``extension``), ``Status``,
``LastChangeDate``, ``orgRecordClass``, ``GeoLoc``, ``Roles.Role`` (``id``, ``uniqueRoleId``,
``primaryRole``, ``Status``, ``Date``), ``Rels.Rel`` and ``Succs.Succ`` (``uniqueSuccId``,
``Type`` Predecessor or Successor, ``Target.OrgId``, ``Target.PrimaryRoleId``, ``Date``); and
a search's ``Organisations`` of ``Name``, ``OrgId``, ``Status``, ``OrgRecordClass``,
``PostCode``, ``LastChangeDate``, ``PrimaryRoleId``, ``PrimaryRoleDescription``, ``OrgLink``.
Role ids are ODS's: RO261 Strategic Partnership (primary), RO262 Sustainability
Transformation Partnership, RO318 Integrated Care Board, RO319 Sub ICB Location, RO98
Clinical Commissioning Group. The organisations are the registry's, in a world as of October
2026 in which some things happened that the bundled registry does not know.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

ROOT = "2.16.840.1.113883.2.1.3.2.4.18.48"
ROLE_NAMES = {"RO261": "STRATEGIC PARTNERSHIP", "RO98": "CLINICAL COMMISSIONING GROUP"}
_ids = itertools.count(160_000)


def org_id(code: str) -> dict[str, str]:
    """An ORD OrgId."""
    return {"root": ROOT, "assigningAuthorityName": "HSCIC", "extension": code}


def period(start: str, end: str | None = None, kind: str = "Operational") -> dict[str, str]:
    """One ORD Date entry (End is the last day held)."""
    return {"Type": kind, "Start": start} | ({"End": end} if end else {})


def role(role_id: str, start: str, end: str | None = None, *, primary: bool = False) -> dict:
    """One ORD role with its operational dates."""
    return {
        "id": role_id,
        "uniqueRoleId": next(_ids),
        "primaryRole": primary,
        "Status": "Inactive" if end else "Active",
        "Date": [period(start, end)],
    }


def succ(kind: str, target: str, start: str, target_role: str = "RO261") -> dict:
    """One ORD succession: the organisation's Predecessor or Successor `target`."""
    return {
        "uniqueSuccId": next(_ids),
        "Date": [period(start, kind="Legal")],
        "Type": kind,
        "Target": {
            "OrgId": org_id(target),
            "PrimaryRoleId": {"id": target_role, "uniqueRoleId": str(next(_ids))},
        },
    }


def rel(target: str, start: str, rel_id: str = "RE5") -> dict:
    """One ORD relationship ("is located in the geography of", by default)."""
    return {
        "Date": [period(start)],
        "Status": "Active",
        "Target": {"OrgId": org_id(target), "PrimaryRoleId": {"id": "RO261", "uniqueRoleId": "1"}},
        "id": rel_id,
        "uniqueRelId": next(_ids),
    }


def organisation(
    code: str, name: str, *, start: str, last_change: str, roles: list[dict],
    end: str | None = None, succs: list[dict] | None = None, rels: list[dict] | None = None,
    postcode: str = "LS1 4HR",
) -> dict[str, Any]:  # fmt: skip
    """An ORD organisation response."""
    body: dict[str, Any] = {
        "Name": name,
        "Date": [period(start, end, "Legal"), period(start, end)],
        "OrgId": org_id(code),
        "Status": "Inactive" if end else "Active",
        "LastChangeDate": last_change,
        "orgRecordClass": "RC1",
        "GeoLoc": {
            "Location": {
                "AddrLn1": "WHITE ROSE HOUSE",
                "Town": "LEEDS",
                "PostCode": postcode,
                "Country": "ENGLAND",
            }
        },
        "Roles": {"Role": roles},
    }
    if rels:
        body["Rels"] = {"Rel": rels}
    if succs:
        body["Succs"] = {"Succ": succs}
    return {"Organisation": body}


def summary(record: dict[str, Any], base: str) -> dict[str, Any]:
    """The search summary of an organisation response."""
    body = record["Organisation"]
    primary = next(r["id"] for r in body["Roles"]["Role"] if r["primaryRole"])
    code = body["OrgId"]["extension"]
    return {
        "Name": body["Name"],
        "OrgId": code,
        "Status": body["Status"],
        "OrgRecordClass": "RC1",
        "PostCode": body["GeoLoc"]["Location"]["PostCode"],
        "LastChangeDate": body["LastChangeDate"],
        "PrimaryRoleId": primary,
        "PrimaryRoleDescription": ROLE_NAMES[primary],
        "OrgLink": f"{base}/{code}",
    }


def search(records: list[dict[str, Any]], base: str) -> bytes:
    """A search response listing `records`."""
    return json.dumps({"Organisations": [summary(r, base) for r in records]}).encode()


def partnership(
    code: str, name: str, *, stp_from: str | None, icb_from: str, icb_to: str | None = None,
    last_change: str, succs: list[dict] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A strategic partnership record: an STP role until June 2022 (if it was one), then an
    ICB role, as ODS kept the STPs' codes for their ICBs."""
    start = stp_from or icb_from
    roles = [role("RO261", start, icb_to, primary=True)]
    if stp_from:
        roles.append(role("RO262", stp_from, "2022-06-30"))
    roles.append(role("RO318", icb_from, icb_to))
    return organisation(code, name, start=start, end=icb_to, last_change=last_change,
                        roles=roles, succs=succs)  # fmt: skip


def world() -> list[dict[str, Any]]:
    """Partnerships as ODS describes them in October 2026: West Yorkshire as the registry has
    it; Cambridgeshire and Peterborough merged into Central East in April as the registry has
    it; Cheshire and Merseyside renamed in September; Lancashire and South Cumbria succeeded in
    October by a new ICB the registry does not know; and a succession of Frimley's in April
    that the registry does not list."""
    return [
        partnership("QWO", "NHS WEST YORKSHIRE INTEGRATED CARE BOARD", stp_from="2017-04-01",
                    icb_from="2022-07-01", last_change="2022-07-01"),
        partnership("QUE", "NHS CAMBRIDGESHIRE AND PETERBOROUGH INTEGRATED CARE BOARD",
                    stp_from="2017-04-01", icb_from="2022-07-01", icb_to="2026-03-31",
                    last_change="2026-04-01", succs=[succ("Successor", "S1Y5D", "2026-04-01")]),
        partnership("S1Y5D", "NHS CENTRAL EAST INTEGRATED CARE BOARD", stp_from=None,
                    icb_from="2026-04-01", last_change="2026-04-01",
                    succs=[succ("Predecessor", code, "2026-04-01") for code in
                           ("QUE", "QHG", "QM7")]),
        partnership("QYG", "NHS CHESHIRE, MERSEYSIDE AND WIRRAL INTEGRATED CARE BOARD",
                    stp_from="2017-04-01", icb_from="2022-07-01", last_change="2026-09-15"),
        partnership("QE1", "NHS LANCASHIRE AND SOUTH CUMBRIA INTEGRATED CARE BOARD",
                    stp_from="2017-04-01", icb_from="2022-07-01", icb_to="2026-09-30",
                    last_change="2026-10-01", succs=[succ("Successor", "N3W1C", "2026-10-01")]),
        partnership("N3W1C", "NHS NORTH WEST COAST INTEGRATED CARE BOARD", stp_from=None,
                    icb_from="2026-10-01", last_change="2026-10-01",
                    succs=[succ("Predecessor", "QE1", "2026-10-01")]),
        partnership("QNQ", "NHS FRIMLEY INTEGRATED CARE BOARD", stp_from="2017-04-01",
                    icb_from="2022-07-01", icb_to="2026-03-31", last_change="2026-04-01",
                    succs=[succ("Successor", code, "2026-04-01") for code in
                           ("S0E4D", "S9B9J", "QRL", "D7T5G")]),
    ]  # fmt: skip


def sub_icb_locations() -> list[dict[str, Any]]:
    """Sub ICB locations: CCG codes kept from July 2022, each in its ICB's geography."""
    return [
        organisation("15C", "NHS BRISTOL, NORTH SOMERSET AND SOUTH GLOUCESTERSHIRE ICB - 15C",
                     start="2020-04-01", last_change="2022-07-01", postcode="BS1 3NX",
                     roles=[role("RO98", "2020-04-01", primary=True),
                            role("RO319", "2022-07-01")],
                     rels=[rel("QUY", "2022-07-01")]),
        organisation("72Q", "NHS SOUTH EAST LONDON ICB - 72Q", start="2020-04-01",
                     last_change="2022-07-01", postcode="SE1 2TZ",
                     roles=[role("RO98", "2020-04-01", primary=True),
                            role("RO319", "2022-07-01")],
                     rels=[rel("QKK", "2022-07-01")]),
    ]  # fmt: skip
