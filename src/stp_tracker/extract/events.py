"""Leadership events in prose: a lead appointed, named, leaving, stepped down or interim, a
leadership changed (and how often), a chair not appointed, a post vacant.

A sentence is read clause by clause. An event needs a role ("STP lead", "independent chair",
"accountable officer") and an organisation in its clause (or, for a clause opening with "it",
"its" or "the partnership", the one organisation the previous sentence named); the person is
the name nearest the verb, titles and honours kept ("Sir Andrew Cash", "Amanda Doyle OBE").
Speech and questions yield nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from .leadership import BACKGROUND, ORDINAL, PATTERNS, ROLE_QUALIFIERS, ROLE_WORD, ROLES, TIMES
from .mentions import Mention
from .normalise import fold
from .people import Person, people
from .ratings import name_lists, relative_clauses
from .reading import Reading
from .text import Token, word_set

_CLAUSE_BREAKS = frozenset({"while", "whereas", "but", "although", "though", "meanwhile"})
_PRONOUNS = ("it", "its", "the stp", "the partnership", "the footprint", "the area", "she", "he")
_BEFORE_FIRST = frozenset({"leaving", "stepped down", "interim"})
# "the STP", "our partnership": the organisation the article is about, anywhere in a clause.
_DEFINITE = frozenset(
    (article, noun)
    for article in ("the", "our", "this")
    for noun in ("stp", "partnership", "footprint")
)


@dataclass(frozen=True)
class Reported:
    """A leadership event a sentence reports about organisation `code`."""

    code: str  # "" when the sentence names no organisation for it
    role: str
    what: str  # "leaving", "changed twice", "appointed (Jane Smith)", ...
    person: str | None
    kind: str  # the event's kind without count or person: "changed", "appointed", ...


def events(reading: Reading, carried: str | None = None) -> list[Reported]:
    """The leadership events one sentence reports; `carried` is the one organisation the
    previous sentence named, for a sentence that refers back to it ("Its lead ...")."""
    tokens = reading.tokens
    text = reading.sentence.text.rstrip()
    if text.endswith("?") or not tokens or all(t.speech for t in tokens):
        return []
    persons = people(tokens, text, reading.orgs)
    found: dict[tuple[str, str, str], Reported] = {}
    for start, end in _clauses(tokens, reading.orgs):
        for reported in _clause_events(reading, persons, start, end, carried):
            found.setdefault((reported.code, reported.role, reported.kind), reported)
    return _reconciled(list(found.values()))


def _clauses(tokens: Sequence[Token], orgs: Sequence[Mention]) -> list[tuple[int, int]]:
    """Token ranges of the sentence's clauses: split at "while", "but" and the like, and at a
    semicolon that does not separate names in a list."""
    starts = {m.start for m in orgs}
    bounds = [0]
    for index, token in enumerate(tokens):
        if token.word in _CLAUSE_BREAKS and index > 0:
            bounds.append(index)
        elif token.text == ";":
            following = index + 1
            while following < len(tokens) and tokens[following].word in ("and", ""):
                following += 1
            if following not in starts:
                bounds.append(index + 1)
    bounds.append(len(tokens))
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def _clause_events(
    reading: Reading, persons: list[Person], start: int, end: int, carried: str | None
) -> list[Reported]:
    tokens = reading.tokens
    if all(t.speech for t in tokens[start:end]):
        return []
    orgs = [m for m in reading.orgs if start <= m.start < end]
    people_here = [p for p in persons if start <= p.start < end]
    shadow, owner = _shadow(tokens, start, end, orgs, people_here)
    roles = _roles(tokens, start, end, orgs, people_here)
    matched: list[tuple[str, int, int, str, str, bool]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(shadow):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append((match.start(), match.end()))
            first, last = owner[match.start()], owner[max(match.start(), match.end() - 1)]
            context = shadow[max(0, match.start() - 24) : match.end() + 16]
            found = _PASSIVE.search(shadow[max(0, match.start() - 24) : match.end()])
            matched.append((kind, first, last + 1, match.group(), context, found is not None))
    reports: list = []
    spans = [(m.start, m.end) for m in orgs] + [(p.start, p.end) for p in people_here]
    semicolons = frozenset(i for i in range(start, end) if tokens[i].text == ";")
    for kind, first, last, words, context, passive in matched:
        if kind == BACKGROUND:
            continue
        role = _role_for(kind, words, roles, first, last, spans, semicolons)
        if role is None:
            continue
        person = _person_for(kind, people_here, first, last)
        passive = passive or _closes(tokens, last, end)
        named_post = _role_after(roles, first, last - first + 4)
        if kind == "appointed" and person is None and not (named_post or passive):
            continue  # "named as one of the best": no post and no one named to it
        posts = [role]
        if person is None and kind in ("appointed", "not appointed", "vacant"):
            posts = _coordinated(tokens, roles, role, first, last)  # "a chair and a lead"
        codes = _orgs_for(tokens, orgs, first, reading.orgs, carried, (start, end))
        what = _what("named" if words.startswith("name") else kind, context, person)
        name = person.text if person else None
        for code in codes or [""]:  # "": no organisation named (the next sentence may list it)
            reports.extend(Reported(code, post, what, name, kind) for post in posts)
    return reports


def _closes(tokens: Sequence[Token], last: int, end: int) -> bool:
    """Whether an event's words end their clause, as a headline's or a table cell's do
    ("Independent chair ... appointed.")."""
    return all(t.kind == "punct" for t in tokens[last:end])


_PASSIVE = re.compile(r"\b(?:been|was|were|is|are|be) (?:\w+ )?(?:appointed|named|confirmed)\W*$")
_JOINING = word_set("and a an the single joint new independent permanent interim")


def _coordinated(
    tokens: Sequence[Token], roles: list[tuple[int, int, str]], role: str, first: int, last: int
) -> list[str]:
    """The posts of roles joined by "and" to the one nearest an event ("an independent chair
    and a single chief officer have been appointed"), nearest first."""
    near = [r for r in roles if r[2] == role]
    if not near:
        return [role]
    nearest = min(near, key=lambda r: min(abs(r[0] - last), abs(r[1] - first)))
    posts = [role]
    for other in sorted(roles):
        low, high = sorted([nearest, other])
        gap = tokens[low[1] : high[0]]
        joined = any(t.word == "and" for t in gap) and all(t.word in _JOINING for t in gap)
        if other is not nearest and joined:
            posts.append(other[2])
    return list(dict.fromkeys(posts))


def _shadow(
    tokens: Sequence[Token], start: int, end: int, orgs: Sequence[Mention],
    persons: Sequence[Person],
) -> tuple[str, list[int]]:  # fmt: skip
    """The clause in lower case with each name as "org" or "person", and for every character
    the token it came from, so a pattern's match maps back to tokens."""
    covers = {i: "org" for m in orgs for i in range(m.start, m.end)}
    covers |= {i: "person" for p in persons for i in range(p.start, p.end)}
    parts: list[str] = []
    owner: list[int] = []
    index = start
    while index < end:
        word = covers.get(index) or tokens[index].text.lower().replace("’", "'")
        while index + 1 < end and covers.get(index + 1) == word and word in ("org", "person"):
            index += 1
        if parts:
            parts.append(" ")
            owner.append(index)
        parts.append(word)
        owner.extend([index] * len(word))
        index += 1
    return "".join(parts), owner


def _roles(
    tokens: Sequence[Token], start: int, end: int, orgs: Sequence[Mention],
    persons: Sequence[Person],
) -> list[tuple[int, int, str]]:  # fmt: skip
    """(start, end, role) of each role word in the clause, outside names."""
    spans: list[Mention | Person] = [*orgs, *persons]
    inside = {i for m in spans for i in range(m.start, m.end)}
    found = []
    index = start
    while index < end:
        for words, role in ROLES:
            stop = index + len(words)
            if (
                stop <= end
                and tuple(t.word for t in tokens[index:stop]) == words
                and not inside.intersection(range(index, stop))
                and not _verb_lead(tokens, stop)
                and _qualified(tokens, index, inside)
            ):
                found.append((index, stop, role))
                index = stop - 1
                break
        index += 1
    return found


def _qualified(tokens: Sequence[Token], index: int, inside: set[int]) -> bool:
    """Whether the word before a role leaves it the partnership's post (not "council leader")."""
    if index == 0 or (index - 1) in inside:
        return True
    before = tokens[index - 1]
    return before.kind != "word" or before.word in ROLE_QUALIFIERS


def _verb_lead(tokens: Sequence[Token], stop: int) -> bool:
    """ "lead to", "leads on": the verb, not the post."""
    return (
        stop < len(tokens)
        and tokens[stop - 1].word.startswith("lead")
        and (tokens[stop].word in ("to", "on", "the way"))
    )


def _role_for(
    kind: str, words: str, roles: list[tuple[int, int, str]], first: int, last: int,
    names: Sequence[tuple[int, int]] = (), semicolons: frozenset[int] = frozenset(),
) -> str | None:  # fmt: skip
    """The role an event concerns: named in its own words, else the nearest role word (a
    name between counting as one word, and one across a semicolon only when there is no
    other; at any distance for "took up the role")."""
    own = [role for a, _, role in roles if first <= a < last]
    if own:
        return own[0]
    if kind in ("changed", "not appointed", "vacant") and re.search(ROLE_WORD, words):
        return "chair" if "chair" in words else "stp_lead"
    if not roles:
        return None

    def distance(role: tuple[int, int, str]) -> tuple[bool, int, int]:
        a, b, _ = role
        low, high = (b, first) if b <= first else (last, a)
        gap = high - low - sum(max(0, min(e, high) - max(s, low) - 1) for s, e in names)
        before_first = kind in _BEFORE_FIRST
        crosses = any(low <= i < high for i in semicolons)
        return (crosses, max(gap, 0), 0 if (b <= first) == before_first else 1)

    best = min(roles, key=distance)
    refers_back = re.search(r"\bthe (?:role|post|position|job)\b", words) is not None
    return best[2] if distance(best)[1] <= 8 or refers_back else None


def _role_after(roles: list[tuple[int, int, str]], start: int, reach: int) -> bool:
    """Whether a role word starts within `reach` tokens from `start`."""
    return any(start <= a <= start + reach for a, _, _ in roles)


def _person_for(kind: str, persons: Sequence[Person], first: int, last: int) -> Person | None:
    if kind not in ("appointed", "leaving", "stepped down", "interim") or not persons:
        return None

    def distance(person: Person) -> int:
        return first - person.end if person.end <= first else person.start - last

    best = min(persons, key=distance)
    return best if distance(best) <= 10 else None


def _orgs_for(
    tokens: Sequence[Token], orgs: Sequence[Mention], at: int, everywhere: Sequence[Mention],
    carried: str | None, clause: tuple[int, int],
) -> list[str]:  # fmt: skip
    """The organisations an event at token `at` concerns: the name a relative clause holding
    it hangs on ("Staffordshire, which failed to appoint a chair"), else the nearest list of
    names in its clause (not across a semicolon, when one on its own side will do), else the
    sentence's only list, else the organisation carried from before, when the clause opens
    with a pronoun or names "the STP" or "the partnership" anywhere."""
    antecedent = _antecedent(tokens, everywhere, at)
    if antecedent is not None:
        return sorted(antecedent.codes) if len(antecedent.codes) == 1 else []
    lists = name_lists(tokens, orgs) or name_lists(tokens, everywhere)
    if len(lists) == 1 or (lists and orgs):

        def distance(names: list[Mention]) -> tuple[bool, int]:
            low, high = sorted((names[0].start, at))
            return any(t.text == ";" for t in tokens[low:high]), min(
                abs(m.start - at) for m in names
            )

        nearest = min(lists, key=distance)
        return sorted({code for m in nearest for code in m.codes if len(m.codes) == 1})
    if not carried or lists:
        return []
    opening = " ".join(t.word for t in tokens[clause[0] : clause[0] + 2])
    words = [t.word for t in tokens[clause[0] : clause[1]]]
    named = any((first, second) in _DEFINITE for first, second in pairwise(words))
    return [carried] if opening.startswith(_PRONOUNS) or named else []


def _antecedent(tokens: Sequence[Token], names: Sequence[Mention], at: int) -> Mention | None:
    """The name just before the relative clause (", which ...") that token `at` is in."""
    for start, end in relative_clauses(tokens):
        if start <= at < end:
            return next((m for m in names if m.end == start), None)
    return None


def _what(kind: str, context: str, person: Person | None) -> str:
    """What a person reading `events` sees: the kind, how often a post changed, and who."""
    what = kind
    if kind == "changed":
        times = _times(context)
        if times and times > 1:
            what = "changed twice" if times == 2 else f"changed {times} times"
    return f"{what} ({person.text})" if person else what


def _times(context: str) -> int | None:
    """How many changes the words before a "changed" event count, if they say."""
    for word, count in TIMES.items():
        if re.search(rf"\b{word} (?:different )?changes\b|\bchanged {word} times\b", context):
            return count
        if re.search(
            rf"\bhad {word} (?:different )?(?:[\w-]+ )?(?:leads|leaders|chairs)\b", context
        ):
            return count - 1
    for word, count in ORDINAL.items():
        if re.search(rf"\b{word}\b", context):
            return count
    return 2 if "twice" in context else None


def _reconciled(found: list[Reported]) -> list[Reported]:
    """One sentence's events made consistent: a post not filled was not filled, and an
    interim appointment is reported as interim."""
    keys = {(r.code, r.role, r.kind) for r in found}
    kept = []
    for reported in found:
        if reported.kind == "appointed" and (reported.code, reported.role, "not appointed") in keys:
            continue
        if reported.kind == "appointed" and (reported.code, reported.role, "interim") in keys:
            continue
        kept.append(reported)
    return kept


def leader_value(person: str) -> str:
    """A person's name as a leader fact's value: as written, spaces tidied."""
    return " ".join(person.split())


__all__ = ["PATTERNS", "Reported", "events", "fold", "leader_value"]
