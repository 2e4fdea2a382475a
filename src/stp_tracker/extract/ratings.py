"""Ratings in prose: which organisations a sentence puts in which band.

Names standing together with only commas, semicolons, dashes and "and" between them form a
list. A list takes a band that follows it when only linking words stand between ("Dorset and
Frimley were both rated outstanding", "Devon, which was judged to be making progress"), or a
band before it when only introducing words do ("The five rated outstanding were: ...",
"Outstanding ratings went to ..."); the nearer wins. Anything else between them (another name,
"not", "could", "last year", "compared with") breaks the link, so a sentence that mentions an
organisation without stating its band yields nothing. An organisation given two bands in one
sentence is ambiguous and yields nothing either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .bands import DOMAINS, RATING_WORDS, BandMention
from .mentions import Mention
from .numbers import TENS, UNITS
from .reading import Reading
from .text import Token, word_set

_LIST_WORDS = frozenset({"and", "the", "plus", "also", "both", "as", "well"})
_LIST_MARKS = frozenset({",", ";", "–", "—", "-", "&", "/"})
_QUOTES = frozenset("'\"‘’“”")
_NUMBERS = frozenset(UNITS) | frozenset(TENS) | {"dozen"}
# Words that may stand between a list and the band after it.
_THEN_BAND = (
    RATING_WORDS
    | _NUMBERS
    | word_set(
        "was were is are been has have had being be to all both each also now currently "
        "overall already as in into the a an its their of with one among amongst within by "
        "nhs england stp stps area areas partnership partnerships footprint footprints plan "
        "plans system systems which who that these those them just only received achieved got "
        "earned secured top bottom highest lowest first came come comes finished ended landed "
        "fell sits sat for example instance too likewise similarly however though meanwhile "
        "again ranked northern southern eastern western london"
    )
)
_THEN_BAND_MARKS = frozenset({",", "(", ")", ":", "–", "-", "|"}) | _QUOTES
# Words that may stand between a band and the list after it.
_BAND_THEN = _NUMBERS | word_set(
    "were are was is include includes included including namely the stp stps area areas "
    "partnership partnerships footprint footprints plans systems rated as in category "
    "band went go to for given awarded rating ratings those these which also being they "
    "alongside along with together joining joined like such last this on week today "
    "yesterday monday tuesday wednesday thursday friday saturday sunday"
)
_BAND_THEN_MARKS = frozenset({":", "–", "-", "(", ")", ","}) | _QUOTES
# Words just before a list that deny or condition what follows.
_NOT_STATED = word_set(
    "not neither nor none no never unlike except besides than if whether unless should "
    "would could might may hopes hoped aims aimed expected expects compared against apart "
    "other instead rather previously formerly"
)
_REACH = 14  # tokens at most between a list and its band
_PAST = word_set("previously formerly earlier ago before once originally initially")
_PAST_AFTER_LAST = word_set("year years time round assessment summer spring autumn winter")


@dataclass(frozen=True)
class Rated:
    """An organisation (or an unresolved name: empty `codes`) put in `label` by a sentence."""

    mention: Mention
    label: str


def name_lists(
    tokens: Sequence[Token], slots: Sequence[Mention], clauses: Sequence[tuple[int, int]] = ()
) -> list[list[Mention]]:
    """The sentence's names grouped into lists (only list separators between neighbours).
    With the sentence's relative `clauses`, items of a list parted by semicolons may each
    carry one ("Staffordshire, which failed to appoint a chair; and Sussex")."""
    lists: list[list[Mention]] = []
    for slot in slots:
        start = lists[-1][-1].end if lists else 0
        between = [
            t for i, t in enumerate(tokens[start : slot.start], start)
            if not any(a <= i < b for a, b in clauses)
        ]  # fmt: skip
        semicolon = len(between) < slot.start - start and any(t.text == ";" for t in between)
        if lists and _joins(between) and (semicolon or len(between) == slot.start - start):
            lists[-1].append(slot)
        else:
            lists.append([slot])
    return lists


def _joins(between: Sequence[Token]) -> bool:
    return bool(between) and all(
        token.text in _LIST_MARKS or token.word in _LIST_WORDS for token in between
    )


def ratings(reading: Reading, referent: Mention | None = None, year: str = "") -> list[Rated]:
    """Every (name, band) pair the sentence states, by the rules in the module docstring;
    `referent` stands for the organisation a sentence opening "The partnership has been
    rated ..." means (see `referent`); a band dated in another year than the article's
    (`year`) is not stated for now."""
    tokens, bands = reading.tokens, reading.bands
    if not bands or reading.sentence.text.rstrip().endswith("?"):
        return []
    if any(t.word == "respectively" for t in tokens):
        return []  # "... were rated A and B respectively": pairs this rule does not untangle
    if _attributed(tokens):
        return []  # "..., the minister said.": someone's claim, reported
    slots = sorted([*reading.slots, *([referent] if referent else [])], key=lambda m: m.start)
    spans = asides(tokens)
    starts = sorted(s.start for s in slots if not any(a <= s.start < b for a, b in spans))
    given: dict[int, tuple[Mention, set[str]]] = {}
    frame = _frame(tokens, bands)
    for names in name_lists(tokens, slots, relative_clauses(tokens, spans)):
        first, last = names[0].start, names[-1].end
        if _not_stated(tokens, first):
            continue
        band = _linked(tokens, bands, starts, first, last, spans)
        inside = any(a <= first < b for a, b in relative_clauses(tokens, spans))
        if band is None and frame is not None and not inside and _in_frame(tokens, frame[1], first):
            band = frame[0]
        if band is None or _in_the_past(tokens, band.end, year):
            continue
        for mention in names:
            given.setdefault(mention.start, (mention, set()))[1].add(band.label)
    return [
        Rated(mention, next(iter(labels))) for mention, labels in given.values() if len(labels) == 1
    ]


def _linked(
    tokens: Sequence[Token], bands: Sequence[BandMention], starts: list[int], first: int,
    last: int, spans: list[tuple[int, int]],
) -> BandMention | None:  # fmt: skip
    """The band a list from `first` to `last` is linked to, if any (nearer one first, but a
    band whose colon introduces the list before any other). Asides
    between them are passed over; a list inside a relative clause ("..., which borders
    Devon, ...") is linked to nothing outside it."""
    within = next(((a, b) for a, b in relative_clauses(tokens, spans) if a <= first < b), None)
    after = next((b for b in bands if b.start >= last), None)
    if within is not None and after is not None and after.start >= within[1]:
        after = None  # "Dorset, which borders Devon, was rated ...": Devon is not rated
    options: list[tuple[int, int, BandMention]] = []
    if after is not None and not any(last <= s < after.start for s in starts):
        gap = _outside(tokens, last, after.start, spans)
        if len(gap) <= _REACH and all(_fits(t, _THEN_BAND, _THEN_BAND_MARKS) for t in gap):
            options.append((len(gap), 0, after))
    for before in [b for b in reversed(bands) if b.end <= first]:
        if any(before.end <= s < first for s in starts):
            break  # another name stands between
        gap = _outside(tokens, before.end, first, spans)
        if len(gap) <= _REACH and all(_fits(t, _BAND_THEN, _BAND_THEN_MARKS) for t in gap):
            introduced = any(t.text == ":" for t in gap)  # "Category 1 (outstanding): ..."
            options.append((-1 if introduced else len(gap), 1, before))
            break  # the nearest band before that reaches the list ("outstanding (green): ...")
    return min(options, key=lambda option: option[:2])[2] if options else None


_RELATIVE = word_set("which who whose where")
_FRAMES = word_set("of among amongst")
_CONTRAST = word_set(
    "unlike compared contrast except whereas but not outside beyond other none no neither nor"
)


def _frame(tokens: Sequence[Token], bands: Sequence[BandMention]) -> tuple[BandMention, int] | None:
    """The band a sentence opens by naming a group of ("Of the 14 rated as making progress,
    ...", "Among the five outstanding STPs, ..."), and where that opening ends (its comma):
    only when no other band and nothing contrasting follows, so every name after it is one
    of the group."""
    if len(tokens) < 3 or tokens[0].word not in _FRAMES or tokens[1].word not in ("the", "those"):
        return None
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    inside = [b for b in bands if comma is not None and b.end <= comma]
    if comma is None or len(inside) != 1:
        return None
    (band,) = inside
    words = [*tokens[2 : band.start], *tokens[band.end : comma]]
    if any(other.label != band.label for other in bands):
        return None  # another band in the sentence: its names may be in that one
    if any(t.word in _CONTRAST for t in tokens[comma:]):
        return None  # "..., Dorset, by contrast, ...": not all the names are in the group
    if all(_fits(t, _THEN_BAND, frozenset()) for t in words):
        return band, comma
    return None


def _in_frame(tokens: Sequence[Token], comma: int, first: int) -> bool:
    """Whether a list stands after a group's opening (`comma` ends it)."""
    return first > comma


def asides(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token spans of asides: in brackets, between spaced dashes, or a relative clause from
    ", which" (or who, whose, where) to the next comma (with it), semicolon or the end."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    dash: int | None = None
    for index, token in enumerate(tokens):
        if token.text == "(":
            opened = index
        elif token.text == ")" and opened is not None:
            spans.append((opened, index + 1))
            opened = None
        elif token.text in ("–", "—"):
            if dash is not None:
                spans.append((dash, index + 1))
            dash = None if dash is not None else index
        elif token.text == "," and index + 1 < len(tokens) and tokens[index + 1].word in _RELATIVE:
            close = next(
                (i for i in range(index + 2, len(tokens)) if tokens[i].text in (",", ";")),
                len(tokens),
            )
            spans.append((index, close + (tokens[close].text == "," if close < len(tokens) else 0)))
    return spans


def relative_clauses(
    tokens: Sequence[Token], spans: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The asides that are relative clauses (", which ...")."""
    return [
        (a, b) for a, b in (asides(tokens) if spans is None else spans) if tokens[a].text == ","
    ]


def _outside(
    tokens: Sequence[Token], start: int, end: int, spans: list[tuple[int, int]]
) -> list[Token]:
    """The tokens from `start` to `end` that are in no aside lying wholly between them."""
    inner = [(a, b) for a, b in spans if start <= a and b <= end]
    return [
        t for i, t in enumerate(tokens[start:end], start) if not any(a <= i < b for a, b in inner)
    ]


_ANAPHORS = (
    ("the", "partnership"), ("the", "stp"), ("the", "footprint"), ("our", "partnership"),
    ("our", "stp"), ("this", "partnership"), ("it",), ("we",),
)  # fmt: skip
_OWN = ("our", "we")  # these mean the publisher's own organisation, when it is one
_AUXILIARIES = word_set("was is has had were are have")


def referent(reading: Reading, carried: str | None, own: str | None) -> Mention | None:
    """The organisation a sentence opening "The partnership has been rated ...", "It was
    judged ..." or "We were rated ..." means: the one the sentence before named, or for "we"
    and "our" the publisher's own. Only as the subject of a verb such as "has" or "was", and
    only when the sentence names no organisation itself."""
    tokens = reading.tokens
    if reading.slots or not tokens:
        return None
    start = 0
    comma = next((i for i, t in enumerate(tokens[:5]) if t.text == ","), None)
    if comma is not None and all(t.kind == "word" for t in tokens[:comma]):
        start = comma + 1  # "Today, the partnership has been rated ..."
    words = tuple(t.word for t in tokens[start : start + 2])
    anaphor = next((a for a in _ANAPHORS if words[: len(a)] == a), None)
    if anaphor is None:
        return None
    end = start + len(anaphor)
    code = own if anaphor[0] in _OWN and own else carried
    if code is None or end >= len(tokens) or tokens[end].word not in _AUXILIARIES:
        return None
    text = reading.sentence.text[tokens[start].start : tokens[end - 1].end]
    return Mention(start, end, frozenset({code}), text, "referent")


_FOLLOW_ON = (
    ("they", "are"), ("these", "are"), ("those", "are"), ("they", "were"), ("these", "were"),
    ("those", "were"), ("they", "include"), ("these", "include"), ("they", "included"),
    ("these", "included"), ("namely",), ("they", "re"),
)  # fmt: skip


def follow_on(reading: Reading) -> list[Mention]:
    """The names of a sentence that only lists what the one before described ("Five were rated
    outstanding. They are Dorset, ..."): its first list, when the sentence opens so."""
    words = [t.word for t in reading.tokens[:3] if t.kind == "word"]
    opening = next((o for o in _FOLLOW_ON if tuple(words[: len(o)]) == o), None)
    if opening is None:
        return []
    lists = name_lists(reading.tokens, reading.slots)
    if not lists:
        return []
    between = reading.tokens[: lists[0][0].start]
    if sum(t.kind == "word" for t in between) > len(opening) + 1:
        return []
    return lists[0]


def _fits(token: Token, words: frozenset[str], marks: frozenset[str]) -> bool:
    if token.kind == "number":
        return True
    if token.kind == "punct":
        return token.text in marks
    return all(word in words for word in token.words)


def _in_the_past(tokens: Sequence[Token], end: int, year: str) -> bool:
    """Whether words just after a band put it in the past ("rated outstanding last year",
    "rated advanced in 2016" in a 2017 article)."""
    after = tokens[end : end + 5]
    for index, token in enumerate(after[:4]):
        if token.text in (".", ";", ":"):
            return False
        if token.word in _PAST:
            return True
        if token.kind == "number" and len(token.text) == 4 and token.text != year:
            return index > 0 and after[index - 1].word in ("in", "during", "for", "since")
        following = after[index + 1] if index + 1 < len(after) else None
        if token.word == "last" and following is not None and following.word in _PAST_AFTER_LAST:
            return True  # "rated outstanding last year", not "in last week's dashboard"
    return False


_SAYING = word_set("said says claimed claims argued argues insisted insists added suggested")
_SPEAKERS = word_set(
    "he she they minister ministers spokesman spokeswoman spokesperson chief executive director "
    "official officials source sources leader leaders campaigner campaigners critics mp mps"
)


def _attributed(tokens: Sequence[Token]) -> bool:
    """Whether the sentence ends by giving it to a person (", the minister said."): what a
    person claims is not what the article states."""
    comma = max((i for i, t in enumerate(tokens) if t.text == ","), default=None)
    if comma is None:
        return False
    tail = [t.word for t in tokens[comma + 1 :] if t.kind == "word"]
    verb = next((i for i, w in enumerate(tail) if w in _SAYING), None)
    return verb is not None and len(tail) <= 8 and any(w in _SPEAKERS for w in tail[: verb + 2])


def _not_stated(tokens: Sequence[Token], first: int) -> bool:
    """Whether a word just before the list denies or conditions it ("neither", "unlike"), or
    makes it one domain of the list ("the leadership of Somerset")."""
    if first >= 2 and tokens[first - 1].word == "of" and tokens[first - 2].word in DOMAINS:
        return True
    for position in range(first - 1, max(-1, first - 4), -1):
        token = tokens[position]
        if token.text in (".", ";", ":", ","):
            return False
        if token.word in _NOT_STATED:
            return True
    return False
