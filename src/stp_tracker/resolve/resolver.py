"""Resolve the names and codes a source uses to organisations, as they were on a date.

Identities have lifetimes: an organisation exists from its `valid_from` to its `valid_to`, and
each alias or code meant it within an interval (registry.py). Codes and names are reused across
reorganisations (E54000008 is the Cheshire and Merseyside STP of 2017 and the ONS code of its
ICB; "Devon" is an STP and an ICB), so a lookup on a date considers only the organisations of
the resolver's kind that existed on that date: first those the name or code meant then, else
those it meant at another time (a file may lag behind a recode). Never one of another kind, and
never one outside its lifetime; where several remain, the caller fails listing them.

Codes first, then exact aliases, then the normalised form of a name ("&" vs "and", "the", "STP"
/ "Health and Care Partnership" suffixes). A name no rule resolves may still be accepted by fuzzy
matching (`fuzzy_match`), only when it is very close to one organisation that existed then and
clearly closer to it than to any spelling of any other organisation, of any kind or time: a name
that really belongs to another kind or another time never slides onto a neighbour. The caller
records each such match as an alias with origin 'fuzzy' for review. Anything else is never turned
into an organisation: the caller records it in `unmatched` with the closest candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlite_utils import Database

from ..extract.normalise import fold, org_name

AUTO_ACCEPT_SCORE = 92.0  # a fuzzy match is accepted unreviewed only at or above this score...
AUTO_ACCEPT_MARGIN = 8.0  # ...and this many points ahead of any spelling of another organisation
PEOPLE_ORIGINS = ("curated", "fuzzy")  # aliases people made or accepted; the rest is the registry
EVER, NEVER = "", "9999"  # the open ends of an interval of dates (ISO dates compare as text)
AFTER_ALL = "\U0010ffff"  # after every date, NEVER included: the end of an interval with none


class Meaning(NamedTuple):
    """What a spelling (a code or a normalised name) meant: organisation `org` of `kind`, from
    `start` until the day before `end`; the organisation itself existed from `born` to `died`."""

    org: str
    kind: str
    start: str = EVER
    end: str = NEVER
    born: str = EVER
    died: str = NEVER

    def exists(self, on: str) -> bool:
        """Whether the organisation existed on `on`."""
        return self.born <= on < self.died

    def lifetime(self) -> str:
        """'from 2018-04-01 to 2022-07-01', with 'unknown' and 'now' for open ends."""
        return f"from {self.born or 'unknown'} to {self.died if self.died != NEVER else 'now'}"


# A lookup's entry: the organisations of the resolver's kind a spelling always meant, or, when
# an interval, a lifetime or another kind is involved, each of its meanings.
Entry = frozenset[str] | tuple[Meaning, ...]


@dataclass(frozen=True)
class Candidate:
    """A possible match for an unresolved name, with its similarity score (0-100)."""

    code: str
    name: str
    score: float


@dataclass
class Resolver:
    """Lookups over every organisation, resolving among those of one kind (or all kinds for
    entity 'any') on a date."""

    entity: str
    codes: dict[str, Entry]  # folded code -> meanings
    names: dict[str, Entry]  # normalised name or alias -> meanings
    display: dict[str, str]  # org code -> name
    # For organisations that carried several codes one after another (the 2020 recodes):
    # each of their folded codes -> the code as the registry writes it.
    successive: dict[str, dict[str, str]] = field(default_factory=dict)
    # Spellings of curated and fuzzy aliases, (key, org) -> origin, to report which were used.
    people: dict[tuple[str, str], str] = field(default_factory=dict)
    rejected: frozenset[tuple[str, str]] = frozenset()  # (normalised, org) people removed
    learned_codes: dict[str, str] = field(default_factory=dict)  # folded code -> org code
    learned_names: dict[str, str] = field(default_factory=dict)  # normalised name -> org code
    unnamed: list[tuple[str, str]] = field(default_factory=list)  # learned, names not yet read

    @classmethod
    def from_db(cls, db: Database, entity: str) -> Resolver:
        """Build the lookups from the `organisations`, `aliases` and `removed_aliases` tables."""
        lifetimes: dict[str, tuple[str, str, str]] = {}
        display: dict[str, str] = {}
        for code, name, kind, born, died, origin in db.execute(
            "select code, name, kind, valid_from, valid_to, origin from organisations"
        ):
            # An organisation a source created was first seen then; it may have existed before.
            start = born or EVER if origin == "registry" else EVER
            lifetimes[code] = (kind, start, died or NEVER)
            display[code] = name
        lookups = _Lookups()
        own_codes = {fold(code) for code in lifetimes}  # ODS codes such as QWO have no digit
        for alias, normalised, code, origin, start, end in db.execute(
            "select alias, normalised, code, origin, valid_from, valid_to from aliases"
        ):
            kind, born, died = lifetimes[code]
            meaning = Meaning(code, kind, max(start or EVER, born), min(end or NEVER, died),
                              born, died)  # fmt: skip
            if looks_like_code(alias) or fold(alias) in own_codes:
                lookups.add(lookups.codes, fold(alias), meaning, origin)
            lookups.add(lookups.names, normalised, meaning, origin)
        for code, (kind, born, died) in lifetimes.items():  # own code and name, where no alias
            meaning = Meaning(code, kind, born, died, born, died)
            lookups.add(lookups.codes, fold(code), meaning, "registry", unless_known=True)
            lookups.add(lookups.names, org_name(display[code]), meaning, "registry",
                        unless_known=True)  # fmt: skip
        rejected = frozenset(db.execute("select normalised, code from removed_aliases").fetchall())
        return cls(
            entity,
            _entries(lookups.codes, entity),
            _entries(lookups.names, entity),
            display,
            _successive(db),
            {
                pair: origin
                for pair, origin in lookups.people.items()
                if pair not in lookups.official
            },
            rejected,
        )

    def learn(self, code: str, name: str) -> None:
        """Know an organisation a release creates, as from_db would once it is stored.

        Kept as plain mappings beside the lookups: a large backfill creates tens of
        thousands, and a set for each would cost more than the organisations themselves.
        """
        if code:
            self.learned_codes.setdefault(fold(code), code)
            self.unnamed.append((code, name or code))  # normalised when a name is looked up
            self.display.setdefault(code, name or code)

    def named(self) -> dict[str, str]:
        """The learned organisations by normalised name (normalising the names learned since
        the last lookup: a backfill that resolves codes never needs them)."""
        for code, name in self.unnamed:
            self.learned_names.setdefault(org_name(name), code)
        self.unnamed.clear()
        return self.learned_names

    def by_code(self, code: str, on: str | None = None) -> AbstractSet[str]:
        """Organisations of the resolver's kind a code (ONS, ODS, former) identifies on `on`
        (at any time when None)."""
        folded = fold(code)
        entry = self.codes.get(folded)
        found = entry if entry.__class__ is frozenset else self._scoped(entry, on)  # type: ignore[arg-type, unused-ignore]
        return _with(found, self.learned_codes.get(folded)) if self.learned_codes else found

    def steady(self, code: str, on: str) -> tuple[str, str]:
        """The dates around `on` on which `by_code(code, date)` answers as on `on`: from the
        first until before the second. The answer moves only where a meaning of the code, or
        the life of the organisation it meant, starts or ends; learned codes never move."""
        entry = self.codes.get(fold(code))
        if not isinstance(entry, tuple):
            return EVER, AFTER_ALL
        kinds = [m for m in entry if self.entity in ("any", m.kind)]
        bounds = {b for m in kinds for b in (m.start, m.end, m.born, m.died)}
        low = max((b for b in bounds if b <= on), default=EVER)
        return low, min((b for b in bounds if b > on), default=AFTER_ALL)

    def by_name(self, name: str, on: str | None = None) -> AbstractSet[str]:
        """Organisations of the resolver's kind a name or alias identifies on `on`, after
        normalisation (at any time when None)."""
        key = org_name(name)
        return _with(self._scoped(self.names.get(key), on), self.named().get(key))

    def _scoped(self, entry: Entry | None, on: str | None) -> AbstractSet[str]:
        """The organisations in scope: of the kind, existing on `on`, and meant by the spelling
        then if any was; else any it meant at another time."""
        if not entry:
            return _NONE
        if isinstance(entry, frozenset):
            return entry
        kinds = [m for m in entry if self.entity in ("any", m.kind)]
        if on is None:
            return {m.org for m in kinds}
        alive = [m for m in kinds if m.exists(on)]
        return {m.org for m in alive if m.start <= on < m.end} or {m.org for m in alive}

    def spellings(self, on: str | None = None) -> dict[str, AbstractSet[str]]:
        """Every normalised name or alias and the organisations in scope it names on `on`
        (learned ones included), for reading names out of running text."""
        found: dict[str, AbstractSet[str]] = {}
        for key, entry in self.names.items():
            orgs = self._scoped(entry, on)
            if key and orgs:
                found[key] = orgs
        for key, code in self.named().items():
            found[key] = _with(found.get(key, _NONE), code)
        return found

    def existing(self, on: str | None = None) -> set[str]:
        """The organisations of the resolver's kind that existed on `on` (all when None)."""
        orgs: set[str] = set(self.learned_codes.values())
        for entry in self.codes.values():
            if isinstance(entry, frozenset):
                orgs |= entry
            else:
                orgs |= {m.org for m in entry if self._in_scope(m, on)}
        return orgs

    def meanings(self, code: str, name: str) -> list[Meaning]:
        """Everything a code or name ever meant, of any kind and time, for explaining a
        failure: by code when there is one, else by name."""
        entry = self.codes.get(fold(code)) if code else self.names.get(org_name(name))
        learned = self.learned_codes.get(fold(code)) if code else self.named().get(org_name(name))
        found = _meanings(entry, self.entity)
        if learned is not None and all(m.org != learned for m in found):
            found.append(Meaning(learned, self.entity))
        return found

    def recoded(self, org: str, code: str) -> str | None:
        """The registry's spelling of `code` when `org` carried several codes over time and this
        is one of them (so the code a release states is worth recording), else None."""
        codes = self.successive.get(org)
        return codes.get(fold(code)) if codes else None

    def used(self, value: str, org: str, *, by_code: bool) -> tuple[str, str] | None:
        """The (normalised, org) of a curated or fuzzy alias that resolved `value`, if one did."""
        if not self.people:
            return None
        key = fold(value) if by_code else org_name(value)
        return (org_name(value), org) if (key, org) in self.people else None

    def _choices(self) -> dict[str, tuple[Meaning, ...]]:
        """Every known spelling and what it meant, learned ones included, for fuzzy scoring."""
        choices = {a: tuple(_meanings(e, self.entity)) for a, e in self.names.items() if a}
        for name, code in self.named().items():
            if name and all(m.org != code for m in choices.get(name, ())):
                choices[name] = (*choices.get(name, ()), Meaning(code, self.entity))
        return choices

    def _in_scope(self, meaning: Meaning, on: str | None) -> bool:
        return self.entity in ("any", meaning.kind) and (on is None or meaning.exists(on))

    def candidates(self, name: str, limit: int = 3, on: str | None = None) -> list[Candidate]:
        """The closest known names to `name` among organisations in scope on `on`, best first."""
        from rapidfuzz import fuzz, process  # loaded when a name does not resolve, not per run

        choices = self._choices()
        found = process.extract(org_name(name), list(choices), scorer=fuzz.WRatio, limit=None)
        seen: dict[str, Candidate] = {}
        for alias, score, _ in found:
            for meaning in sorted(choices[alias]):
                if meaning.org not in seen and self._in_scope(meaning, on):
                    seen[meaning.org] = Candidate(
                        meaning.org, self.display.get(meaning.org, meaning.org), round(score, 1)
                    )
            if len(seen) >= limit:
                break
        return sorted(seen.values(), key=lambda c: -c.score)[:limit]

    def fuzzy_match(
        self,
        name: str,
        on: str | None = None,
        score: float = AUTO_ACCEPT_SCORE,
        margin: float = AUTO_ACCEPT_MARGIN,
    ) -> Candidate | None:
        """The one organisation `name` is close enough to accept without review, if any.

        The closest known spellings (every organisation's, of every kind and time) must name
        exactly one organisation in scope on `on`, with at least `score`, and every other
        spelling within `margin` points of them must be one of its own: a name that is closer
        to another kind's or another time's never slides onto a neighbour. A name that is a
        code, or that a person removed as an alias of the winner, is never accepted.
        """
        query = org_name(name)
        if not query or looks_like_code(name):
            return None
        from rapidfuzz import fuzz, process

        choices = self._choices()
        ranked = process.extract(
            query, list(choices), scorer=fuzz.WRatio, limit=None, score_cutoff=score - margin
        )
        if not ranked or ranked[0][1] < score:
            return None
        best_score = ranked[0][1]
        best = [alias for alias, found, _ in ranked if found == best_score]
        winners = {m.org for a in best for m in choices[a] if self._in_scope(m, on)}
        if len(winners) != 1:
            return None
        (code,) = winners
        near = [alias for alias, found, _ in ranked if found > best_score - margin]
        if any(all(m.org != code for m in choices[alias]) for alias in near):
            return None
        if (query, code) in self.rejected:
            return None
        return Candidate(code, self.display.get(code, code), round(best_score, 1))


_NONE: frozenset[str] = frozenset()  # shared: a lookup that finds nothing allocates nothing


@dataclass
class _Lookups:
    """Spellings and their meanings while from_db gathers them, and who made each spelling."""

    codes: dict[str, list[Meaning]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, list[Meaning]] = field(default_factory=lambda: defaultdict(list))
    people: dict[tuple[str, str], str] = field(default_factory=dict)  # (key, org) -> origin
    official: set[tuple[str, str]] = field(default_factory=set)  # (key, org) the registry has
    seen: set[tuple[int, str, str]] = field(default_factory=set)  # (lookup, key, org)

    def add(
        self, lookup: dict[str, list[Meaning]], key: str, meaning: Meaning, origin: str,
        *, unless_known: bool = False,
    ) -> None:  # fmt: skip
        """Record that `key` meant `meaning`; with `unless_known`, only if nothing said so."""
        seen = (id(lookup), key, meaning.org)
        if unless_known and seen in self.seen:
            return
        lookup[key].append(meaning)
        self.seen.add(seen)
        if origin in PEOPLE_ORIGINS:
            self.people[key, meaning.org] = origin
        else:
            self.official.add((key, meaning.org))


def _entries(lookup: dict[str, list[Meaning]], entity: str) -> dict[str, Entry]:
    """Each spelling's meanings, kept as a plain set when it always meant organisations of
    the resolver's kind that have no known start or end (most of a large created registry)."""
    entries: dict[str, Entry] = {}
    for key, meanings in lookup.items():
        plain = all(
            m.start == m.born == EVER and m.end == m.died == NEVER and entity in ("any", m.kind)
            for m in meanings
        )
        entries[key] = (
            frozenset(m.org for m in meanings) if plain else tuple(dict.fromkeys(meanings))
        )
    return entries


def _meanings(entry: Entry | None, entity: str) -> list[Meaning]:
    if not entry:
        return []
    if isinstance(entry, frozenset):
        return [Meaning(org, entity) for org in sorted(entry)]
    return list(entry)


def _successive(db: Database) -> dict[str, dict[str, str]]:
    """Organisations whose codes (aliases that look like codes and have an interval of their
    own) followed one another, with each of those codes."""
    codes: dict[str, dict[str, str]] = defaultdict(dict)
    for alias, code in db.execute(
        "select alias, code from aliases where valid_from is not null or valid_to is not null"
    ):
        if looks_like_code(alias):
            codes[code][fold(alias)] = alias.strip().upper()
    return {org: found for org, found in codes.items() if len(found) > 1}


def _with(found: AbstractSet[str], learned: str | None) -> AbstractSet[str]:
    if learned is None or learned in found:
        return found
    return {learned} if not found else {*found, learned}


def looks_like_code(text: str) -> bool:
    """Whether an alias is a code (E54000041) rather than a name: one word with a digit.
    Codes are matched as written, names after normalisation."""
    return " " not in text.strip() and any(ch.isdigit() for ch in text)


def describe(meanings: Iterable[Meaning], display: dict[str, str]) -> str:
    """'Cumbria and North East (E54000049, stp, from 2018-04-01 to 2022-07-01)', one per
    organisation, for messages that explain why a name resolved to nothing."""
    seen = dict.fromkeys(meanings)
    return "; ".join(
        f"{display.get(m.org, m.org)} ({m.org}, {m.kind}, {m.lifetime()})" for m in seen
    )


def alias_row(alias: str, code: str, origin: str, now: str | None = None) -> dict[str, str | None]:
    """An `aliases` row with its normalised form filled in."""
    return {
        "alias": alias,
        "normalised": org_name(alias),
        "code": code,
        "origin": origin,
        "added_at": now,
    }
