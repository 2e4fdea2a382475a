"""People named in a sentence: two or more capitalised name words, with any title before them
("Sir", "Dr", "Professor") and honours after them ("CBE", ", OBE"), outside organisation names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .mentions import NOT_NAMES, Mention
from .normalise import _HONOURS, _TITLES
from .text import Token, word_set

# Capitalised words that are not part of a person's name in news prose.
_NOT_PERSON = NOT_NAMES - _TITLES | word_set(
    "stp ccg trust hospital council county university health care partnership "
    "transformation sustainability plan plans footprint nhs england improvement "
    "government department commission quality journal chronicle executive news service "
    "however meanwhile elsewhere also separately both last next this that these those its "
    "their his her outstanding advanced making progress needs most red green yellow "
    "orange according under over after before during since until"
)


@dataclass(frozen=True)
class Person:
    """Tokens `start`..`end` of a sentence naming a person, as written."""

    start: int
    end: int
    text: str


def people(tokens: Sequence[Token], text: str, orgs: Sequence[Mention]) -> list[Person]:
    """The people a sentence names, left to right."""
    taken = {i for m in orgs for i in range(m.start, m.end)}
    found: list[Person] = []
    index = 0
    while index < len(tokens):
        person = _person_at(tokens, text, index, taken)
        if person is None:
            index += 1
        else:
            found.append(person)
            index = person.end
    return found


def _is_name_word(token: Token, taken: set[int], index: int) -> bool:
    return (
        index not in taken
        and token.kind == "word"
        and token.capital
        and not token.upper
        and not token.speech
        and token.word not in _NOT_PERSON
        and token.word not in _TITLES
    )


def _person_at(tokens: Sequence[Token], text: str, index: int, taken: set[int]) -> Person | None:
    position = index
    titles = 0
    while position < len(tokens) and tokens[position].word in _TITLES and tokens[position].capital:
        position += 1
        if position < len(tokens) and tokens[position].text == ".":
            position += 1  # "Dr. Smith"
        titles += 1
    names = 0
    while position < len(tokens) and _is_name_word(tokens[position], taken, position):
        position += 1
        names += 1
        if (  # "Sir J. Smith": an initial
            position + 1 < len(tokens)
            and len(tokens[position - 1].text) == 1
            and tokens[position].text == "."
        ):
            position += 1
    if names == 0 or names + min(titles, 1) < 2 or names > 4:
        return None
    end = position
    while True:  # honours, with or without a comma: "Amanda Doyle OBE", "Jane Smith, CBE"
        step = end + 1 if end < len(tokens) and tokens[end].text == "," else end
        if step < len(tokens) and tokens[step].upper and tokens[step].word in _HONOURS:
            end = step + 1
        else:
            break
    return Person(index, end, text[tokens[index].start : tokens[end - 1].end])
