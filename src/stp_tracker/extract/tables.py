"""Tables copied into an article as text: ratings by row, band counts, and what a row says
about its organisation's leaders.

A table's first row is its header when no cell of it names an organisation or a band. The
name column is the one whose cells most often name exactly one organisation; a band column is
one whose cells name bands of the scale by their own names, each a whole cell ("Outstanding",
"Needs most improvement"). Bare category numbers and colours ("1", "Red") count only in a
column that is mostly such cells, under a header that says so ("Category", "Rating",
"Colour"), and a column headed by another domain
("Leadership rating"), another year ("2016 rating") or a guess ("Expected rating") is not the
overall rating now. A row whose band columns disagree states
nothing. A table with bands and no names is a table of counts: each band's number of
partnerships (a share column is passed over, a "Total" row too). The other cells of a named
row ("STP lead changed since first appointed") are read by the sentence rules as a sentence
about that row's organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Scale
from ..resolve.resolver import Resolver
from .counts import COLUMNS, Counted
from .mentions import Gazetteer, Mention, fuzzy
from .normalise import band, fold
from .numbers import Quantity
from .page import Table
from .text import tokenize, word_set

_BAND_HEADERS = word_set("category categories rating ratings band bands tier colour color rag")
_OTHER_DOMAINS = word_set(
    "leadership finance financial performance quality digital engagement transformation "
    "cancer mental access workforce domain domains"
)
_COUNT_HEADERS = word_set("stps number count total partnerships areas footprints no n")
_NOT_NOW = word_set("previous last old former expected forecast predicted target targets")
_FILLER = word_set("the stp footprint partnership and")
_SEPARATORS = frozenset({",", ";", "&", "/"})


@dataclass
class TableReading:
    """What a table states: (name, band, row) ratings, band counts, and the sentences its
    named rows make for the event rules as (organisation, sentence, row)."""

    rated: list[tuple[Mention, str, str]] = field(default_factory=list)
    counts: list[Counted] = field(default_factory=list)
    rows: list[tuple[str, str, str]] = field(default_factory=list)


def read_table(
    table: Table, gazetteer: Gazetteer, resolver: Resolver, scale: Scale | None, on: str
) -> TableReading:
    """The ratings, counts and row sentences of one table (see the module docstring)."""
    found = TableReading()
    if scale is None:
        return found
    header, rows, lines = _split_header(table, gazetteer, resolver, scale, on)
    width = len(table.rows[0])
    names = [[_cell_names(row[c], gazetteer, resolver, on) for c in range(width)] for row in rows]
    counts = [sum(1 for r in names if _names(r[c])) for c in range(width)]
    name_column = max(range(width), key=lambda c: counts[c]) if max(counts) else None
    band_columns = [
        c
        for c in range(width)
        if c != name_column and _band_column([row[c] for row in rows], header, c, scale, on[:4])
    ]
    for row, line, mentions in zip(rows, lines, names, strict=True):
        labels = {label for c in band_columns if (label := _band(row[c], scale))}
        if name_column is None:
            if len(labels) == 1:
                found.counts.extend(_count(row, header, band_columns, line, labels.pop()))
            continue
        named = mentions[name_column]
        if len(labels) == 1:
            label = labels.pop()
            found.rated.extend((mention, label, line) for mention in named)
        rest = [
            cell
            for c, cell in enumerate(row)
            if c != name_column and c not in band_columns and not _numeric(cell)
            and any(ch.isalpha() for ch in cell)
        ]  # fmt: skip
        if rest and len(named) == 1 and len(named[0].codes) == 1:
            (code,) = named[0].codes
            found.rows.append((code, f"{row[name_column]}: {'; '.join(rest)}.", line))
    return found


def _split_header(
    table: Table, gazetteer: Gazetteer, resolver: Resolver, scale: Scale, on: str
) -> tuple[tuple[str, ...] | None, list[tuple[str, ...]], list[str]]:
    first = table.rows[0]
    plain = not any(
        _band(cell, scale) or _names(_cell_names(cell, gazetteer, resolver, on)) for cell in first
    )
    if plain:
        return first, list(table.rows[1:]), list(table.lines[1:])
    return None, list(table.rows), list(table.lines)


def _names(mentions: list[Mention]) -> bool:
    return any(mention.codes for mention in mentions)


def _band(cell: str, scale: Scale) -> str | None:
    """The band a whole cell names, if it names one."""
    try:
        return band(cell.strip(" '\"‘’“”()"), scale)[0]
    except ValueError:
        return None


def _band_column(
    cells: list[str], header: tuple[str, ...] | None, column: int, scale: Scale, year: str
) -> bool:
    """Whether a column holds overall bands (see the module docstring)."""
    heading = set(fold(header[column]).split()) if header else set()
    if heading & _OTHER_DOMAINS or heading & _NOT_NOW:
        return False
    if any(word.isdigit() and len(word) == 4 and word != year for word in heading):
        return False  # "2016 rating" in a 2017 article
    bands = [cell for cell in cells if _band(cell, scale)]
    if not bands:
        return False
    if all(fold(c) in {fold(label) for label in scale.labels} for c in bands):
        return True  # whole cells that are bands' own names, however few
    return len(bands) >= len(cells) / 2 and bool(heading & _BAND_HEADERS)


def _numeric(cell: str) -> bool:
    return fold(cell).replace(" ", "").isdigit() or cell.strip().endswith("%")


def _count(
    row: tuple[str, ...], header: tuple[str, ...] | None, bands: list[int], line: str,
    label: str,
) -> list[Counted]:  # fmt: skip
    """The count a row of a counts table gives its band: its one whole number (under a header
    such as "STPs" or "Number" when there is a header)."""
    column = fold(label).replace(" ", "_")
    if column not in COLUMNS:
        return []
    numbers = [
        (c, int(fold(cell).replace(" ", "")))
        for c, cell in enumerate(row)
        if c not in bands and fold(cell).replace(" ", "").isdigit()
        and (header is None or set(fold(header[c]).split()) & _COUNT_HEADERS)
    ]  # fmt: skip
    if len(numbers) != 1:
        return []
    return [Counted(column, Quantity(0, 0, count=numbers[0][1]), line)]


def _cell_names(cell: str, gazetteer: Gazetteer, resolver: Resolver, on: str) -> list[Mention]:
    """The organisations a whole cell names: one name (by name, initials or a near spelling)
    or a list of names ("Dorset, Frimley Health"); an unresolved mention for a capitalised cell
    that names none; nothing for anything else."""
    tokens = tokenize(cell)
    words = [t for t in tokens if t.kind == "word"]
    if not words or not words[0].capital:
        return []
    found = gazetteer.find(tokens, cell)
    inside = {i for mention in found for i in range(mention.start, mention.end)}
    outside = [
        t for i, t in enumerate(tokens) if i not in inside
        and ((t.word not in _FILLER) if t.kind == "word" else (t.text not in _SEPARATORS))
    ]  # fmt: skip
    if found and not outside:
        return found
    match = fuzzy(resolver, cell, on)
    if match is not None:
        return [Mention(0, len(tokens), frozenset({match.code}), cell, "fuzzy")]
    return [Mention(0, len(tokens), frozenset(), cell, "unresolved")]
