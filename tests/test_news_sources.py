"""News sources end to end: articles ingested from files, a feed served over HTTP, and what
the database and Datasette then say (real files, a real SQLite database, a real server)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from stp_tracker.cli import main
from stp_tracker.config.loading import load_config
from stp_tracker.errors import ConfigError
from stp_tracker.service.collect import collect_source
from stp_tracker.store.apply import open_db
from tests.conftest import REPO, snapshot
from tests.httpserver import FixtureServer, fixture_server
from tests.test_news import LEADERSHIP, LEAGUE_RATINGS, LEAGUE_TABLE

SOURCES = """
[[source]]
name = "weekly"
title = "Health Weekly articles"
format = "article"
entity = "stp"
scale = "stp-2017"
publisher = "Health Weekly"

[[source]]
name = "daily"
title = "Care Daily articles"
format = "article"
entity = "stp"
scale = "stp-2017"
publisher = "Care Daily"

[[source]]
name = "site"
title = "Articles whose pages name their site"
format = "article"
entity = "stp"
scale = "stp-2017"
"""
PAGE = """<!doctype html><html><head><title>Ratings | Care Daily</title>
<meta property="og:site_name" content="Care Daily">
<meta property="article:published_time" content="2017-07-20T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav><article><h1>Ratings</h1>
<p>NHS England has published the first assessment of every partnership in England.</p>
<p>Somerset was rated advanced by NHS England, the dashboard published today shows.</p>
</article><footer>Copyright Care Daily</footer></body></html>"""


class Tracker:
    """A config folder and database driven through the command line."""

    def __init__(self, root: Path, sources: str) -> None:
        self.config_dir = root / "config"
        self.config_dir.mkdir()
        shutil.copy(REPO / "config" / "scales.toml", self.config_dir)
        (self.config_dir / "sources.toml").write_text(sources, encoding="utf-8")
        self.db_path = root / "stp.db"
        self.root = root
        assert self.cli("init").exit_code == 0

    def cli(self, *args: str):  # type: ignore[no-untyped-def]
        """Run a verb against this tracker's database and configuration."""
        return CliRunner().invoke(
            main, [*args, "--db", str(self.db_path), "--config", str(self.config_dir)]
        )

    def ingest(self, source: str, text: str, name: str = "a.txt", *options: str):  # type: ignore[no-untyped-def]
        """Write an article file and ingest it."""
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        return self.cli("ingest", source, str(path), *options)

    @property
    def db(self) -> Database:
        """The database, opened afresh."""
        return open_db(self.db_path)


@pytest.fixture
def tracker(tmp_path: Path) -> Tracker:
    """A tracker with two trade papers' article sources and one that names no publisher."""
    return Tracker(tmp_path, SOURCES)


def believed(db: Database, source: str, attribute: str = "rating.overall") -> dict[str, str]:
    """org code -> value of the believed facts of one source and attribute."""
    return dict(
        db.execute(
            "select org_code, value from facts where source = ? and attribute = ? "
            "and retired_at is null",
            [source, attribute],
        ).fetchall()
    )


def test_an_article_source_needs_no_columns(tmp_path: Path) -> None:
    """article and feed sources need no [source.columns]; other formats still do, and an
    article source given columns is told it reads its text instead."""
    config = Tracker(tmp_path, SOURCES).config_dir
    assert load_config(config, environ={}).source("weekly").columns == {}
    (config / "sources.toml").write_text(
        '[[source]]\nname = "x"\nformat = "article"\n[source.columns]\n"A" = "org.name"\n'
    )
    with pytest.raises(ConfigError, match="reads organisations from its text"):
        load_config(config, environ={})
    (config / "sources.toml").write_text('[[source]]\nname = "x"\nformat = "csv"\n')
    with pytest.raises(ConfigError, match="columns must map"):
        load_config(config, environ={})


def test_ingesting_an_article_records_its_ratings_and_counts(tracker: Tracker) -> None:
    """`ingest SOURCE FILE --as-of` records the article's ratings as facts of the source,
    dated by --as-of with the sentence in note, and its counts under the publisher."""
    result = tracker.ingest("weekly", LEAGUE_TABLE, "a.txt", "--as-of", "2017-07-21")
    assert result.exit_code == 0, result.output
    db = tracker.db
    assert believed(db, "weekly") == LEAGUE_RATINGS
    dates = db.execute("select distinct valid_from, publisher from facts where source = 'weekly'")
    assert dates.fetchall() == [("2017-07-21", "Health Weekly")]
    counts = db.execute(
        "select outstanding, advanced, making_progress, needs_most_improvement, source "
        "from reported_counts where publisher = 'Health Weekly'"
    ).fetchall()
    assert counts == [(5, 20, 14, 5, "weekly")]
    assert db.execute("select outcome from fetches order by id desc").fetchone() == ("changed",)


def test_the_same_article_again_records_nothing(tracker: Tracker) -> None:
    """Ingesting an article twice leaves the history as the first time left it."""
    tracker.ingest("weekly", LEAGUE_TABLE, "a.txt", "--as-of", "2017-07-21")
    before = snapshot(tracker.db)
    result = tracker.ingest("weekly", LEAGUE_TABLE, "a.txt", "--as-of", "2017-07-21")
    assert result.exit_code == 0 and snapshot(tracker.db) == before


def test_two_articles_of_one_day_add_up(tracker: Tracker) -> None:
    """A second article of the same source and day adds its facts and keeps the first's."""
    tracker.ingest("weekly", LEAGUE_TABLE, "a.txt", "--as-of", "2017-07-21")
    result = tracker.ingest("weekly", LEADERSHIP, "b.txt", "--as-of", "2017-07-21")
    assert result.exit_code == 0, result.output
    db = tracker.db
    assert believed(db, "weekly") == LEAGUE_RATINGS
    assert believed(db, "weekly", "leader.chair") == {"E54000009": "Sir Robert Example CBE"}
    events = db.execute("select count(*) from events where source = 'weekly'").fetchone()[0]
    assert events == 14


def test_two_publishers_that_disagree_are_conflicts(tracker: Tracker) -> None:
    """Different bands, and different counts, from two publishers appear in source_conflicts
    and in the answer to 'what the press said'."""
    tracker.ingest("weekly", LEAGUE_TABLE, "a.txt", "--as-of", "2017-07-21")
    other = "Somerset was rated advanced. Twenty-two were rated advanced, the paper found."
    assert tracker.ingest("daily", other, "b.txt", "--as-of", "2017-07-21").exit_code == 0
    db = tracker.db
    rows = db.execute(
        "select org_code, attribute, source_a, value_a, source_b, value_b from source_conflicts "
        "where source_a in ('daily', 'Care Daily') or source_b in ('daily', 'Care Daily')"
    ).fetchall()
    assert ("E54000038", "rating.overall", "daily", "Advanced", "weekly", "Making progress") in rows
    assert (None, "count.advanced", "Care Daily", "22", "Health Weekly", "20") in rows


def test_an_unknown_name_is_unmatched_and_the_rest_applies(tracker: Tracker) -> None:
    """A name that resolves to nothing is kept in unmatched with its sentence; the article
    still applies what it states about known organisations."""
    text = "Wessex and Solent and Dorset were rated outstanding."
    result = tracker.ingest("weekly", text, "a.txt", "--as-of", "2017-07-21")
    assert result.exit_code == 0, result.output
    db = tracker.db
    assert believed(db, "weekly") == {"E54000041": "Outstanding"}
    assert db.execute("select name, row, context from unmatched").fetchall() == [
        ("Wessex and Solent", 1, text)
    ]


def test_an_empty_article_fails_and_changes_nothing(tracker: Tracker) -> None:
    """An empty file is an error naming it; only its fetch row is added."""
    before = snapshot(tracker.db)
    result = tracker.ingest("weekly", "  \n", "empty.txt", "--as-of", "2017-07-21")
    assert result.exit_code != 0 and "empty.txt" in result.output and "empty" in result.output
    assert "Traceback" not in result.output and snapshot(tracker.db) == before


def test_an_undated_article_needs_a_date(tracker: Tracker) -> None:
    """A plain-text article with no --as-of and no configured date is refused, saying how."""
    result = tracker.ingest("weekly", "Dorset was rated outstanding.", "a.txt")
    assert result.exit_code != 0 and "--as-of" in result.output


def test_a_web_page_gives_its_date_and_site_name(tracker: Tracker) -> None:
    """An HTML article's main text is read, dated and published by its page's metadata."""
    result = tracker.ingest("site", PAGE, "page.html")
    assert result.exit_code == 0, result.output
    rows = tracker.db.execute(
        "select org_code, value, valid_from, publisher from facts where source = 'site'"
    ).fetchall()
    assert rows == [("E54000038", "Advanced", "2017-07-20", "Care Daily")]


def test_an_article_stating_nothing_is_skipped(tracker: Tracker) -> None:
    """An article the rules read nothing from is recorded as skipped, not failed."""
    result = tracker.ingest("weekly", "Parking charges rose.", "a.txt", "--as-of", "2017-07-21")
    assert result.exit_code == 0, result.output
    assert tracker.db.execute("select outcome from fetches order by id desc").fetchone() == (
        "skipped",
    )


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Care Daily</title>
<link>{base}</link><description>News</description>
<item><title>Parking</title><link>{base}parking</link><guid>cd-1</guid>
<pubDate>Thu, 20 Jul 2017 08:00:00 GMT</pubDate></item>
<item><title>League table</title><link>{base}league</link><guid>cd-2</guid>
<pubDate>Fri, 21 Jul 2017 08:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}gone</link><guid>cd-3</guid>
<pubDate>Sat, 22 Jul 2017 08:00:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """The test HTTP server."""
    yield from fixture_server()


def test_a_feed_reads_each_new_item_once(tmp_path: Path, server: FixtureServer) -> None:
    """New items are fetched (at most max_items a run, oldest first) and read as articles; an
    item about nothing known is skipped; a failing one is retried next run; the feed is asked
    for conditionally and items already read are never fetched again."""
    server.route("feed.xml", FEED.format(base=server.url("/")), etag='"v1"')
    server.route("parking", "Car parking charges rose again.", etag='"p"')
    server.route("league", LEAGUE_TABLE)
    server.route("gone", "not here", status=404)
    sources = (
        f'[[source]]\nname = "cd"\nurl = "{server.url("feed.xml")}"\nformat = "feed"\n'
        'scale = "stp-2017"\npublisher = "Care Daily"\nmax_items = 2\n'
    )
    tracker = Tracker(tmp_path, sources)
    config = load_config(tracker.config_dir, environ={})
    no_pause: list[float] = []

    def run() -> None:
        collect_source(tracker.db, config, config.source("cd"), sleep=no_pause.append)

    run()
    db = tracker.db
    states = dict(db.execute("select guid, state from feed_items").fetchall())
    assert states == {"cd-1": "skipped", "cd-2": "read", "cd-3": "pending"}
    assert believed(db, "cd") == LEAGUE_RATINGS
    assert db.execute("select distinct valid_from from facts where source = 'cd'").fetchall() == [
        ("2017-07-21",)
    ]
    run()
    run()
    assert server.requests_for("feed.xml")[-1].headers["If-None-Match"] == '"v1"'
    assert (server.hits("parking"), server.hits("league"), server.hits("gone")) == (1, 1, 2)
    db = tracker.db
    assert db.execute("select state, attempts from feed_items where guid = 'cd-3'").fetchone() == (
        "pending",
        2,
    )
    outcomes = db.execute("select item, outcome from fetches where source = 'cd' order by id")
    assert [row for row in outcomes.fetchall() if row[0]] == [
        ("cd-1", "skipped"), ("cd-2", "changed"), ("cd-3", "failed"), ("cd-3", "failed"),
    ]  # fmt: skip
    assert 1.0 in no_pause  # a pause between two item requests


def test_a_rebuild_replays_articles_and_feed_items(tmp_path: Path, server: FixtureServer) -> None:
    """Rebuilding from the archive gives the same news facts, events and feed memory."""
    server.route("feed.xml", FEED.format(base=server.url("/")))
    server.route("parking", "Car parking charges rose again.")
    server.route("league", LEAGUE_TABLE)
    server.route("gone", LEADERSHIP)
    sources = (
        f'[[source]]\nname = "cd"\nurl = "{server.url("feed.xml")}"\nformat = "feed"\n'
        'scale = "stp-2017"\npublisher = "Care Daily"\n' + SOURCES
    )
    tracker = Tracker(tmp_path, sources)
    config = load_config(tracker.config_dir, environ={})
    collect_source(tracker.db, config, config.source("cd"), sleep=lambda _: None)
    tracker.ingest("weekly", LEAGUE_TABLE, "a.txt", "--as-of", "2017-07-21")
    tables = ("facts", "events", "feed_items", "reported_counts")
    before = {t: v for t, v in snapshot(tracker.db).items() if t in tables}
    assert tracker.cli("rebuild").exit_code == 0
    assert {t: v for t, v in snapshot(tracker.db).items() if t in tables} == before
