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

from dataclasses import dataclass, field

from ..config import Scale, SourceConfig
from ..errors import ParseError
from ..model import Event, Release, Statement
from ..parse.article import Article
from ..resolve.resolver import Resolver
from .counts import combine
from .dates import parse_date
from .gather import Context, Found, UnmatchedInText, gather
from .identify import FuzzyMatch, Identities, Skipped
from .normalise import band, person

__all__ = ["NewsExtracted", "UnmatchedInText", "article_date", "extract_article"]


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
    context = Context.build(resolver, scale, date, origin, publisher)
    found = gather(article.text, context)
    statements = _statements(found, scale, publisher)
    happened = tuple(
        Event(r.code, f"leader.{r.role}", r.what, date, publisher, sentence)
        for r, sentence in found.events.values()
    )
    counted = combine(found.counts, context.whole)
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


def _statements(found: Found, scale: Scale | None, publisher: str) -> tuple[Statement, ...]:
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
