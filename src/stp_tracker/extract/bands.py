"""Find the bands of a rating scale that a sentence states, and only those it states as ratings.

Every label and synonym of the source's scale is a band phrase ("needs most improvement",
"Category 4", "red"), with the press's positional words ("the top category", "the bottom
band"). Plain words such as "outstanding", "advanced" or "making progress" are everyday English,
so a phrase counts only with a cue that it is a rating: a rating word before it ("rated",
"judged", "placed in", "category"), quotation marks or brackets around it, a heading with a
colon after it, or "rating"/"category" after it; a one-word band followed by a noun is an
adjective ("advanced plans", "outstanding issues") and never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ..config import Scale
from .memo import scale_key
from .normalise import fold
from .numbers import TENS, UNITS
from .text import Token, tokenize, word_set

RATING_WORDS = word_set(
    "rated rating ratings rate rates judged judge assessed classed classified categorised "
    "categorized graded grade deemed ranked placed put given awarded scored marked "
    "labelled labeled category categories band bands banding banded dashboard coloured "
    "colored shaded regarded considered listed named flagged"
)
_AFTER_OK = word_set(
    "and or by in on for with while but whereas after from under at to as were was are is "
    "rating ratings category band overall status this last since when despite though "
    "although because according last year"
)
_ADVERBS = word_set("most more less least very an a highly far increasingly so too quite")
_POSITIONS = {
    ("top",): -1,
    ("highest",): -1,
    ("best",): -1,
    ("bottom",): 0,
    ("lowest",): 0,
    ("worst",): 0,
}
_POSITION_NOUNS = ("category", "band", "rating", "grade", "tier")
_NUMBER_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five"}
_SERIES = word_set(
    "and as with while were are was the remaining remainder rest other a further another "
    "stps areas partnerships one two three four five six seven eight nine ten eleven "
    "twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty "
    "forty per cent percent dozen half quarter third others rest remainder"
)
_GROUPS = frozenset({"stps", "stp", "areas", "partnerships", "footprints", "systems"})
_SERIES_NUMBERS = _SERIES - {"and", "as", "with", "while", "were", "are", "was", "the", "a"}
_COLOURS = word_set("green yellow amber orange red")
_PHRASE_ENDS = frozenset({",", ".", ";", ":", ")", "–", "—", "-"})
_CLAUSE_WORDS = word_set("and or while whereas but with")
_COUNT_GAP = _GROUPS | word_set("are were is was have been as")
_LISTING = word_set("include includes included including are were")
_NEGATIONS = word_set("not never nt n't")
_HEADING_WORDS = word_set("category band rated as the top bottom stps partnerships in and rating")
_INSPECTORS = word_set(
    "cqc care quality commission inspectors inspectorate regulator regulators ofsted"
)
# The dashboard's domains and measures: a band "for leadership" is not the overall rating.
DOMAINS = word_set(
    "leadership finance finances financial performance quality engagement transformation "
    "cancer mental urgent emergency a&e waiting workforce digital access domain domains "
    "indicator indicators measure measures"
)
_COPULAS = word_set("was were is are be been")
_QUALIFYING = word_set("all both also now still each")


@dataclass(frozen=True)
class BandMention:
    """Tokens `start`..`end` of a sentence stating the band `label` of the scale."""

    start: int
    end: int
    label: str


_LEXICONS: dict[object, tuple[tuple[tuple[str, ...], str], ...]] = {}


def lexicon(scale: Scale) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every phrase naming a band of `scale`, as folded words, longest first."""
    key = scale_key(scale)
    if key not in _LEXICONS:
        _LEXICONS[key] = _phrases(scale)
    return _LEXICONS[key]


def _phrases(scale: Scale) -> tuple[tuple[tuple[str, ...], str], ...]:
    phrases: dict[tuple[str, ...], str] = {}
    for label in scale.labels:
        phrases[tuple(fold(label).split())] = label
    for synonym, label in scale.synonyms.items():
        words = tuple(fold(synonym).split())
        if all(word.isdigit() for word in words):
            continue  # a bare "4" in prose is a number, not a band
        phrases[words] = label
        if len(words) == 2 and words[1] in _NUMBER_WORDS:
            phrases[(words[0], _NUMBER_WORDS[words[1]])] = label
    size = _NUMBER_WORDS.get(str(len(scale.labels)), str(len(scale.labels)))
    for position, index in _POSITIONS.items():
        for noun in _POSITION_NOUNS:
            phrases[(*position, noun)] = scale.labels[index]
            for plural in (f"{noun}s", "categories"):  # "the lowest of the four ratings"
                phrases[(*position, "of", "the", plural)] = scale.labels[index]
                phrases[(*position, "of", "the", size, plural)] = scale.labels[index]
    return tuple(sorted(phrases.items(), key=lambda item: -len(item[0])))


def _phrases_in(tokens: Sequence[Token], scale: Scale) -> list[tuple[BandMention, tuple[str, ...]]]:
    """Every band phrase of a sentence, stated as a rating or not, with its words."""
    phrases = []
    index = 0
    while index < len(tokens):
        match = _match(tokens, index, scale)
        if match is None:
            index += 1
            continue
        end, label, words = match
        phrases.append((BandMention(index, end, label), words))
        index = end
    return phrases


def find_bands(tokens: Sequence[Token], scale: Scale) -> list[BandMention]:
    """The band phrases of a sentence that are stated as ratings (see the module's rules)."""
    found: list[BandMention] = []
    phrases = _phrases_in(tokens, scale)
    for phrase, words in phrases:
        start, end = phrase.start, phrase.end
        if _negated(tokens, start) or _of_a_domain(tokens, end) or _by_inspectors(tokens, end):
            continue
        if _cued(tokens, start, end, words) or (
            found and (_enumerated(tokens[found[-1].end : start]) or _parallel(tokens, start, end))
        ):
            found.append(phrase)
    return _alternatives_dropped(tokens, found, [phrase for phrase, _ in phrases])


def band_heading(scale: Scale) -> Callable[[str], bool]:
    """A test of whether a line is a heading naming a band ("Outstanding", "Needs most
    improvement (5)", "Top category (green)"): the lines that may head a list of names."""

    def heading(line: str) -> bool:
        tokens = tokenize(line)
        covered = {
            i for phrase, _ in _phrases_in(tokens, scale) for i in range(phrase.start, phrase.end)
        }
        rest = [t for i, t in enumerate(tokens) if i not in covered and t.kind == "word"]
        return bool(covered) and all(
            t.word in _HEADING_WORDS or t.word in UNITS or t.word in TENS for t in rest
        )

    return heading


def _negated(tokens: Sequence[Token], start: int) -> bool:
    """Whether the band is denied: "not" or "never" just before it ("were not rated
    outstanding", "is not outstanding")."""
    return any(t.word in _NEGATIONS for t in tokens[max(0, start - 3) : start])


def _of_a_domain(tokens: Sequence[Token], end: int) -> bool:
    """Whether the band is given for one domain, not overall ("rated outstanding for
    leadership", "advanced in its leadership domain")."""
    after = tokens[end : end + 4]
    if not after or after[0].word not in ("for", "on", "in"):
        return False
    return any(t.word in DOMAINS for t in after[1:])


def _by_inspectors(tokens: Sequence[Token], end: int) -> bool:
    """Whether the band is an inspectorate's ("rated outstanding by the CQC"): hospitals and
    trusts are rated in the same words, and never by the dashboard."""
    after = [t.word for t in tokens[end : end + 6]]
    return "by" in after and any(w in _INSPECTORS for w in after[after.index("by") :])


def _alternatives_dropped(
    tokens: Sequence[Token], found: list[BandMention], phrases: list[BandMention]
) -> list[BandMention]:
    """The bands without those offered as alternatives ("shaded yellow or orange",
    "advanced or outstanding"): they state no one band."""
    dropped: set[int] = set()
    for one, other in pairwise(phrases):
        if [t.text.lower() for t in tokens[one.end : other.start]] in (["or"], ["nor"], ["/"]):
            dropped.update({one.start, other.start})
    return [b for b in found if b.start not in dropped]


def _introduces(tokens: Sequence[Token], end: int) -> bool:
    """Whether a colon follows the band closely, opening a list of what is in it."""
    for token in tokens[end : end + 4]:
        if token.text == ":":
            return True
        if token.word not in _GROUPS | {"are", "were", "is", "include", "includes", "included"}:
            return False
    return False


def _heading(tokens: Sequence[Token], start: int, end: int) -> bool:
    """Whether the band opens the sentence and a colon (or a dash) follows it, perhaps after a
    count: "Outstanding (5): Dorset, ...", "Outstanding – Dorset, ..."."""
    if any(t.kind == "word" for t in tokens[:start]):
        return False
    for token in tokens[end : end + 4]:
        if token.text in (":", "–", "—", "-"):
            return True
        if token.text not in ("(", ")") and token.kind != "number":
            return False
    return False


def _enumerated(between: Sequence[Token]) -> bool:
    """Whether a band follows a rated one in a series ("five outstanding, 20 (45%) advanced
    and 14 making progress"), so the first one's cue covers it."""
    return len(between) <= 10 and all(
        token.text in (",", "–", "-", "(", ")", "%") or token.kind == "number"
        or token.word in _SERIES
        for token in between
    )  # fmt: skip


def _match(
    tokens: Sequence[Token], index: int, scale: Scale
) -> tuple[int, str, tuple[str, ...]] | None:
    if tokens[index].kind != "word":
        return None
    for words, label in lexicon(scale):
        position, matched = index, 0
        while position < len(tokens) and matched < len(words):
            token = tokens[position]
            if token.kind == "punct" and token.text != "-":
                break
            if token.text != "-":
                if tuple(words[matched : matched + len(token.words)]) != token.words:
                    break
                matched += len(token.words)
            position += 1
        if matched == len(words):
            return position, label, words
    return None


def _phrase_ends(after: Token | None) -> bool:
    """Whether the token after a band ends its phrase (punctuation, a conjunction, the end,
    or a verb opening a list: "those outstanding include ...")."""
    return after is None or after.text in _PHRASE_ENDS or after.word in _CLAUSE_WORDS | _LISTING


def _parallel(tokens: Sequence[Token], start: int, end: int) -> bool:
    """Whether a band after a stated one is stated in a parallel clause with the verb alone
    ("Dorset was rated outstanding, while Devon and Somerset were making progress.")."""
    position = start - 1
    while position >= 0 and tokens[position].word in _QUALIFYING:
        position -= 1
    after = tokens[end] if end < len(tokens) else None
    return position >= 0 and tokens[position].word in _COPULAS and _phrase_ends(after)


def _counted(tokens: Sequence[Token], start: int, end: int) -> bool:
    """Whether the band is counted: a number just before it, with nothing but a noun for the
    partnerships and a verb between, and the phrase ending with it ("twenty partnerships are
    advanced,"); or a number in brackets just after it ("advanced (20)")."""
    bracket = tokens[end : end + 3]
    if len(bracket) == 3 and (bracket[0].text, bracket[2].text) == ("(", ")"):
        return bracket[1].kind == "number"
    if not _phrase_ends(tokens[end] if end < len(tokens) else None):
        return False
    for position in range(start - 1, max(-1, start - 4), -1):
        token = tokens[position]
        if token.kind == "number" or token.word in UNITS or token.word in TENS:
            return True
        if token.word not in _COUNT_GAP:
            return False
    return False


def _cued(tokens: Sequence[Token], start: int, end: int, words: tuple[str, ...]) -> bool:
    """Whether the band phrase at start..end is stated as a rating (see the module docstring)."""
    if any(word in RATING_WORDS for word in words) or words[-1] in _POSITION_NOUNS:
        return True  # "category 4", "the bottom band"
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    single = len(words) == 1
    noun_after = after is not None and after.kind == "word" and not after.capital
    if single and noun_after and after is not None and after.word not in _AFTER_OK | _GROUPS:
        return False  # an adjective: "advanced plans"
    rated_after = after is not None and after.word in ("rating", "category", "band")
    if single and before is not None and before.word in _ADVERBS and not rated_after:
        return False  # "the most advanced", "an outstanding debt"
    if after is not None and after.word in ("rating", "ratings", "category", "band"):
        return True
    if before is not None and after is not None:
        pair = before.text + after.text
        if pair in ("()", "''", '""', "‘’", "“”", "'’", "‘'"):
            return True
    if _heading(tokens, start, end) or _introduces(tokens, end):
        return True  # "Outstanding: Dorset, ...", "Outstanding (5): ...", "... progress are: ..."
    if _counted(tokens, start, end):
        return True  # "twenty are advanced, fourteen making progress", "advanced (20)"
    if before is not None and before.word in ("those", "ones") and _phrase_ends(after):
        return True  # "among those making progress", "those outstanding include ..."
    if before is not None and before.text == ":" and (after is None or after.text in ".;"):
        return True  # "Devon: making progress."
    grouped = after is not None and after.word in _GROUPS
    if (
        grouped
        and before is not None
        and (before.kind == "number" or before.word in _SERIES_NUMBERS | {"the"})
    ):
        return True  # "the five outstanding STPs", "the outstanding STPs are ..."
    reach = 2 if words[0] in _COLOURS else 6
    for position in range(start - 1, max(-1, start - 1 - reach), -1):
        token = tokens[position]
        if token.text in (".", ";", "!", "?"):
            break
        if token.word in RATING_WORDS or (position == start - 1 and token.word == "as"):
            return True
    return False
