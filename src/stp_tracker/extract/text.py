"""An article's text as sentences of tokens, the shape the news rules read.

Lines are rejoined where plain text was wrapped; a list under an introducing line ("The five
rated outstanding were:" or a heading such as "Outstanding") becomes one sentence with its items
separated by semicolons, so a list reads like the same list written inline. pysbd splits the
rest into sentences. Quoted speech (a quotation of four words or more) is marked on its tokens:
what an official says is not what the article states.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from .normalise import fold

_BULLET = re.compile(r"^\s*(?:[-*•·–—▪►]|\d{1,2}[.)])\s+")
_END = re.compile(r"[.!?][\"'”’)]*$")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
# Directions written short in names ("NW London"), expanded to the words the registry uses.
ABBREVIATIONS = {"NW": "north west", "NE": "north east", "SE": "south east", "SW": "south west"}
_TOKEN = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)*)"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
    r"|(?P<punct>[^\w\s])"
)
_SPEECH_WORDS = 4  # a quotation this long is speech; shorter ones quote a term ('advanced')
Heading = Callable[[str], bool]  # which lines without a colon may head a list


class Token(NamedTuple):
    """One word, number or punctuation mark of a sentence, with its place in the sentence."""

    text: str  # as written
    start: int  # character offsets in the sentence
    end: int
    kind: str  # "word", "number" or "punct"
    words: tuple[str, ...]  # folded words ("Stoke-on-Trent" -> stoke, on, trent); () for punct
    speech: bool  # inside quoted speech

    @property
    def capital(self) -> bool:
        """Whether the token starts with a capital letter."""
        return self.text[:1].isupper()

    @property
    def upper(self) -> bool:
        """Whether the token is written in capitals (an acronym such as BOB or STP)."""
        return len(self.text) > 1 and self.text.isupper()

    @property
    def word(self) -> str:
        """The token's folded words as one string ('' for punctuation)."""
        return " ".join(self.words)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: its 1-based number, its text and its tokens."""

    number: int
    text: str
    tokens: tuple[Token, ...]


def sentences(text: str, heading: Heading | None = None) -> list[Sentence]:
    """The sentences of an article's text, numbered from 1, each tokenised.

    Speech is found in the whole paragraph first, so a quotation of several sentences marks
    each of them. `heading` says which lines without a colon may head a list (see `units`).
    """
    found: list[Sentence] = []
    for unit, is_list in units(text, heading):
        spans = speech_spans(unit)
        cursor = 0
        for part in [unit] if is_list else split_sentences(unit):
            offset = unit.find(part, cursor)
            offset = cursor if offset < 0 else offset
            cursor = offset + len(part)
            inside = [
                (max(start - offset, 0), end - offset)
                for start, end in spans
                if end > offset and start < cursor
            ]
            found.append(Sentence(len(found) + 1, part, tokenize(part, inside)))
    return found


@cache
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences (pysbd, which knows "Dr." and "Sir J. Smith" do not end one)."""
    return [s.strip() for s in _segmenter().segment(paragraph) if s.strip()]


def _is_item(line: str, *, listing: bool, heading: Heading | None = None) -> bool:
    """Whether a line reads as a list item: bulleted, or short and unfinished within a list;
    never a line that introduces a list of its own (it ends with a colon, or is a heading)."""
    if line.endswith(":") or (heading is not None and heading(_BULLET.sub("", line))):
        return False
    if _BULLET.match(line):
        return True
    words = len(line.split())
    short = words <= 12 and (not _END.search(line) or words <= 8)
    return listing and short and _name_like(line)


_CONNECTORS = frozenset({"and", "of", "the", "on", "upon", "in", "&"})


def _name_like(line: str) -> bool:
    """Whether an unbulleted line reads as a name rather than a short sentence: most of its
    words (brackets aside) are capitalised ("Cornwall and the Isles of Scilly", "Dorset
    (outstanding)"; not "Devon was disappointed")."""
    words = re.findall(r"[^\W\d_][\w'’-]*", re.sub(r"\([^)]*\)", "", line))
    content = [w for w in words if w.lower() not in _CONNECTORS]
    return bool(content) and 2 * sum(w[0].isupper() for w in content) > len(content)


def _is_heading(line: str) -> bool:
    return len(line.split()) <= 8 and not _END.search(line) and not line.endswith((",", ";"))


def units(text: str, heading: Heading | None = None) -> list[tuple[str, bool]]:
    """Paragraphs with wrapped lines rejoined, and lists as one line: (text, is_list) pairs.

    A list is opened by a line ending with a colon, or by a short heading over one name a
    line; given `heading`, only a line it accepts (a band's name: "Outstanding", "Needs most
    improvement (5)") heads a list without a colon, so "Dorset Outstanding" over "Devon Making
    progress" is not read as a heading and its list.

    A block whose lines mostly end a sentence has one paragraph per line; otherwise its lines
    are a wrapped paragraph and are joined, except after a short line that ends neither with
    punctuation nor a linking word when a capital opens the next ("Category 1: Dorset" over
    "Category 4: Staffordshire" are two lines, not one wrapped sentence).
    """
    found: list[tuple[str, bool]] = []
    for lines in _blocks(text, heading):
        ended = sum(1 for line in lines if _END.search(line))
        per_line = len(lines) > 1 and ended >= 0.6 * len(lines)
        longest = max(len(line) for line in lines)
        paragraph: list[str] = []
        flush = _flusher(found, paragraph)

        index = 0
        while index < len(lines):
            line = lines[index]
            if _introduces_list(lines, index, heading):
                items = []
                index += 1
                while index < len(lines) and _is_item(lines[index], listing=True, heading=heading):
                    items.append(_BULLET.sub("", lines[index]).rstrip(".;,"))
                    index += 1
                *before, intro = split_sentences(" ".join([*paragraph, line])) or [line]
                paragraph.clear()
                found.extend((sentence, False) for sentence in before)
                found.append((f"{intro.rstrip(':').rstrip()}: {'; '.join(items)}.", True))
                continue
            if _BULLET.match(line):
                flush()
                found.append((_BULLET.sub("", line), False))
            else:
                paragraph.append(line)
                following = lines[index + 1] if index + 1 < len(lines) else ""
                if (
                    per_line
                    or _line_ends(line, following, longest)
                    or (
                        len(lines) > 1
                        and _is_heading(line)
                        and not paragraph[:-1]
                        and index + 1 < len(lines)
                        and _is_title(line, lines[index + 1])
                    )
                ):
                    flush()
            index += 1
        flush()
    return found


_LINKING = frozenset({"and", "or", "of", "the", "to", "in", "for", "with", "a", "an", "by", "as"})


def _line_ends(line: str, following: str, longest: int) -> bool:
    """Whether a line of a block ends there rather than wrapping on (see `units`)."""
    if not following[:1].isupper():
        return False
    last = line.split()[-1] if line.split() else ""
    if last[-1:] in ",;:–-(" or last.lower() in _LINKING:
        return False
    return len(line) < 0.8 * longest or (_labelled(line) and _labelled(following))


def _labelled(line: str) -> bool:
    """Whether a line opens with a short label and a colon ("Category 4 (red): ...")."""
    return ":" in " ".join(line.split()[:6])


def _blocks(text: str, heading: Heading | None = None) -> list[list[str]]:
    """The text's blocks of non-blank lines; a list set out after blank lines ("... were:",
    a blank line, then one name a line) is kept in the block that introduces it."""
    blocks: list[list[str]] = []
    listing = False
    split = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = [[_SPACES.sub(" ", line).strip() for line in block.split("\n")] for block in split]
    cleaned = [[line for line in lines if line] for lines in cleaned]
    cleaned = [lines for lines in cleaned if lines]
    for index, lines in enumerate(cleaned):
        following = cleaned[index + 1] if index + 1 < len(cleaned) else []
        if listing and len(lines) == 1 and len(following) > 1 and _is_heading(lines[0]):
            listing = False  # a heading over the next list, not an item of this one
            blocks.append(lines)
            continue
        items = all(_is_item(line, listing=True, heading=heading) for line in lines)
        opens = bool(blocks) and (
            blocks[-1][-1].endswith(":")
            or (len(blocks[-1]) == 1 and len(blocks[-1][0].split()) <= 4 and _heads(
                blocks[-1][0], heading) and (len(lines) > 1 or _BULLET.match(lines[0]) is not None))
        )  # fmt: skip
        if items and (listing or opens):
            blocks[-1].extend(lines)
            listing = True
        else:
            blocks.append(lines)
            listing = False
    return blocks


def _flusher(found: list[tuple[str, bool]], paragraph: list[str]) -> Callable[[], None]:
    """A function that ends the paragraph being gathered, adding it to `found`."""

    def flush() -> None:
        if paragraph:
            found.append((" ".join(paragraph), False))
            paragraph.clear()

    return flush


def _introduces_list(lines: list[str], index: int, heading: Heading | None = None) -> bool:
    """Whether the line at `index` opens a list: it ends with a colon, or is a short heading
    (one `heading` accepts, when given) over bulleted items or two or more short lines."""
    follows = lines[index + 1 : index + 3]
    if not follows or not _is_item(follows[0], listing=True, heading=heading):
        return False
    line = lines[index]
    if line.endswith(":"):
        return True
    if _BULLET.match(line) or not _heads(line, heading):
        return False
    return _BULLET.match(follows[0]) is not None or (
        len(follows) == 2 and _is_item(follows[1], listing=True, heading=heading)
    )


def _heads(line: str, heading: Heading | None) -> bool:
    """Whether a line without a colon may head a list."""
    return _is_heading(line) and (heading is None or heading(line))


def _is_title(line: str, following: str) -> bool:
    """A short first line over a longer, capitalised one is a title, not a wrapped start."""
    return len(following.split()) > 8 and following[:1].isupper() and line[:1].isupper()


def tokenize(text: str, speech: list[tuple[int, int]] | None = None) -> tuple[Token, ...]:
    """The tokens of one sentence, with quoted speech (given, or found in it) marked."""
    speech = speech_spans(text) if speech is None else speech
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        raw = match.group()
        if kind == "word":
            words = _word_forms(raw)
        elif kind == "number":
            words = (raw.replace(",", ""),)
        else:
            words = ()
        inside = any(start <= match.start() < end for start, end in speech)
        tokens.append(Token(raw, match.start(), match.end(), kind, words, inside))
    return tuple(tokens)


def _word_forms(raw: str) -> tuple[str, ...]:
    """The folded words of a word token: possessive 's dropped, direction abbreviations
    expanded, hyphenated names split."""
    if raw in ABBREVIATIONS:
        return tuple(ABBREVIATIONS[raw].split())
    if raw[-2:] in ("'s", "’s") and len(raw) > 2:
        raw = raw[:-2]
    if raw == "&":
        return ("and",)
    return tuple(fold(raw).split())


_QUOTES = re.compile(r"“[^”]*”?|\"[^\"]*\"?|‘[^’]*’(?!\w)|(?<!\w)'[^']*'(?!\w)")


def speech_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted speech: quotations of several words (an unclosed one runs to
    the end), not a quoted term such as 'outstanding'."""
    return [
        (match.start(), match.end())
        for match in _QUOTES.finditer(text)
        if len(match.group().split()) >= _SPEECH_WORDS
    ]


def word_set(text: str) -> frozenset[str]:
    """The words of `text` as a set: vocabularies written as prose, one string."""
    return frozenset(text.split())
