"""From an article to a release: ratings, band counts and leadership events, each with the
sentence that states it.

The article's date is its page's publication date when the metadata gives one, else `--as-of`,
else the source's `effective` date, else the Last-Modified date it was served with. Every fact
is dated by it, published by the source's publisher (or, without one, the site's name), and
carries the sentence in its note. Nothing is invented: what no rule reads from a sentence is not
stated, and a name that does not resolve is reported in `unmatched` without failing the article.
An article release adds to what its source said on that date (`Release.adds`): an article is
evidence, not a complete list, so a second article of the same day keeps the first one's facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..config import Scale, SourceConfig
from ..errors import ParseError
from ..model import Event, Release, Statement
from ..parse.article import Article
from ..resolve.resolver import Resolver
from .counts import Counted, combine, counts
from .dates import parse_date
from .events import Reported, events
from .identify import FuzzyMatch, Identities, Skipped
from .mentions import Gazetteer, closest, population
from .normalise import band, person
from .ratings import Rated, follow_on, ratings
from .reading import Reading, read_sentence
from .records import Unmatched
from .text import sentences, word_set

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


@dataclass
class NewsExtracted:
    """What one article (or feed item) yielded: at most one release, the names that did not
    resolve (recorded, never fatal), and how many things it stated."""

    releases: list[Release]
    unmatched: list[UnmatchedInText] = field(default_factory=list)
    records: int = 0
    # What identifying names found, reported in the run's summary as for a table.
    identities: Identities = field(default_factory=Identities)

    @property
    def created(self) -> dict[str, str]:
        """Nothing: an article never creates organisations."""
        return self.identities.created

    @property
    def fuzzy(self) -> list[FuzzyMatch]:
        """The near spellings accepted, for the run's summary."""
        return list(self.identities.fuzzy.values())

    @property
    def skipped(self) -> list[Skipped]:
        """Nothing: an article has no rows to skip."""
        return self.identities.skipped

    @property
    def states_nothing(self) -> bool:
        """True when the article stated nothing the rules read (it is recorded as skipped)."""
        return not self.releases


@dataclass
class _Found:
    ratings: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (band, sentence)
    clashes: set[str] = field(default_factory=set)
    events: dict[tuple[str, str, str], tuple[Reported, str]] = field(default_factory=dict)
    counts: list[Counted] = field(default_factory=list)
    unmatched: list[UnmatchedInText] = field(default_factory=list)
    fuzzy: dict[str, str] = field(default_factory=dict)
    # What the previous sentence stated without naming anyone, for a "They are ..." list.
    pending_band: tuple[str, str] | None = None  # (band, sentence)
    pending_events: list[tuple[Reported, str]] = field(default_factory=list)


def article_date(
    article: Article, source: SourceConfig, origin: str, as_of: str | None, published: str | None
) -> str:
    """The date an article speaks for (see the module docstring), or a ParseError."""
    fixed = source.effective if source.effective != "published" else None
    date = article.date or as_of or fixed or published
    if not date:
        raise ParseError(
            f"source {source.name!r}: the article gives no date; give --as-of, or set "
            "effective in the source's configuration",
            file=origin,
        )
    return parse_date(date, file=origin)


def extract_article(
    article: Article,
    source: SourceConfig,
    *,
    origin: str,
    resolver: Resolver,
    scale: Scale | None,
    as_of: str | None = None,
    published: str | None = None,
    fetch_id: int | None = None,
) -> NewsExtracted:
    """Read one article into a release of `source` (none when it states nothing)."""
    date = article_date(article, source, origin, as_of, published)
    publisher = source.publisher or article.publisher or source.title or source.name
    found = _read(article.text, resolver, scale, date, origin)
    statements = _statements(found, scale, publisher)
    happened = tuple(
        Event(r.code, f"leader.{r.role}", r.what, date, publisher, sentence)
        for r, sentence in found.events.values()
    )
    whole = population(resolver, date)
    counted = combine(found.counts, whole)
    rows: tuple[dict[str, object], ...] = ()
    if counted is not None:
        row: dict[str, object] = {
            "publisher": publisher,
            "reported_on": date,
            **counted.values,
            "note": counted.note,
            "source": source.name,
            "fetch_id": fetch_id,
        }
        rows = (row,)
    records = len(statements) + len(happened) + len(rows)
    if not records:
        return NewsExtracted([], found.unmatched, 0)
    used = {s.org_code for s in statements} | {e.org_code for e in happened}
    release = Release(
        source=source.name,
        effective=date,
        complete=False,
        statements=statements,
        events=happened,
        fetch_id=fetch_id,
        aliases=tuple(sorted((n, c) for n, c in found.fuzzy.items() if c in used)),
        reported_counts=rows,
        adds=True,
    )
    return NewsExtracted([release], found.unmatched, records)


def _read(text: str, resolver: Resolver, scale: Scale | None, date: str, origin: str) -> _Found:
    """Apply every rule to every sentence of the article."""
    gazetteer = Gazetteer.build(resolver, date)
    whole = population(resolver, date)
    found = _Found()
    carried: str | None = None
    for sentence in sentences(text):
        quick = read_sentence(sentence, gazetteer, resolver, scale, date, look_closer=False)
        cue = bool(quick.bands) or any(t.word in _ROLE_HINTS for t in sentence.tokens)
        cue = cue or bool(found.pending_band or found.pending_events)
        reading = (
            read_sentence(sentence, gazetteer, resolver, scale, date, look_closer=True)
            if cue
            else quick
        )
        _take(found, reading, whole, carried, resolver, date, origin)
        codes = {code for mention in reading.orgs for code in mention.codes}
        carried = next(iter(codes)) if len(codes) == 1 else None
    for code in found.clashes:
        found.ratings.pop(code, None)
    return found


def _take(
    found: _Found, reading: Reading, whole: int, carried: str | None, resolver: Resolver,
    date: str, origin: str,
) -> None:  # fmt: skip
    """Add what one sentence states to `found`; a sentence that only lists names ("They are
    ...") takes the band or event the sentence before stated without naming anyone."""
    text = reading.sentence.text
    stated = ratings(reading)
    listed = follow_on(reading) if (found.pending_band or found.pending_events) else []
    if found.pending_band and listed:
        stated += [Rated(mention, found.pending_band[0]) for mention in listed]
        text = f"{found.pending_band[1]} {text}"
    for rated in stated:
        _rate(found, rated, text, resolver, date, origin, reading.sentence.number)
    found.counts.extend(counts(reading, whole))
    reported = events(reading, carried)
    if listed:
        for orphan, earlier in found.pending_events:
            for code in {c for m in listed for c in m.codes if len(m.codes) == 1}:
                event = replace(orphan, code=code)
                found.events.setdefault(
                    (code, event.role, event.what), (event, f"{earlier} {reading.sentence.text}")
                )
    for event in reported:
        if event.code:
            found.events.setdefault((event.code, event.role, event.what), (event, text))
    found.pending_events = [(e, text) for e in reported if not e.code]
    labels = {band.label for band in reading.bands}
    named = stated or reading.orgs
    found.pending_band = (next(iter(labels)), text) if len(labels) == 1 and not named else None


def _rate(
    found: _Found, rated: Rated, text: str, resolver: Resolver, date: str, origin: str,
    number: int,
) -> None:  # fmt: skip
    """Keep one stated (name, band) pair: unresolved names are reported, not rated."""
    mention = rated.mention
    if not mention.codes:
        candidates = closest(resolver, mention.text, date)
        found.unmatched.append(
            UnmatchedInText(
                origin,
                number,
                "text",
                mention.text,
                candidates,
                f"matches no {resolver.entity}",
                context=text,
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


def _statements(found: _Found, scale: Scale | None, publisher: str) -> tuple[Statement, ...]:
    """Rating facts and, for each named appointment, a leader fact; sorted by key."""
    stated: dict[tuple[str, str], Statement] = {}
    if scale is not None:
        for code, (label, sentence) in found.ratings.items():
            value, key, rank = band(label, scale)
            stated[code, "rating.overall"] = Statement(
                code, "rating.overall", value, key, rank, publisher, sentence
            )
    for reported, sentence in found.events.values():
        if reported.person and reported.kind in ("appointed", "interim"):
            value, key, _ = person(reported.person)
            attribute = f"leader.{reported.role}"
            stated.setdefault(
                (reported.code, attribute),
                Statement(reported.code, attribute, value, key, None, publisher, sentence),
            )
    return tuple(stated[key] for key in sorted(stated))
