"""Band counts in prose: how many organisations an article says fell in each band.

A count is a number, share or remainder standing before a stated band with only linking words
between ("five STPs were rated outstanding", "twelve of the 44 were classed as advanced",
"just over a third as making progress", "the remainder as making progress"), or a number in
brackets or after a colon just after it ("Outstanding (5)"). "Two of the five rated
outstanding" counts the five; "one of the 44" counts nothing. `combine` turns an article's
counts into one row: figures as stated, a remainder as the whole less the other bands, and a
share as its nearest whole number, unless that would make the bands add up to more than the
whole (a publisher's arithmetic that cannot hold is kept in the note, not in the numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .bands import RATING_WORDS
from .normalise import fold
from .numbers import FRACTIONS, TENS, UNITS, Quantity, quantity_at
from .reading import Reading
from .text import Token, word_set

COLUMNS = ("outstanding", "advanced", "making_progress", "needs_most_improvement")
_LINK = (
    RATING_WORDS
    | frozenset(UNITS)
    | frozenset(TENS)
    | word_set(
        "stps stp areas partnerships footprints plans systems sustainability and transformation "
        "of the all them these those were was are is been have has being be to as in into a "
        "an also now just only received achieved got earned secured there overall england "
        "country nationally across receive receiving achieve achieving earn earning win "
        "winning get getting found"
    )
)
# Nouns that say what is counted: partnerships, or another kind of body (CCGs are rated too).
_STP_BODIES = word_set("stp stps partnership partnerships footprint footprints areas systems")
_OTHER_BODIES = word_set(
    "ccg ccgs groups trusts hospitals practices surgeries councils authorities providers "
    "services alliances organisations"
)
_SUBSET = word_set("has have had having include includes including contains containing")
_LINK_MARKS = frozenset({",", "'", "’", "‘", '"', "“", "”", "%"})
_NOT_A_COUNT = word_set("category band tier level from to between than rated ranked")
_REACH = 10
# Words inside a count or share phrase, read through when looking back from a band.
_QUANTITY_WORDS = frozenset(FRACTIONS) | word_set(
    "a an just over under nearly almost around about roughly more fewer less than per cent "
    "percent in dozen remainder rest remaining other others"
)


@dataclass(frozen=True)
class Counted:
    """One band count an article states, with the words that state it."""

    column: str
    quantity: Quantity
    words: str
    whole: int | None = None  # the whole it was counted out of, when stated ("of the 44")


def last_body(tokens: Sequence[Token]) -> str | None:
    """What the last counted noun of `tokens` names: "stp" (partnerships), "other" (CCGs,
    trusts, ...) or None when there is none."""
    for token in reversed(tokens):
        if token.word in _STP_BODIES:
            return "stp"
        if token.word in _OTHER_BODIES:
            return "other"
    return None


def counts(reading: Reading, whole: int, body: str | None = None) -> list[Counted]:
    """The band counts one sentence states (none from quoted speech or a question). A count
    that names nothing it counts ("21 were rated outstanding") counts what was last named, in
    the sentence or before it (`body`): when that is another kind of body, it is not ours."""
    tokens = reading.tokens
    if reading.sentence.text.rstrip().endswith("?"):
        return []
    slots = {i for slot in reading.slots for i in range(slot.start, slot.end)}
    found = []
    for band in reading.bands:
        column = fold(band.label).replace(" ", "_")
        if column not in COLUMNS:
            continue
        stated = _before(tokens, band.start, slots, whole) or _after(tokens, band.end)
        if stated is None:
            continue
        quantity, stated_whole = stated
        start, end = min(quantity.start, band.start), max(quantity.end, band.end)
        if (last_body(tokens[quantity.end : band.start]) or last_body(tokens[: quantity.start])
                or body) == "other":  # fmt: skip
            continue
        words = reading.sentence.text[tokens[start].start : tokens[end - 1].end]
        found.append(Counted(column, quantity, words, stated_whole))
    return found


def _before(
    tokens: Sequence[Token], band: int, slots: set[int], whole: int
) -> tuple[Quantity, int | None] | None:
    """The quantity counting the band that starts at `band`, read backwards from it; an
    aside between dashes or brackets ("Five STPs - Dorset, ... - were rated") is passed over."""
    if band > 0 and tokens[band - 1].text == "(":
        return None  # "1 (outstanding)": a label, not a count
    aside = _asides(tokens, band)
    nearest: Quantity | None = None
    seen = 0
    for start in range(band - 1, -1, -1):
        if start in aside:
            continue
        seen += 1
        if seen > _REACH or start in slots:
            break  # a name stands between: "Dorset, one of five ..." counts from there
        quantity = quantity_at(tokens, start)
        if (
            quantity is not None
            and quantity.end <= band
            and all(_links(t) for i, t in enumerate(tokens[:band]) if i >= quantity.end
                    and i not in aside)
        ):  # fmt: skip
            nearest = _widest(tokens, quantity)
            break
        if not _links(tokens[start]) and tokens[start].word not in _QUANTITY_WORDS:
            break
    if nearest is None:
        return None
    nearest = _exactly(tokens, nearest)
    counted_noun = nearest.end < len(tokens) and tokens[nearest.end].word in _STP_BODIES
    if nearest.start > 0 and tokens[nearest.start - 1].word in _NOT_A_COUNT and not counted_noun:
        return None  # "category 1 (outstanding)", "from 1 to 4"; not "rated 20 STPs as ..."
    if nearest.start > 0 and tokens[nearest.start - 1].word in _SUBSET:
        return None  # "the North has two outstanding STPs": a part, not the whole
    outer = _outer(tokens, nearest)
    if nearest.count is not None and nearest.count >= whole:
        if outer is None or outer.count == 1:
            return None  # "all 44 were rated", "one of the 44 rated ..."
        return outer, nearest.count
    if outer is not None and nearest.count is not None and outer.count != 1:
        return nearest, None  # "two of the five rated outstanding": five are
    if _is_one_of(tokens, nearest):
        return None
    return nearest, None


def _exactly(tokens: Sequence[Token], found: Quantity) -> Quantity:
    """The figure an approximate share gives in brackets or between dashes just after it
    ("almost half (20)", "nearly a third - 14 -"), else the quantity as found."""
    if found.share is None:
        return found
    position = found.end
    while position < len(tokens) and tokens[position].word in ("of", "stps", "the"):
        position += 1  # "nearly a third of STPs - 14 -"
    aside = [t.text if t.kind == "punct" else t.kind for t in tokens[position : position + 3]]
    if len(aside) == 3 and aside[0] in "(–—-" and aside[1] == "number" and aside[2] in ")–—-":
        return Quantity(found.start, position + 3, count=int(tokens[position + 1].words[0]))
    return found


def _asides(tokens: Sequence[Token], band: int) -> set[int]:
    """Token positions before `band` inside an aside: between a pair of spaced dashes, or in
    brackets (the dashes and brackets included)."""
    inside: set[int] = set()
    opened: int | None = None
    dashes = [i for i in range(band) if tokens[i].text in ("–", "—", "-")]
    for first, second in zip(dashes[::2], dashes[1::2], strict=False):
        inside.update(range(first, second + 1))
    for index in range(band):
        if tokens[index].text == "(":
            opened = index
        elif tokens[index].text == ")" and opened is not None:
            inside.update(range(opened, index + 1))
            opened = None
    return inside


def _widest(tokens: Sequence[Token], found: Quantity) -> Quantity:
    """The quantity with any qualifier before it: "just over a third", not "a third"."""
    for start in range(max(0, found.start - 3), found.start):
        wider = quantity_at(tokens, start)
        if wider is not None and wider.end == found.end:
            return wider
    return found


def _outer(tokens: Sequence[Token], inner: Quantity) -> Quantity | None:
    """The quantity before "of (the)" in "twelve of the 44", if `inner` is the 44."""
    position = inner.start - 1
    if position >= 0 and tokens[position].word == "the":
        position -= 1
    if position < 0 or tokens[position].word != "of":
        return None
    for start in range(position - 1, max(-1, position - 5), -1):
        quantity = quantity_at(tokens, start)
        if quantity is not None and quantity.end == position:
            return quantity
    return None


def _is_one_of(tokens: Sequence[Token], quantity: Quantity) -> bool:
    after = tokens[quantity.end] if quantity.end < len(tokens) else None
    return quantity.count == 1 and after is not None and after.word == "of"


def _after(tokens: Sequence[Token], end: int) -> tuple[Quantity, None] | None:
    """A number just after a band: "Outstanding (5)", "outstanding: five"."""
    if end + 1 < len(tokens) and tokens[end].text in ("(", ":", "–", "-"):
        quantity = quantity_at(tokens, end + 1)
        if quantity is not None and quantity.count is not None:
            closing = tokens[quantity.end] if quantity.end < len(tokens) else None
            if tokens[end].text != "(" or (closing is not None and closing.text == ")"):
                return quantity, None
    return None


def _links(token: Token) -> bool:
    if token.kind == "punct":
        return token.text in _LINK_MARKS
    if token.kind == "number":
        return True
    return all(word in _LINK for word in token.words)


@dataclass(frozen=True)
class BandCounts:
    """An article's counts per column (None where it gives none), and how each was read."""

    values: dict[str, int | None]
    note: str


def combine(found: Sequence[Counted], whole: int) -> BandCounts | None:
    """One row of counts from everything an article counted (see the module docstring)."""
    if not found:
        return None
    stated_whole = next((c.whole for c in found if c.whole), None) or whole
    first: dict[str, Counted] = {}
    for counted in found:
        first.setdefault(counted.column, counted)
    values: dict[str, int | None] = dict.fromkeys(COLUMNS)
    notes = []
    for column, counted in first.items():
        if counted.quantity.count is not None:
            values[column] = counted.quantity.count
    shares = {
        column: counted.quantity.of(stated_whole)
        for column, counted in first.items()
        if counted.quantity.share is not None
    }
    known = sum(v for v in values.values() if v is not None)
    if known + sum(v for v in shares.values() if v is not None) <= stated_whole:
        values.update(shares)
    else:
        for column, value in shares.items():
            notes.append(
                f"{column}: {first[column].words!r} would be {value} of {stated_whole}, "
                "more than the other counts leave; left empty"
            )
    remainder = [c for c, counted in first.items() if counted.quantity.remainder]
    others = [c for c in COLUMNS if c not in remainder]
    if len(remainder) == 1 and all(values[c] is not None for c in others):
        rest = stated_whole - sum(values[c] or 0 for c in others)
        if rest >= 0:
            values[remainder[0]] = rest
    words = "; ".join(f"{c}: {first[c].words!r}" for c in COLUMNS if c in first)
    return BandCounts(values, "; ".join([words, *notes]) + f" (of {stated_whole})")
