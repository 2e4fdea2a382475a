"""Find the organisations a sentence names, by the registry's names, aliases and initials.

Names are matched greedily, longest first, over the sentence's words with commas, "&" and "the"
read as the registry's normalised names read them, so "Northumberland, Tyne and Wear and North
Durham" is one organisation and "Dorset, Frimley and Devon" three; a list is never split on its
commas first. A name that runs on into a longer proper noun ("Dorset County Hospital", "Royal
Devon") is an institution, not the partnership. Capitalised runs no name matches are tried by
fuzzy matching (a misspelling), and otherwise kept as unresolved, for the caller to report.

The resolver is reached only through the functions at the top (`known_names`, `fuzzy`,
`closest`, `population`), so a time-aware resolver can be put behind them in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from ..resolve.resolver import Candidate, Resolver
from .text import Token, word_set

# -- the narrow interface to the resolver ---------------------------------------------------


def known_names(resolver: Resolver, on: str) -> dict[str, AbstractSet[str]]:
    """Every normalised name or alias and the organisations it names (on the date `on`)."""
    return resolver.spellings(on)


def fuzzy(resolver: Resolver, text: str, on: str) -> Candidate | None:
    """The one organisation a misspelt name clearly means (on `on`), if any."""
    return resolver.fuzzy_match(text, on=on)


def closest(resolver: Resolver, text: str, on: str) -> tuple[Candidate, ...]:
    """The closest known organisations to an unresolved name, for the person reviewing it."""
    return tuple(resolver.candidates(text, on=on))


def population(resolver: Resolver, on: str) -> int:
    """How many organisations of the source's kind there were on `on` (the whole of a count)."""
    return len(resolver.existing(on))


# -- matching --------------------------------------------------------------------------------

_SUFFIXES = (
    ("sustainability", "and", "transformation", "partnership"),
    ("sustainability", "and", "transformation", "plan"),
    ("health", "and", "care", "partnership"),
    ("health", "and", "social", "care", "partnership"),
    ("integrated", "care", "system"),
    ("health", "and", "care", "system"),
    ("and", "care", "system"),
    ("and", "care", "partnership"),
    ("and", "care", "stp"),
    ("and", "care"),  # "Frimley Health and Care"
    ("stp",),
    ("stps",),
    ("ics",),
    ("footprint",),
    ("partnership",),
    ("area",),
)
# Words that, following a name, make it the name of another body ("Dorset County Hospital").
_INSTITUTIONS = word_set(
    "county council councils hospital hospitals trust trusts foundation ccg ccgs clinical "
    "commissioning healthcare university police fire ambulance community mental teaching "
    "acute city district borough nhs health local primary care partnerships"
)
# Capitalised words that may stand before a name without being part of another proper noun.
_LEAD_INS = word_set(
    "in and for of at by from with while but meanwhile elsewhere both neither nhs the "
    "however also including as across like unlike only so take consider see look even "
    "despite after before since under among amongst within outside beyond where when whereas "
    "although though now then today yesterday separately instead besides"
)
# Words that, before a name, make another place or body of it even at the start of a
# sentence ("North Somerset", "Royal Devon", "Greater Lincolnshire"); any other capitalised
# first word is capitalised only because it opens the sentence.
_PLACE_WORDS = word_set(
    "north south east west northern southern eastern western mid central greater royal "
    "upper lower new great little old st saint inner outer county city"
)
# Capitalised words that are never part of an organisation's name in running text.
NOT_NAMES = word_set(
    "nhs england stp stps ccg ccgs ics icb the a an it its he she they this these those "
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december sir dame dr professor "
    "prof mr mrs ms cllr lord lady baroness chief executive chair officer lead leader "
    "director independent interim acting"
)
_SMALL = frozenset({"and", "of", "the", "on", "upon", "in"})
_DIRECTIONS = word_set("north south east west mid central the")
_STP_WORDS = word_set("stp stps footprint sustainability")
_COMMON_ACRONYMS = word_set(
    "nhs stp ccg ics icb cqc lgc hsj gp cqc ceo nhse nhsi dh dhsc phe bma rcn csu pfi ft "
    "aco acs mcp pacs sro cip lga kpi"
)


@dataclass(frozen=True)
class Mention:
    """Tokens `start`..`end` (exclusive) of a sentence naming organisation(s) `codes`.

    `how` is "name" (a registry name or alias), "initials", "fuzzy", or "unresolved" (a
    capitalised run in a name's place that matches no organisation; `codes` is empty).
    """

    start: int
    end: int
    codes: frozenset[str]
    text: str
    how: str = "name"


@dataclass
class Gazetteer:
    """Every way the registry names an organisation, as word sequences to match in text."""

    names: dict[str, frozenset[str]]
    acronyms: dict[str, frozenset[str]]  # matched only when written in capitals
    prefixes: set[str] = field(default_factory=set)
    longest: int = 1
    # Names of three or more words without their "and"s ("Shropshire, Telford and Wrekin" for
    # "Shropshire and Telford and Wrekin"), each mapped to the name it stands for.
    loose: dict[str, str] = field(default_factory=dict)
    loose_prefixes: set[str] = field(default_factory=set)
    # The first word or two of one organisation's names, read as it only before "STP" ("the
    # Cornwall STP", "the Sussex STP").
    heads: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, resolver: Resolver, on: str) -> Gazetteer:
        """The gazetteer of the organisations the resolver knows on `on`."""
        names: dict[str, frozenset[str]] = {}
        acronyms: dict[str, frozenset[str]] = {}
        for name, codes in known_names(resolver, on).items():
            if not name or not codes:
                continue
            target = acronyms if (" " not in name and len(name) <= 4) else names
            target[name] = frozenset(codes)
        initials: dict[str, set[str]] = {}
        for name, codes in names.items():
            words = [w for w in name.split() if w not in _SMALL]
            if len(words) >= 3 and len(codes) == 1:
                initials.setdefault("".join(w[0] for w in words), set()).update(codes)
        for letters, codes in initials.items():
            if len(codes) == 1 and letters not in _COMMON_ACRONYMS and letters not in names:
                acronyms.setdefault(letters, frozenset(codes))
        gazetteer = cls(names, acronyms)
        loose: dict[str, set[str]] = {}
        for name in names:
            words = name.split()
            gazetteer.longest = max(gazetteer.longest, len(words))
            for end in range(1, len(words)):
                gazetteer.prefixes.add(" ".join(words[:end]))
            bare = _without_and(words)
            if bare.count(" ") >= 2:
                loose.setdefault(bare, set()).add(name)
        gazetteer.heads = _heads(names)
        for bare, spelt in loose.items():
            if len({names[name] for name in spelt}) == 1:
                gazetteer.loose[bare] = min(spelt)
                words = bare.split()
                gazetteer.loose_prefixes.update(
                    " ".join(words[:end]) for end in range(1, len(words))
                )
        return gazetteer

    def find(self, tokens: Sequence[Token], text: str) -> list[Mention]:
        """The organisations named in a sentence, longest match first, left to right."""
        found: list[Mention] = []
        index = 0
        while index < len(tokens):
            mention = self._match_at(tokens, index, text)
            if mention is None:
                index += 1
                continue
            if mention.end + 1 < len(tokens) and tokens[mention.end].text == "(":
                inner = self._match_at(tokens, mention.end + 1, text)
                mention = _with_aside(mention, inner, tokens, text)
            found.append(mention)
            index = mention.end
        return found

    def _match_at(self, tokens: Sequence[Token], index: int, text: str) -> Mention | None:
        token = tokens[index]
        if token.kind != "word" or not token.capital:
            return None
        if token.upper and token.word.replace(" ", "") in self.acronyms:
            end = _after_suffixes(tokens, index + 1)
            codes = self.acronyms[token.word.replace(" ", "")]
            return _checked(tokens, index, end, codes, text, "initials")
        best: tuple[int, str] | None = None
        words: list[str] = []
        position = index
        while position < len(tokens) and len(words) <= self.longest:
            current = tokens[position]
            before = len(words)
            if current.kind == "word":
                words.extend(w for w in current.words if w != "the")
            elif current.text == "&":
                words.append("and")
            elif current.text != ",":
                break
            key = " ".join(words)
            if current.kind == "word" and len(words) > before:
                if key in self.names:
                    best = (position + 1, key)
                elif words[-1] != "and" and _without_and(words) in self.loose:
                    best = (position + 1, self.loose[_without_and(words)])
            if (
                key
                and key not in self.prefixes
                and key not in self.names
                and _without_and(words) not in self.loose_prefixes
            ):
                break
            position += 1
        if best is None:
            return self._by_head(tokens, index, text)
        end, key = best
        return _checked(tokens, index, _after_suffixes(tokens, end), self.names[key], text, "name")

    def _by_head(self, tokens: Sequence[Token], index: int, text: str) -> Mention | None:
        """A name's first word or two followed by "STP" ("the Cornwall STP"), when they begin
        the names of one organisation only."""
        for size in (2, 1):
            head = tokens[index : index + size]
            if len(head) < size or not all(t.kind == "word" and t.capital for t in head):
                continue
            codes = self.heads.get(" ".join(t.word for t in head))
            following = tokens[index + size] if index + size < len(tokens) else None
            if codes and following is not None and following.word in _STP_WORDS:
                end = _after_suffixes(tokens, index + size)
                return _checked(tokens, index, end, codes, text, "name")
        return None


def _heads(names: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """The first word or two of names, where they begin one organisation's names only and
    are not a direction ("North ...") or a whole name themselves."""
    heads: dict[str, set[str]] = {}
    for name, codes in names.items():
        words = name.split()
        for size in (1, 2):
            if len(words) > size and words[0] not in _DIRECTIONS and words[size - 1] not in _SMALL:
                heads.setdefault(" ".join(words[:size]), set()).update(codes)
    return {h: frozenset(c) for h, c in heads.items() if len(c) == 1 and h not in names}


def _with_aside(
    mention: Mention, inner: Mention | None, tokens: Sequence[Token], text: str
) -> Mention:
    """The mention stretched over a bracketed other name of the same organisation just after
    it ("Bristol, North Somerset and South Gloucestershire (BNSSG)"), so a list stays a list."""
    if (
        inner is None
        or inner.codes != mention.codes
        or inner.end >= len(tokens)
        or tokens[inner.end].text != ")"
    ):
        return mention
    last = tokens[inner.end]
    return Mention(mention.start, inner.end + 1, mention.codes,
                   text[tokens[mention.start].start : last.end], mention.how)  # fmt: skip


def _without_and(words: Sequence[str] | str) -> str:
    words = words.split() if isinstance(words, str) else words
    return " ".join(w for w in words if w != "and")


def _after_suffixes(tokens: Sequence[Token], end: int) -> int:
    """`end` moved past a suffix such as "STP" or "Health and Care Partnership"."""
    for suffix in _SUFFIXES:
        words: list[str] = []
        position = end
        while position < len(tokens) and len(words) < len(suffix):
            if tokens[position].kind != "word" and tokens[position].text != "&":
                break
            words.extend(tokens[position].words or ("and",))
            position += 1
        if tuple(words) == suffix:
            return position
    return end


def _checked(
    tokens: Sequence[Token], start: int, end: int, codes: frozenset[str], text: str, how: str
) -> Mention | None:
    """The mention, unless the name runs into a longer proper noun on either side."""
    if end < len(tokens):
        following = tokens[end]
        if following.kind == "word" and following.capital and following.word in _INSTITUTIONS:
            return None
    if start > 0:
        before = tokens[start - 1]
        opening = start == 1 and before.word not in _PLACE_WORDS  # "Neighbouring Dorset ..."
        proper = before.kind == "word" and before.capital and before.word not in _LEAD_INS
        if proper and not opening:
            return None  # "Royal Devon", "South Somerset"
    return Mention(start, end, codes, text[tokens[start].start : tokens[end - 1].end], how)


def capital_runs(tokens: Sequence[Token], taken: set[int]) -> list[tuple[int, int]]:
    """Runs of capitalised words (with inner "and", "of", "the", "&") not already taken:
    the places a misspelt or unknown name may stand. Each run ends at any other punctuation."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if index in taken or token.kind != "word" or not token.capital or token.upper:
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and end not in taken:
            current = tokens[end]
            if (
                current.kind == "word" and (current.capital or current.word in _SMALL)
            ) or current.text == "&":
                end += 1
            else:
                break
        while end > index and tokens[end - 1].word in _SMALL | {""}:
            end -= 1
        runs.append((index, end))
        index = max(end, index + 1)
    return runs
