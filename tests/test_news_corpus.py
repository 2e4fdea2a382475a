"""The news reader measured on a corpus of whole articles, ingested through the command line.

`tests/data/news/` holds articles written for these tests in the styles of the pieces that
reported NHS England's first STP ratings in July 2017, and `answers.toml` their answer key. Each
is ingested with `stp-tracker ingest SOURCE FILE --as-of 2017-07-21` (an `article` source with a
publisher and no columns) into one real database, and scored as the issue's acceptance asks:
pairs recalled and pairs wrong, events recalled, counts exact. The figures are printed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.conftest import REPO
from tests.test_news_sources import Tracker

CORPUS = REPO / "tests" / "data" / "news"
ANSWERS = tomllib.loads((CORPUS / "answers.toml").read_text(encoding="utf-8"))["article"]
COLUMNS = ("outstanding", "advanced", "making_progress", "needs_most_improvement")
PAIR_RECALL, EVENT_RECALL = 0.9, 0.8  # the acceptance, over the whole corpus


@dataclass
class Score:
    """How one article was read, against its answer key."""

    file: str
    pairs: set[tuple[str, str]]  # (org, band) stated
    rated: set[tuple[str, str]]  # (org, band) recorded
    events: list[tuple[str, str, str]]  # (org, attribute, what) reported
    happened: set[tuple[str, str, str]]  # recorded
    counts: dict[str, int] | None  # stated, None when none
    counted: dict[str, int] | None  # recorded

    def __repr__(self) -> str:
        return f"Score({self.file})"

    @property
    def found_pairs(self) -> set[tuple[str, str]]:
        """The stated pairs recorded."""
        return self.pairs & self.rated

    @property
    def wrong_pairs(self) -> set[tuple[str, str]]:
        """Recorded pairs the article does not state (another band, or no rating at all)."""
        return self.rated - self.pairs

    @property
    def found_events(self) -> list[tuple[str, str, str]]:
        """The reported events recorded for the right organisation and post."""
        return [
            (org, attribute, what)
            for org, attribute, what in self.events
            if any(
                (o, a) == (org, attribute) and (w == what or w.startswith(what + " "))
                for o, a, w in self.happened
            )
        ]

    def row(self) -> str:
        """One line of the printed table."""
        counts = "-" if self.counts is None and self.counted is None else (
            "exact" if self.counts == self.counted else "WRONG"
        )  # fmt: skip
        return (
            f"{self.file:<24} {len(self.found_pairs):>3}/{len(self.pairs):<3} "
            f"{_share(len(self.found_pairs), len(self.pairs)):>6} {len(self.wrong_pairs):>5}  "
            f"{len(self.found_events):>3}/{len(self.events):<3} "
            f"{_share(len(self.found_events), len(self.events)):>6}  {counts}"
        )


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _expected(answer: dict) -> tuple[set, list, dict | None]:  # type: ignore[type-arg]
    pairs = {(code, band) for band, codes in answer.get("ratings", {}).items() for code in codes}
    events = [tuple(event) for event in answer["events"]]
    counts = answer.get("counts")
    return pairs, events, ({c: counts.get(c) for c in COLUMNS} if counts is not None else None)


def _recorded(db: Database, source: str, publisher: str) -> tuple[set, set, dict | None]:  # type: ignore[type-arg]
    rated = set(
        db.execute(
            "select org_code, value from facts where source = ? and attribute = 'rating.overall'"
            " and retired_at is null",
            [source],
        ).fetchall()
    )
    happened = set(
        db.execute("select org_code, attribute, what from events where source = ?", [source])
    )
    rows = db.execute(
        f"select {', '.join(COLUMNS)} from reported_counts where source = ? and publisher = ?",
        [source, publisher],
    ).fetchall()
    assert len(rows) <= 1, f"{source}: more than one counts row"
    return rated, happened, (dict(zip(COLUMNS, rows[0], strict=True)) if rows else None)


def _source_name(answer: dict) -> str:  # type: ignore[type-arg]
    return Path(answer["file"]).stem


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    """Every article of the corpus ingested into one database, and scored."""
    sources = "".join(
        f'[[source]]\nname = "{_source_name(a)}"\nformat = "article"\nentity = "stp"\n'
        f'scale = "stp-2017"\npublisher = "{a["publisher"]}"\n\n'
        for a in ANSWERS
    )
    tracker = Tracker(tmp_path_factory.mktemp("corpus"), sources)
    found: dict[str, Score] = {}
    for answer in ANSWERS:
        name = _source_name(answer)
        result = tracker.cli("ingest", name, str(CORPUS / answer["file"]), "--as-of", "2017-07-21")
        assert result.exit_code == 0, f"{answer['file']}: {result.output}"
        pairs, events, counts = _expected(answer)
        rated, happened, counted = _recorded(tracker.db, name, answer["publisher"])
        found[answer["file"]] = Score(
            answer["file"], pairs, rated, events, happened, counts, counted
        )
    return found


def test_the_corpus_meets_the_acceptance(scores: dict[str, Score], capsys) -> None:  # type: ignore[no-untyped-def]
    """Over the whole corpus at least 90% of stated pairs are recorded and 80% of reported
    events; the per-article figures are printed."""
    pairs = sum(len(s.pairs) for s in scores.values())
    found = sum(len(s.found_pairs) for s in scores.values())
    wrong = sum(len(s.wrong_pairs) for s in scores.values())
    events = sum(len(s.events) for s in scores.values())
    reported = sum(len(s.found_events) for s in scores.values())
    exact = sum(s.counts == s.counted for s in scores.values())
    lines = [
        f"{'article':<24} {'pairs':>7} {'recall':>6} {'wrong':>5}  {'events':>7} {'recall':>6}"
        "  counts",
        *(score.row() for score in scores.values()),
        f"{'all':<24} {found:>3}/{pairs:<3} {_share(found, pairs):>6} {wrong:>5}  "
        f"{reported:>3}/{events:<3} {_share(reported, events):>6}  {exact}/{len(scores)} exact",
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert found >= PAIR_RECALL * pairs and reported >= EVENT_RECALL * events, "\n".join(lines)


@pytest.mark.parametrize("file", [a["file"] for a in ANSWERS])
def test_no_article_yields_a_wrong_rating(scores: dict[str, Score], file: str) -> None:
    """Every rating recorded from an article is one the article states."""
    assert scores[file].wrong_pairs == set()


@pytest.mark.parametrize("file", [a["file"] for a in ANSWERS])
def test_each_article_counts_exactly_what_it_states(scores: dict[str, Score], file: str) -> None:
    """The band counts recorded under the publisher are the ones the article states."""
    assert scores[file].counted == scores[file].counts


@pytest.mark.parametrize("file", [a["file"] for a in ANSWERS])
def test_each_article_is_mostly_read(scores: dict[str, Score], file: str) -> None:
    """No article loses more than a third of its pairs or of its events."""
    score = scores[file]
    assert 3 * len(score.found_pairs) >= 2 * len(score.pairs), score.pairs - score.rated
    missed = [e for e in score.events if e not in score.found_events]
    assert 3 * len(score.found_events) >= 2 * len(score.events), (missed, score.happened)
