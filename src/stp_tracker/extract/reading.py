"""One sentence read for the news rules: the organisations it names (exactly, by initials or
by a near spelling), the places where an unknown name stands, and the bands it states."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Scale
from ..resolve.resolver import Resolver
from .bands import RATING_WORDS, BandMention, find_bands, lexicon
from .mentions import NOT_NAMES, Gazetteer, Mention, capital_runs, fuzzy
from .numbers import TENS, UNITS
from .text import Sentence, Token, word_set

# Capitalised words that never begin or make up an unknown organisation's name.
_NEVER_NAMES = (
    NOT_NAMES
    | RATING_WORDS
    | set(UNITS)
    | set(TENS)
    | word_set(
        "those these there their they we our it its in of on at for by with as and but or "
        "while if when where which who what how all both each every some most many several "
        "other another one meanwhile however also separately elsewhere last next this that "
        "first second third new former overall only just nearly almost over under around "
        "about according said says dashboard progress improvement plans plan health care "
        "government department minister ministers secretary treasury parliament westminster "
        "north south east west london region regions regional england's"
    )
)


_PERSON_BEFORE = word_set(
    "by said says lead leader chair chairman chief executive officer director sir dame dr "
    "professor prof mr mrs ms cllr lord lady baroness"
)


@dataclass
class Reading:
    """A sentence with what the rules need: `orgs` resolved, `slots` (orgs and unresolved
    names, in order) and `bands` stated as ratings."""

    sentence: Sentence
    orgs: list[Mention]
    slots: list[Mention]
    bands: list[BandMention] = field(default_factory=list)

    @property
    def tokens(self) -> tuple[Token, ...]:
        """The sentence's tokens."""
        return self.sentence.tokens


def read_sentence(
    sentence: Sentence,
    gazetteer: Gazetteer,
    resolver: Resolver,
    scale: Scale | None,
    on: str,
    *,
    look_closer: bool,
) -> Reading:
    """Read one sentence; with `look_closer` (it states a band or an event), capitalised runs
    no name matched are tried as near spellings, and kept as unresolved slots otherwise."""
    tokens = sentence.tokens
    text = sentence.text
    orgs = [m for m in gazetteer.find(tokens, text) if not tokens[m.start].speech]
    bands = [b for b in find_bands(tokens, scale) if _not_speech(tokens, b)] if scale else []
    slots = list(orgs)
    if look_closer:
        taken = {i for m in orgs for i in range(m.start, m.end)}
        taken |= {i for b in bands for i in range(b.start, b.end)}
        band_words = {w for words, _ in lexicon(scale) for w in words} if scale else set()
        for start, end in _groups(tokens, capital_runs(tokens, taken)):
            slots.extend(_near_spellings(tokens, text, start, end, resolver, on, band_words))
        slots.sort(key=lambda m: m.start)
    resolved = [m for m in slots if m.codes]
    return Reading(sentence, resolved, slots, bands)


_QUOTE_MARKS = frozenset("'\"‘’“”")


def _not_speech(tokens: tuple[Token, ...], band: BandMention) -> bool:
    """Whether a band is the article's own words: outside quoted speech, or quoted alone as
    a term ("judged to be 'in need of most improvement'")."""
    if not tokens[band.start].speech:
        return True
    before = tokens[band.start - 1] if band.start > 0 else None
    after = tokens[band.end] if band.end < len(tokens) else None
    return (
        before is not None
        and after is not None
        and before.text in _QUOTE_MARKS
        and after.text in _QUOTE_MARKS
    )


def _groups(tokens: tuple[Token, ...], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs joined where only a comma stands between them ("Luton, Bedfordshire and ...")."""
    groups: list[tuple[int, int]] = []
    for start, end in runs:
        if groups and start == groups[-1][1] + 1 and tokens[groups[-1][1]].text == ",":
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    return groups


def _near_spellings(
    tokens: tuple[Token, ...], text: str, start: int, end: int, resolver: Resolver, on: str,
    band_words: set[str],
) -> list[Mention]:  # fmt: skip
    """The organisations a comma-joined group of capitalised runs names by near spellings
    (longest pieces first), and the pieces left over as unresolved slots."""
    pieces = _pieces(tokens, start, end)
    found: list[Mention] = []
    used = [False] * len(pieces)
    for size in range(len(pieces), 0, -1):
        for first in range(len(pieces) - size + 1):
            if any(used[first : first + size]):
                continue
            a, b = pieces[first][0], pieces[first + size - 1][1]
            span = text[tokens[a].start : tokens[b - 1].end]
            match = fuzzy(resolver, span, on)
            if match is not None:
                found.append(Mention(a, b, frozenset({match.code}), span, "fuzzy"))
                used[first : first + size] = [True] * size
    for a, b in _unused(tokens, pieces, used):
        words = [w for t in tokens[a:b] if t.capital for w in t.words]
        if not words or any(w in _NEVER_NAMES or w in band_words for w in words):
            continue
        if tokens[a].speech or (a == 0 and b - a == 1):
            continue  # a capitalised first word is usually just a first word
        if a > 0 and tokens[a - 1].word in _PERSON_BEFORE:
            continue  # "led by Jane Smith", "chair Jane Smith": a person, not a place
        span = text[tokens[a].start : tokens[b - 1].end]
        found.append(Mention(a, b, frozenset(), span, "unresolved"))
    return found


def _unused(
    tokens: tuple[Token, ...], pieces: list[tuple[int, int]], used: list[bool]
) -> list[tuple[int, int]]:
    """The pieces no near spelling took, rejoined where only "and" parted them: "Wessex and
    Solent" is one unknown name, "Wessex, Solent" two."""
    joined: list[tuple[int, int]] = []
    for (a, b), was_used in zip(pieces, used, strict=True):
        if was_used:
            continue
        if joined and all(t.word == "and" or t.text == "&" for t in tokens[joined[-1][1] : a]):
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return joined


def _pieces(tokens: tuple[Token, ...], start: int, end: int) -> list[tuple[int, int]]:
    """A group split at its commas and at "and"/"&": the items a list of names may have."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for index in range(start, end):
        if tokens[index].text in (",", "&") or tokens[index].word == "and":
            if index > piece_start:
                pieces.append((piece_start, index))
            piece_start = index + 1
    if end > piece_start:
        pieces.append((piece_start, end))
    return pieces
