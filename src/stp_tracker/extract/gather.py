"""Gather what an article states, sentence by sentence and table by table, in reading order.

The page's furniture is dropped first (`page.main_text`), then prose and tables are read in
turn. What one sentence states may depend on its neighbours: a sentence that only lists names
("They are ...") takes the band or event the one before stated without naming anyone, and a
sentence that refers back ("Its lead ...", "The partnership was rated ...") means the one
organisation last named alone (a sentence naming several forgets it). "We" and "our
partnership" mean the publisher, when the publisher is a partnership (a press release). An
organisation given two different bands by one article is ambiguous, and rated by none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..config import Scale
from ..resolve.resolver import Resolver
from .bands import band_heading
from .counts import Counted, counts, last_body
from .events import Reported, events
from .mentions import Gazetteer, closest, population
from .page import Table, main_text, segments
from .ratings import Rated, follow_on, ratings, referent
from .reading import Reading, read_sentence
from .records import Unmatched
from .tables import TableReading, read_table
from .text import Heading, Sentence, sentences, word_set

_ROLE_HINTS = word_set(
    "lead leader leaders leadership chair chairman chairwoman officer sro director "
    "interim acting vacant vacancy appointed appoint named"
)


@dataclass(frozen=True)
class UnmatchedInText(Unmatched):
    """A name an article puts in an organisation's place that matches none, with its sentence."""

    context: str = ""

    def describe(self) -> str:
        """One line for the user: the name, the closest organisations and the sentence."""
        close = ", ".join(f"{c.name} ({c.code}, {c.score:.0f}%)" for c in self.candidates)
        hint = f"; closest: {close}" if close else ""
        return f"{self.file}: sentence {self.row}: {self.name!r} {self.reason}{hint}"


@dataclass(frozen=True)
class Context:
    """What every rule reads against: the registry's names on the article's date, the scale,
    how many organisations there were (the whole of a count), and the file, for reports."""

    gazetteer: Gazetteer
    resolver: Resolver
    scale: Scale | None
    date: str
    origin: str
    whole: int
    own: str | None = None  # the organisation the publisher is, if it is one

    @classmethod
    def build(
        cls, resolver: Resolver, scale: Scale | None, date: str, origin: str, publisher: str
    ) -> Context:
        """The context of an article of `date` read from `origin`, published by `publisher`."""
        whole = population(resolver, date)
        own = resolver.by_name(publisher, on=date) if publisher else set()
        return cls(Gazetteer.build(resolver, date), resolver, scale, date, origin, whole,
                   next(iter(own)) if len(own) == 1 else None)  # fmt: skip

    @property
    def heading(self) -> Heading | None:
        """Which lines may head a list of names without a colon: those naming a band."""
        return band_heading(self.scale) if self.scale else None

    def read(self, sentence: Sentence, *, look_closer: bool) -> Reading:
        """One sentence read for the rules (see `reading.read_sentence`)."""
        return read_sentence(
            sentence, self.gazetteer, self.resolver, self.scale, self.date, look_closer=look_closer
        )


@dataclass
class Found:
    """Everything an article stated, as it is gathered."""

    ratings: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (band, sentence)
    clashes: set[str] = field(default_factory=set)
    events: dict[tuple[str, str, str], tuple[Reported, str]] = field(default_factory=dict)
    counts: list[Counted] = field(default_factory=list)
    unmatched: list[UnmatchedInText] = field(default_factory=list)
    fuzzy: dict[str, str] = field(default_factory=dict)
    # What the previous sentence stated without naming anyone, for a "They are ..." list.
    pending_band: tuple[str, str] | None = None  # (band, sentence)
    pending_events: list[tuple[Reported, str]] = field(default_factory=list)
    body: str | None = None  # what the last counted noun named (counts.last_body)

    def report(self, event: Reported, sentence: str) -> None:
        """Keep an event (the first sentence that reports it)."""
        if event.code:
            self.events.setdefault((event.code, event.role, event.what), (event, sentence))


def gather(text: str, context: Context) -> Found:
    """Apply every rule to every sentence and table of the article (module docstring)."""
    found = Found()
    carried: str | None = None
    number = 0
    for part in segments(main_text(text)):
        if isinstance(part, Table):
            table = read_table(part, context.gazetteer, context.resolver, context.scale,
                               context.date)  # fmt: skip
            if table.rated or table.counts or table.rows or not part.dashed:
                number = _take_table(found, table, context, number)
                continue  # a table set off from the prose: "the STP" after it means what it did
            part = "\n\n".join(part.lines)  # "Outstanding – Dorset, Frimley": lines of prose
        for sentence in sentences(part, context.heading):
            number += 1
            carried = _take_sentence(found, replace(sentence, number=number), context, carried)
    for code in found.clashes:
        found.ratings.pop(code, None)
    return found


def _take_sentence(
    found: Found, sentence: Sentence, context: Context, carried: str | None
) -> str | None:
    """Read one sentence into `found`; returns the organisation a later "the STP" means: the
    one it names, or when it names none the one meant before it (None when it names several).
    A sentence with no band and no word about leaders is not looked at closely (no near
    spellings tried), which keeps long articles fast."""
    quick = context.read(sentence, look_closer=False)
    cue = bool(quick.bands) or any(t.word in _ROLE_HINTS for t in sentence.tokens)
    cue = cue or bool(found.pending_band or found.pending_events)
    reading = context.read(sentence, look_closer=True) if cue else quick
    _take(found, reading, context, carried)
    codes = {code for mention in reading.orgs for code in mention.codes}
    if not codes:
        return carried
    return next(iter(codes)) if len(codes) == 1 else None


def _take_table(found: Found, table: TableReading, context: Context, number: int) -> int:
    """Add what a table states to `found`, its rows numbered on from `number` (returned)."""
    for mention, label, line in table.rated:
        number += 1
        _rate(found, Rated(mention, label), line, context, number)
    found.counts.extend(table.counts)
    for code, text, line in table.rows:
        for sentence in sentences(text):
            for event in events(context.read(sentence, look_closer=False), code):
                found.report(event, line)
    return number


def _take(found: Found, reading: Reading, context: Context, carried: str | None) -> None:
    """Add what one sentence states to `found`; a sentence that only lists names ("They are
    ...") takes the band or event the sentence before stated without naming anyone."""
    text = reading.sentence.text
    stated = ratings(reading, referent(reading, carried, context.own), context.date[:4])
    listed = follow_on(reading) if (found.pending_band or found.pending_events) else []
    if found.pending_band and listed:
        stated += [Rated(mention, found.pending_band[0]) for mention in listed]
        text = f"{found.pending_band[1]} {text}"
    for rated in stated:
        _rate(found, rated, text, context, reading.sentence.number)
    found.counts.extend(counts(reading, context.whole, found.body))
    found.body = last_body(reading.tokens) or found.body
    reported = events(reading, carried)
    if listed:
        for orphan, earlier in found.pending_events:
            for code in {c for m in listed for c in m.codes if len(m.codes) == 1}:
                found.report(replace(orphan, code=code), f"{earlier} {reading.sentence.text}")
    for event in reported:
        found.report(event, text)
    found.pending_events = [(e, text) for e in reported if not e.code]
    labels = {band.label for band in reading.bands}
    named = stated or reading.orgs
    found.pending_band = (next(iter(labels)), text) if len(labels) == 1 and not named else None


def _rate(found: Found, rated: Rated, text: str, context: Context, number: int) -> None:
    """Keep one stated (name, band) pair: unresolved names are reported, not rated."""
    mention = rated.mention
    if not mention.codes:
        candidates = closest(context.resolver, mention.text, context.date)
        reason = f"matches no {context.resolver.entity}"
        found.unmatched.append(
            UnmatchedInText(
                context.origin, number, "text", mention.text, candidates, reason, context=text
            )
        )
        return
    if len(mention.codes) != 1:
        return
    (code,) = mention.codes
    if mention.how == "fuzzy":
        found.fuzzy[mention.text] = code
    earlier = found.ratings.setdefault(code, (rated.label, text))
    if earlier[0] != rated.label:
        found.clashes.add(code)
