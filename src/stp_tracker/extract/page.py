"""What of a plain-text copy of a web page is the article, and where its tables are.

A page copied as text keeps its furniture: "Related articles" and "Most read" headlines, share
buttons, tags, and readers' comments. Headlines of other stories state other things ("Devon STP
chief to retire") and a reader is not the publisher, so they are dropped: a comments section
(a line such as "Comments" or '3 thoughts on "..."') and everything after it, and under a
furniture heading ("Related articles", "Read more", "Share this") the headline-like lines that
follow, until the article's prose resumes. A line opening "Read more:", "Tags:" and the like is
dropped alone.

Tables copied as text (cells parted by tabs, by runs of two or more spaces, or by " | ", and
lines such as "Dorset – Outstanding") are taken out of the prose as `Table`s, two or more rows
with the same number of cells, for the table rules; the prose around them is left in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENTS = re.compile(
    r"^(?:\d+\s+|readers?'?\s+|your\s+)?comments(?:\s*\(\d+\))?:?$"
    r"|^\d+\s+(?:comments?|responses?|replies|reply|thoughts)\b.*$"
    r"|^(?:leave|add|post|write)\s+an?\s+(?:comment|reply)\b.*$"
    r"|^(?:join the (?:discussion|conversation)|have your say|comments are closed)\b.*$",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:related(?:\s+(?:articles?|stories|story|content|news|links|reading|posts?))?"
    r"|read\s+more|more\s+(?:on\s+this(?:\s+story)?|like\s+this|from\s+\w+(?:\s+\w+)?)|see\s+also"
    r"|you\s+(?:may|might)\s+also\s+(?:like|be\s+interested\s+in)|most\s+(?:read|popular|viewed)"
    r"|trending(?:\s+now)?|recommended(?:\s+for\s+you)?|latest(?:\s+news)?|share(?:\s+this"
    r"(?:\s+(?:article|page|story|post))?)?|like\s+this|tags|topics|follow\s+us"
    r"|also\s+in\s+this\s+section|in\s+this\s+section|popular\s+now)\s*:?$",
    re.IGNORECASE,
)
_INLINE = re.compile(
    r"^(?:read\s+more|related(?:\s+articles?)?|see\s+also|also\s+read|tags|topics|share)\s*:",
    re.IGNORECASE,
)
_PROSE_END = re.compile(r"[.!][\"'”’)]*$")
_PROSE_WORDS = 8  # a line this long ending a sentence is the article's prose again


@dataclass(frozen=True)
class Table:
    """A table copied as text: its rows of cells as written, and the lines they came from."""

    rows: tuple[tuple[str, ...], ...]
    lines: tuple[str, ...]

    @property
    def dashed(self) -> bool:
        """Whether its rows are lines such as "Dorset – Outstanding" (prose-like lines)."""
        return all(
            cells(line) is not None and _DASH.search(line) for line in self.lines
        ) and not any(separator.search(line) for line in self.lines for separator in _SEPARATORS)


def main_text(text: str) -> str:
    """The article without the page's furniture (see the module docstring)."""
    kept: list[str] = []
    dropping = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if _COMMENTS.match(line):
            break
        if _FURNITURE.match(line):
            dropping = True
            continue
        if _INLINE.match(line):
            continue
        if dropping:
            if not line or _headline(line):
                continue
            dropping = False
        kept.append(raw)
    return "\n".join(kept)


def _headline(line: str) -> bool:
    """Whether a line under a furniture heading reads as another story's headline or a
    button, rather than prose or a heading that opens a list ("Outstanding:")."""
    if line.endswith(":"):
        return False
    return not (_PROSE_END.search(line) and len(line.split()) >= _PROSE_WORDS)


_SEPARATORS = (re.compile(r"\t+"), re.compile(r" *\| *"), re.compile(r" {2,}"))
_DASH = re.compile(r" [–—-] ")
_CELL_WORDS = 15  # a longer "cell" is prose with a double space in it
_DASH_WORDS = 8  # "Dorset – Outstanding": a name and a short value, not a sentence


def cells(line: str) -> tuple[str, ...] | None:
    """A line's cells, when it reads as a table row (two or more short cells), else None."""
    stripped = line.strip()
    for separator in _SEPARATORS:
        if separator.pattern.startswith(" *\\|") and "|" not in stripped:
            continue
        if not separator.search(stripped):
            continue
        parts = tuple(p for p in (p.strip() for p in separator.split(stripped)) if p)
        spaced = separator.pattern == " {2,}"
        if (
            len(parts) >= 2
            and all(len(p.split()) <= _CELL_WORDS for p in parts)
            and not (spaced and any(_sentence(p) for p in parts))
        ):
            return parts
        return None  # the line's own separator, but not a row
    parts = tuple(p.strip() for p in _DASH.split(stripped))
    if (
        len(parts) == 2
        and all(0 < len(p.split()) <= _DASH_WORDS for p in parts)
        and not _PROSE_END.search(stripped)
    ):
        return parts
    return None


def _sentence(cell: str) -> bool:
    """Whether a "cell" is a sentence (prose typed with two spaces after a full stop)."""
    return bool(_PROSE_END.search(cell)) and len(cell.split()) >= 4


def segments(text: str) -> list[str | Table]:
    """The text in order as prose (str) and tables: a table is two or more consecutive lines
    that split into the same number of cells."""
    lines = text.split("\n")
    found: list[str | Table] = []
    prose: list[str] = []
    index = 0
    while index < len(lines):
        first = cells(lines[index])
        end = index + 1
        while first is not None and end < len(lines):
            row = cells(lines[end])
            if row is None or len(row) != len(first):
                break
            end += 1
        if first is None or end - index < 2:
            prose.append(lines[index])
            index += 1
            continue
        if prose:
            found.append("\n".join(prose))
            prose = []
        rows = tuple(cells(line) or () for line in lines[index:end])
        found.append(Table(rows, tuple(line.strip() for line in lines[index:end])))
        index = end
    if prose:
        found.append("\n".join(prose))
    return found
