"""Resolve the names and codes a source uses to organisations in the registry.

Codes first, then exact aliases, then the normalised form of a name ("&" vs "and", "the",
"STP" / "Health and Care Partnership" suffixes). A name no rule resolves may still be accepted
by fuzzy matching, but only when it is very close to one organisation and clearly closer to it
than to any other (`fuzzy_match`); the caller records each such match as an alias with origin
'fuzzy' for review. Anything else is never turned into an organisation: the caller records it
in `unmatched` with the closest candidates from rapidfuzz.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from ..extract.normalise import fold, org_name

AUTO_ACCEPT_SCORE = 92.0  # a fuzzy match is accepted unreviewed only at or above this score...
AUTO_ACCEPT_MARGIN = 8.0  # ...and this many points ahead of the best other organisation


@dataclass(frozen=True)
class Candidate:
    """A possible match for an unresolved name, with its similarity score (0-100)."""

    code: str
    name: str
    score: float


@dataclass
class Resolver:
    """Lookups over the organisations of one kind (or all kinds for entity 'any')."""

    entity: str
    codes: dict[str, set[str]]  # folded code or alias code -> org codes
    names: dict[str, set[str]]  # normalised name or alias -> org codes
    display: dict[str, str]  # org code -> name

    @classmethod
    def from_db(cls, db: Database, entity: str) -> Resolver:
        """Build the lookups from the `organisations` and `aliases` tables."""
        scope = "" if entity == "any" else "where o.kind = :entity"
        codes: dict[str, set[str]] = defaultdict(set)
        names: dict[str, set[str]] = defaultdict(set)
        display: dict[str, str] = {}
        for code, name in db.execute(
            f"select code, name from organisations o {scope}", {"entity": entity}
        ):
            display[code] = name
            codes[fold(code)].add(code)
            names[org_name(name)].add(code)
        for alias, normalised, code in db.execute(
            "select a.alias, a.normalised, a.code from aliases a "
            f"join organisations o on o.code = a.code {scope}",
            {"entity": entity},
        ):
            if _looks_like_code(alias):
                codes[fold(alias)].add(code)
            names[normalised].add(code)
        return cls(entity, dict(codes), dict(names), display)

    learned_codes: dict[str, str] = field(default_factory=dict)  # folded code -> org code
    learned_names: dict[str, str] = field(default_factory=dict)  # normalised name -> org code

    def learn(self, code: str, name: str) -> None:
        """Know an organisation a release creates, as from_db would once it is stored.

        Kept as plain mappings beside the lookups: a large backfill creates tens of
        thousands, and a set for each would cost more than the organisations themselves.
        """
        if code:
            self.learned_codes.setdefault(fold(code), code)
            self.learned_names.setdefault(org_name(name or code), code)
            self.display.setdefault(code, name or code)

    def _choices(self) -> dict[str, AbstractSet[str]]:
        """Every known spelling and its organisations, learned ones included, for fuzzy scoring."""
        choices: dict[str, AbstractSet[str]] = {a: c for a, c in self.names.items() if a}
        for name, code in self.learned_names.items():
            if name:
                choices[name] = _with(choices.get(name, _NONE), code)
        return choices

    def by_code(self, code: str) -> AbstractSet[str]:
        """Organisations a code (ONS, ODS, or a former code) identifies."""
        folded = fold(code)
        return _with(self.codes.get(folded, _NONE), self.learned_codes.get(folded))

    def by_name(self, name: str) -> AbstractSet[str]:
        """Organisations a name or alias identifies, after normalisation."""
        key = org_name(name)
        return _with(self.names.get(key, _NONE), self.learned_names.get(key))

    def candidates(self, name: str, limit: int = 3) -> list[Candidate]:
        """The closest known names to `name`, best first."""
        choices = self._choices()
        found = process.extract(org_name(name), list(choices), scorer=fuzz.WRatio, limit=limit * 3)
        seen: dict[str, Candidate] = {}
        for alias, score, _ in found:
            for code in sorted(choices[alias]):
                if code not in seen:
                    seen[code] = Candidate(code, self.display[code], round(score, 1))
        return sorted(seen.values(), key=lambda c: -c.score)[:limit]

    def fuzzy_match(
        self,
        name: str,
        score: float = AUTO_ACCEPT_SCORE,
        margin: float = AUTO_ACCEPT_MARGIN,
    ) -> Candidate | None:
        """The one organisation `name` is close enough to accept without review, if any.

        The best-scoring organisation wins only with at least `score` and at least `margin`
        points more than the best different organisation; a name that is a code, or whose
        closest known spelling belongs to several organisations, is never accepted.
        """
        query = org_name(name)
        if not query or _looks_like_code(name):
            return None
        choices = self._choices()
        ranked = process.extract(query, list(choices), scorer=fuzz.WRatio, limit=None)
        if not ranked:
            return None
        best_alias, best_score, _ = ranked[0]
        best = choices[best_alias]
        if len(best) != 1 or best_score < score:
            return None
        runner_up = next((s for alias, s, _ in ranked if choices[alias] != best), 0.0)
        if best_score - runner_up < margin:
            return None
        (code,) = best
        return Candidate(code, self.display[code], round(best_score, 1))


_NONE: frozenset[str] = frozenset()  # shared: a lookup that finds nothing allocates nothing


def _with(found: AbstractSet[str], learned: str | None) -> AbstractSet[str]:
    if learned is None or learned in found:
        return found
    return {learned} if not found else {*found, learned}


def _looks_like_code(text: str) -> bool:
    return " " not in text.strip() and any(ch.isdigit() for ch in text)


def alias_row(alias: str, code: str, origin: str, now: str | None = None) -> dict[str, str | None]:
    """An `aliases` row with its normalised form filled in."""
    return {
        "alias": alias,
        "normalised": org_name(alias),
        "code": code,
        "origin": origin,
        "added_at": now,
    }
