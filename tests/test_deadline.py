"""Slow and hostile servers: one deadline bounds a fetch, cancelling ends it, redirects stay put.

Every case runs against the real fault-serving HTTP server (tests/httpserver.py). Elapsed times
are checked only against generous upper bounds that a fetch without a deadline would blow
through (the servers here would keep going for a minute or more), never as speed targets.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from stp_tracker.errors import FetchError
from stp_tracker.fetch.attempt import allowed_host
from stp_tracker.fetch.http import FetchCancelled, fetch, make_client, seconds_text, user_agent
from tests.httpserver import FixtureServer, fixture_server

SLACK = 5.0  # seconds a stopped fetch may take beyond its deadline on a loaded machine


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A live FixtureServer on 127.0.0.1, stopped after the test."""
    yield from fixture_server()


def timed(**options: Any) -> tuple[Exception, float]:
    """Run a fetch expected to fail; return its error and how long it took."""
    began = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(**options)
    return caught.value, time.monotonic() - began


def test_a_trickling_body_ends_at_the_deadline(server: FixtureServer) -> None:
    """A server sending one byte at a time never times out a read, but the fetch ends at its
    deadline, saying how much had arrived."""
    server.route("/drip.csv", body=b"x" * 1000, trickle=0.2)
    error, seconds = timed(url=server.url("/drip.csv"), deadline=1.5)
    assert re.search(r"gave up fetching http://\S+/drip\.csv at its deadline of 1\.5s", str(error))
    assert re.search(r"still arriving \([1-9]\d* bytes so far\)", str(error))
    assert "raise the source's deadline" in str(error)
    assert seconds < 1.5 + SLACK
    assert server.hits("/drip.csv") == 1  # the deadline is for all attempts: no retry


def test_trickled_headers_end_at_the_deadline(server: FixtureServer) -> None:
    """A server that trickles its status line and headers is stopped at the deadline too."""
    server.route("/slowloris", body=b"never", trickle=0.2, trickle_head=True)
    error, seconds = timed(url=server.url("/slowloris"), deadline=1.5)
    assert "at its deadline of 1.5s" in str(error) and "had not answered yet" in str(error)
    assert seconds < 1.5 + SLACK


def test_a_sleeping_server_ends_at_the_deadline_not_after_every_read_timeout(
    server: FixtureServer,
) -> None:
    """A server that sleeps before answering stops the fetch at its deadline, even though each
    read may wait 30 s and four attempts are allowed."""
    server.route("/asleep", body=b"late", delay=120)
    with make_client(user_agent(), timeout=30.0) as client:
        error, seconds = timed(url=server.url("/asleep"), client=client, deadline=1.0)
    assert "at its deadline of 1s" in str(error)
    assert seconds < 1.0 + SLACK


def test_a_retry_that_would_start_after_the_deadline_is_not_waited_for(
    server: FixtureServer,
) -> None:
    """When the next backoff would end past the deadline the fetch fails now, naming the last
    problem, instead of sleeping into its deadline."""
    server.route("/down", status=503)
    sleeps: list[float] = []
    error, _ = timed(
        url=server.url("/down"), deadline=5.0, backoff=60.0, max_backoff=60.0, sleep=sleeps.append
    )
    assert sleeps == [] and server.hits("/down") == 1
    assert "at its deadline of 5s (1 attempt): the last attempt said: HTTP 503" in str(error)


@pytest.mark.parametrize("how", ["sleeping", "trickling"])
def test_cancelling_stops_a_fetch_promptly(server: FixtureServer, how: str) -> None:
    """Setting the cancel flag ends a fetch blocked on a silent or trickling server within a
    fraction of a second, as FetchCancelled."""
    if how == "sleeping":
        server.route("/slow", body=b"late", delay=120)
    else:
        server.route("/slow", body=b"x" * 1000, trickle=0.2)
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    began = time.monotonic()
    with pytest.raises(FetchCancelled, match="the service is stopping"):
        fetch(server.url("/slow"), cancel=cancel, deadline=120)
    assert time.monotonic() - began < 0.5 + SLACK


def test_a_cancelled_backoff_stops_waiting(server: FixtureServer) -> None:
    """A fetch waiting between retries is woken by the cancel flag and gives up."""
    server.route("/down", status=503)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    began = time.monotonic()
    with pytest.raises(FetchCancelled):
        fetch(server.url("/down"), cancel=cancel, backoff=20.0, max_backoff=20.0, deadline=100)
    assert time.monotonic() - began < 0.3 + SLACK


def test_a_redirect_to_another_host_fails_unless_the_source_allows_it(
    server: FixtureServer,
) -> None:
    """A redirect to a different host name is refused with the host and the key that allows
    it; with redirect_hosts it is followed."""
    server.route("/moved", redirect_to=server.url("/here.csv", host="localhost"))
    server.route("/here.csv", body=b"a,b\n")
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/moved"))
    message = str(caught.value)
    assert "redirected to another host, localhost" in message
    assert 'add redirect_hosts = ["localhost"]' in message
    assert server.hits("/here.csv") == 0
    assert caught.value.status == 302  # type: ignore[attr-defined]
    for allowed in (["localhost"], ["*"]):
        result = fetch(server.url("/moved"), redirect_hosts=allowed)
        assert result.body == b"a,b\n" and result.url == server.url("/here.csv", host="localhost")


def test_redirects_within_the_host_need_no_permission(server: FixtureServer) -> None:
    """A redirect that stays on the source's host is followed as before."""
    server.route("/a", redirect_to=server.url("/b"))
    server.route("/b", redirect_to="/c")
    server.route("/c", body=b"here")
    assert fetch(server.url("/a")).body == b"here"


def test_a_redirect_loop_fails_clearly(server: FixtureServer) -> None:
    """Endless redirects stop after ten with a message saying so."""
    server.route("/loop", redirect_to="/loop")
    with pytest.raises(FetchError, match=r"too many redirects \(more than 10\)"):
        fetch(server.url("/loop"))


@pytest.mark.parametrize(
    ("start", "host", "allowed", "expected"),
    [
        ("data.example.org", "data.example.org", (), True),
        ("data.example.org", "DATA.example.org", (), True),
        ("data.example.org", "cdn.example.net", (), False),
        ("data.example.org", "cdn.example.net", ("cdn.example.net",), True),
        ("data.example.org", "a.cdn.example.net", ("*.cdn.example.net",), True),
        ("data.example.org", "evilcdn.example.net", ("*.cdn.example.net",), False),
        ("data.example.org", "anything.test", ("*",), True),
    ],
)
def test_allowed_redirect_hosts(start: str, host: str, allowed: tuple, expected: bool) -> None:
    """The host itself, listed hosts, '*.domain' subdomains and '*' are allowed; nothing else."""
    assert allowed_host(start, host, allowed) is expected


def test_secrets_in_the_url_are_sent_but_never_shown(server: FixtureServer) -> None:
    """The server gets the real token; the result and every message show it redacted."""
    server.route("/data.csv", body=b"a\n")
    server.route("/gone.csv", status=404)
    url = server.url("/data.csv?api_key=s3cret&year=2017")
    result = fetch(url.replace("http://", "http://user:pw@"))
    assert server.requests[0].path == "/data.csv?api_key=s3cret&year=2017"
    assert result.url == server.url("/data.csv?api_key=REDACTED&year=2017")
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/gone.csv?token=s3cret"))
    assert "s3cret" not in str(caught.value) and "token=REDACTED" in str(caught.value)
    assert "s3cret" not in caught.value.url  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("seconds", "text"), [(20, "20s"), (120, "2m"), (90, "90s"), (3600, "1h"), (1.5, "1.5s")]
)
def test_durations_read_as_they_are_configured(seconds: float, text: str) -> None:
    """A deadline is shown the way a person writes it in sources.toml."""
    assert seconds_text(seconds) == text


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ('deadline = "soon"', "deadline = 'soon' is not a duration"),
        ("deadline = 20", "deadline must be str"),
        ('redirect_hosts = "cdn.example.org"', "redirect_hosts must be list"),
        ('redirect_hosts = [""]', "redirect_hosts must be a list of host names"),
    ],
)
def test_a_sources_fetch_bounds_are_checked(tmp_path, keys: str, message: str) -> None:
    """A wrong deadline or redirect_hosts is a ConfigError naming the file, source and key."""
    from stp_tracker.config.loading import load_config
    from stp_tracker.errors import ConfigError
    from tests.ratings import write_config

    folder = write_config(tmp_path / "config", source_table(keys))
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_config(folder, environ={})
    assert "sources.toml" in str(caught.value) and "'dash'" in str(caught.value)


def source_table(extra: str) -> str:
    """A ratings source with `extra` TOML lines."""
    from tests.ratings import source

    return source("dash", "https://data.example.org/dash.csv").replace(
        "[source.columns]", f"{extra}\n[source.columns]"
    )


def test_fetch_bounds_and_tracker_settings_load(tmp_path) -> None:
    """deadline and redirect_hosts reach the source; fetchers and redact_params reach the
    tracker, from tracker.toml or the environment."""
    from stp_tracker.config.loading import load_config
    from tests.ratings import write_config

    folder = write_config(
        tmp_path / "config", source_table('deadline = "20s"\nredirect_hosts = ["cdn.example.org"]')
    )
    (folder / "tracker.toml").write_text('[tracker]\nfetchers = 2\nredact_params = ["year"]\n')
    config = load_config(folder, environ={})
    source = config.source("dash")
    assert (source.deadline_seconds, source.redirect_hosts) == (20, ("cdn.example.org",))
    assert (config.tracker.fetchers, config.tracker.redact_params) == (2, ("year",))
    environ = {"STP_TRACKER_FETCHERS": "6", "STP_TRACKER_REDACT_PARAMS": "key, token"}
    tracker = load_config(folder, environ=environ).tracker
    assert (tracker.fetchers, tracker.redact_params) == (6, ("key", "token"))
    assert (
        load_config(write_config(tmp_path / "plain", source_table("")), environ={})
        .source("dash")
        .deadline_seconds
        == 120
    )
