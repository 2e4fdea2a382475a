"""Counts and shares as the press writes them: "twelve", "44", "a dozen", "a quarter",
"just over a third", "40%", "45 per cent", "one in five", "the remainder".

`quantity_at` reads one such phrase starting at a token and says what it is: a count, a share of
the whole (with its qualifier, "just over"), or the remainder of the whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .text import Token

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
    "fifths": 5, "sixth": 6, "sixths": 6, "tenth": 10, "tenths": 10,
}  # fmt: skip
_QUALIFIERS = {
    ("just", "over"): "over", ("over",): "over", ("more", "than"): "over",
    ("just", "under"): "under", ("under",): "under", ("fewer", "than"): "under",
    ("less", "than"): "under", ("almost",): "under", ("nearly",): "under",
    ("around",): "about", ("about",): "about", ("roughly",): "about",
    ("approximately",): "about", ("some",): "about",
}  # fmt: skip
_REMAINDER = (("the", "remainder"), ("the", "rest"), ("all", "the", "others"), ("the", "others"))


@dataclass(frozen=True)
class Quantity:
    """A count, share or remainder stated by tokens `start`..`end` of a sentence."""

    start: int
    end: int
    count: int | None = None
    share: float | None = None  # a fraction of the whole
    qualifier: str | None = None  # "over", "under" or "about" for an approximate share
    remainder: bool = False

    def of(self, whole: int) -> int | None:
        """The number of organisations this stands for, out of `whole` (None for a remainder)."""
        if self.count is not None:
            return self.count
        if self.share is None:
            return None
        exact = self.share * whole
        if self.qualifier == "over":
            return math.floor(exact) + 1
        if self.qualifier == "under":
            return math.ceil(exact) - 1
        return round(exact)


def number_word(words: Sequence[str]) -> tuple[int, int] | None:
    """The whole number that `words` open with, and how many words it takes."""
    if not words:
        return None
    first = words[0]
    if first.isdigit():
        return int(first), 1
    parts = first.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and UNITS[parts[1]] < 10:
        return TENS[parts[0]] + UNITS[parts[1]], 1
    if first in TENS:
        if len(words) > 1 and words[1] in UNITS and UNITS[words[1]] < 10:
            return TENS[first] + UNITS[words[1]], 2
        return TENS[first], 1
    if first in UNITS:
        return UNITS[first], 1
    if first == "dozen":
        return 12, 1
    if first == "a" and len(words) > 1 and words[1] == "dozen":
        return 12, 2
    return None


def quantity_at(tokens: Sequence[Token], index: int) -> Quantity | None:
    """The count, share or remainder phrase that starts at `tokens[index]`, if one does."""
    words, owner = _words(tokens, index)
    qualifier, skip = _qualifier(words)
    rest = words[skip:]
    for phrase in _REMAINDER:
        if tuple(rest[: len(phrase)]) == phrase:
            return Quantity(index, owner[skip + len(phrase) - 1] + 1, remainder=True)
    if rest[:2] in (["the", "remaining"], ["the", "other"]):
        found = number_word(rest[2:])
        if found:
            return Quantity(index, owner[skip + 1 + found[1]] + 1, count=found[0])
        return Quantity(index, owner[skip + 1] + 1, remainder=True)
    share = _share(rest)
    if share is not None:
        value, used = share
        return Quantity(index, owner[skip + used - 1] + 1, share=value, qualifier=qualifier)
    found = number_word(rest)
    if found is None or qualifier is not None:
        return None
    value, used = found
    if used == 1 and rest[0] == "a":  # "a" alone is no number
        return None
    return Quantity(index, owner[skip + used - 1] + 1, count=value)


def _words(tokens: Sequence[Token], index: int, limit: int = 8) -> tuple[list[str], list[int]]:
    """Up to `limit` folded words from `index` (with "%" as a word), and each one's token."""
    words: list[str] = []
    owner: list[int] = []
    position = index
    while position < len(tokens) and len(words) < limit:
        token = tokens[position]
        if token.kind == "punct" and token.text != "%":
            break
        if token.text == "%":
            words.append("%")
            owner.append(position)
        elif token.kind == "number":
            words.append(token.words[0])
            owner.append(position)
        else:
            for part in token.text.lower().replace("’", "'").split():
                words.append(part)
                owner.append(position)
        position += 1
    return words, owner


def _qualifier(words: list[str]) -> tuple[str | None, int]:
    for phrase, meaning in _QUALIFIERS.items():
        if tuple(words[: len(phrase)]) == phrase:
            return meaning, len(phrase)
    return None, 0


def _share(words: list[str]) -> tuple[float, int] | None:
    """A share phrase at the start of `words`: its fraction and how many words it takes."""
    if len(words) >= 2 and words[0].replace(".", "", 1).isdigit() and words[1] == "%":
        return float(words[0]) / 100, 2
    if (
        len(words) >= 3
        and words[0].replace(".", "", 1).isdigit()
        and words[1:3]
        == [
            "per",
            "cent",
        ]
    ):
        return float(words[0]) / 100, 3
    if len(words) >= 2 and words[0].isdigit() and words[1] == "percent":
        return float(words[0]) / 100, 2
    if words[:1] == ["half"]:
        return 0.5, 1
    if len(words) >= 3 and words[1] == "in":  # "one in five"
        top, bottom = number_word(words[:1]), number_word(words[2:])
        if top and bottom and bottom[0] > top[0] and bottom[1] == 1:
            return top[0] / bottom[0], 3
    if words and "-" in words[0]:  # "two-thirds"
        top_word, _, fraction = words[0].partition("-")
        top = number_word([top_word])
        if top and fraction in FRACTIONS:
            return top[0] / FRACTIONS[fraction], 1
    if len(words) >= 2 and words[1] in FRACTIONS:
        top = (1, 1) if words[0] in ("a", "an", "one") else number_word(words[:1])
        if top:
            return top[0] / FRACTIONS[words[1]], 2
    return None
