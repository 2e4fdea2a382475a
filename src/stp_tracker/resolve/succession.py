"""Lineage from the successions ODS records: which organisation became which, and when.

ODS records a legal succession on both organisations (the old one's `Successor`, the new one's
`Predecessor`), dated by its Legal start. Each becomes a `lineage` link between the
organisations the two codes meant the day before and on that date; a link the registry already
has is left alone. A new link is added when neither organisation has lineage from the registry
on that date, and proposed for review when it would add to (or move) a registry's merger,
split or renaming. Its kind follows the registry's rule: a split when the predecessor has
several successors that day, a merge when the successor has several predecessors, else a
rename.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..parse.ods import OdsRecord
from .known import REGISTRY, Known, day_before


@dataclass
class Links:
    """Lineage rows to add, proposals for links the registry contradicts, and how many
    successions named organisations no source tracks."""

    added: list[dict[str, Any]] = field(default_factory=list)
    proposed: list[dict[str, Any]] = field(default_factory=list)
    untracked: int = 0


def successions(
    records: Sequence[OdsRecord], org_on: Callable[[str, str], str | None], known: Known,
    source: str,
) -> Links:  # fmt: skip
    """The lineage the records' successions state, compared with `known`'s."""
    found: dict[tuple[str, str], tuple[str, str]] = {}  # (predecessor, successor) -> date, why
    links = Links()
    for record in records:
        for succ in record.successions:
            if succ.date is None or succ.type not in ("Successor", "Predecessor"):
                continue
            old, new = (record.code, succ.target) if succ.type == "Successor" else (
                succ.target, record.code)  # fmt: skip
            pair = (org_on(old, day_before(succ.date)), org_on(new, succ.date))
            if pair[0] is None or pair[1] is None:
                links.untracked += 1
                continue
            if pair[0] != pair[1]:
                why = f"{record.evidence()}: {succ.type} {succ.target} from {succ.date}"
                found.setdefault((pair[0], pair[1]), (succ.date, why))
    out_of = Counter((p, date) for (p, _), (date, _) in found.items())
    into = Counter((s, date) for (_, s), (date, _) in found.items())
    for (old, new), (date, why) in sorted(found.items()):
        kind = "split" if out_of[old, date] > 1 else "merge" if into[new, date] > 1 else "rename"
        row = {"predecessor": old, "successor": new, "effective": date, "kind": kind,
               "evidence": why, "origin": f"source:{source}"}  # fmt: skip
        _compare(row, known, links, source)
    return links


def _compare(row: dict[str, Any], known: Known, links: Links, source: str) -> None:
    """Add a link, leave one the registry has, or propose one that contradicts it."""
    old, new, date = row["predecessor"], row["successor"], row["effective"]
    existing = known.links.get((old, new))
    if existing is not None and existing.get("effective") == date:
        return
    registry = [
        link
        for link in known.links_on(old, date) + known.links_on(new, date)
        if (link.get("origin") or REGISTRY) == REGISTRY
        and (link["predecessor"] == old or link["successor"] == new)
    ]
    if existing is None and not registry:
        links.added.append(row)
        known.links[old, new] = row
        return
    names = {code: known.orgs[code]["name"] for code in (old, new)}
    if existing is not None:
        summary = (f"ODS dates {names[old]} ({old}) becoming {names[new]} ({new}) on {date}; "
                   f"the registry has {existing.get('effective') or 'no date'}")  # fmt: skip
    else:
        listed = ", ".join(sorted(f"{r['predecessor']} -> {r['successor']}" for r in registry))
        summary = (f"ODS has {names[old]} ({old}) becoming {names[new]} ({new}) on {date}; "
                   f"the registry's lineage that day is {listed}")  # fmt: skip
    values = {k: row[k] for k in ("effective", "kind", "evidence", "origin")}
    change = {"table": "lineage", "key": {"predecessor": old, "successor": new}, "values": values}
    links.proposed.append(
        {"source": source, "kind": "lineage", "org_code": old, "summary": summary,
         "change": json.dumps(change, sort_keys=True), "evidence": row["evidence"]}
    )  # fmt: skip


__all__ = ["Links", "successions"]
