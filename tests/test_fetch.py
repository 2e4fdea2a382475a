"""Fetching against a real local HTTP server: validators, retries, limits and failures."""

from __future__ import annotations

import email.utils
import os
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from stp_tracker.errors import FetchError, StpTrackerError
from stp_tracker.fetch.http import FetchResult, Validators, fetch, make_client, user_agent
from tests.httpserver import FixtureServer, closed_port, fixture_server

ETAG = '"v1"'
LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"
MEGABYTE = b"x" * (1024 * 1024)
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A live FixtureServer on 127.0.0.1, stopped after the test."""
    yield from fixture_server()


@pytest.fixture
def sleeps() -> list[float]:
    """The delays a fake sleep was asked for, in order."""
    return []


@pytest.fixture
def quick(sleeps: list[float]) -> Any:
    """`fetch` with a recording fake sleep and a seeded rng, so tests never really wait."""

    def run(url: str, **options: Any) -> FetchResult:
        options.setdefault("sleep", sleeps.append)
        options.setdefault("rng", random.Random(1))
        return fetch(url, **options)

    return run


def test_ok_response_records_body_and_metadata(server: FixtureServer, quick: Any) -> None:
    """A 200 returns the body, status, validators, content type and one attempt."""
    server.route(
        "/data.csv",
        body=b"code,name\nQE1,North\n",
        etag=ETAG,
        last_modified=LAST_MODIFIED,
        headers={"Content-Type": "text/csv"},
    )
    result = quick(server.url("/data.csv"))
    assert result.body == b"code,name\nQE1,North\n"
    assert (result.status, result.attempts, result.not_modified) == (200, 1, False)
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)
    assert result.content_type == "text/csv"
    assert result.url == server.url("/data.csv")
    assert ISO_UTC.match(result.started_at) and ISO_UTC.match(result.finished_at)
    assert result.started_at <= result.finished_at


def test_timestamps_come_from_the_clock(server: FixtureServer, quick: Any) -> None:
    """started_at / finished_at are the injected clock's readings as ISO UTC with microseconds."""
    server.route("/a", body=b"a")
    moments = iter(
        [datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC), datetime(2026, 11, 23, 10, 0, 1)]
    )
    result = quick(server.url("/a"), clock=lambda: next(moments))
    assert result.started_at == "2026-11-23T10:00:00.123456+00:00"
    assert result.finished_at == "2026-11-23T10:00:01.000000+00:00"


@pytest.mark.parametrize(
    ("route", "validators", "header"),
    [
        ({"etag": ETAG}, Validators(etag=ETAG), "If-None-Match"),
        (
            {"last_modified": LAST_MODIFIED},
            Validators(last_modified=LAST_MODIFIED),
            "If-Modified-Since",
        ),
    ],
    ids=["etag", "last-modified"],
)
def test_conditional_request_gets_not_modified(
    server: FixtureServer, quick: Any, route: dict[str, str], validators: Validators, header: str
) -> None:
    """Validators from the last fetch are sent back and a 304 comes back as not_modified."""
    server.route("/data", body=b"payload", **route)
    first = quick(server.url("/data"))
    assert Validators(etag=first.etag, last_modified=first.last_modified) == validators
    second = quick(server.url("/data"), validators=validators)
    assert second.not_modified and second.body is None and second.status == 304
    assert (second.etag, second.last_modified) == (validators.etag, validators.last_modified)
    sent = server.requests_for("/data")[1].headers
    assert sent[header] == (validators.etag or validators.last_modified)


def test_stale_etag_gets_the_new_body(server: FixtureServer, quick: Any) -> None:
    """When the source's ETag has changed, the conditional request returns the full new body."""
    server.route("/data", body=b"new", etag='"v2"')
    result = quick(server.url("/data"), validators=Validators(etag=ETAG))
    assert (result.body, result.etag, result.not_modified) == (b"new", '"v2"', False)


def test_no_conditional_headers_without_validators(server: FixtureServer, quick: Any) -> None:
    """A first fetch sends neither If-None-Match nor If-Modified-Since."""
    server.route("/data", body=b"x", etag=ETAG)
    quick(server.url("/data"))
    headers = server.requests[0].headers
    assert headers.get("If-None-Match") is None and headers.get("If-Modified-Since") is None


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_followed(server: FixtureServer, quick: Any, status: int) -> None:
    """Redirects are followed and the final URL is what the result records."""
    server.route("/old", redirect_to="/new", status=status)
    server.route("/new", body=b"moved here")
    result = quick(server.url("/old"))
    assert result.body == b"moved here"
    assert result.url == server.url("/new")


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_transient_status_is_retried_with_backoff(
    server: FixtureServer, quick: Any, sleeps: list[float], status: int
) -> None:
    """Two 5xx/429 answers then a 200 succeed on attempt 3 after two jittered backoff sleeps."""
    server.route(
        "/flaky",
        sequence=[{"status": status}, {"status": status}, {"body": b"finally"}],
    )
    result = quick(server.url("/flaky"), backoff=0.5)
    assert (result.body, result.attempts) == (b"finally", 3)
    assert server.hits("/flaky") == 3
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_backoff_is_capped_and_failure_names_url_status_and_attempts(
    server: FixtureServer, quick: Any, sleeps: list[float]
) -> None:
    """After the last retry a FetchError names the URL, status and attempts; delays stay capped."""
    server.route("/down", status=503)
    url = server.url("/down")
    with pytest.raises(FetchError) as caught:
        quick(url, retries=4, backoff=1.0, max_backoff=2.0)
    error: Any = caught.value
    assert (error.status, error.attempts, error.url) == (503, 5, url)
    assert url in str(error) and "503" in str(error) and "5 attempts" in str(error)
    assert len(sleeps) == 4 and all(delay <= 2.0 for delay in sleeps)
    assert server.hits("/down") == 5


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "Not Found"), (403, "Forbidden"), (410, "Gone")]
)
def test_client_error_fails_at_once(
    server: FixtureServer, quick: Any, sleeps: list[float], status: int, reason: str
) -> None:
    """A 4xx other than 429 raises FetchError immediately, after exactly one request."""
    server.route("/missing", status=status)
    url = server.url("/missing")
    with pytest.raises(FetchError, match=re.escape(f"HTTP {status} {reason} from {url}")) as caught:
        quick(url)
    error: Any = caught.value
    assert (error.status, error.attempts) == (status, 1)
    assert server.hits("/missing") == 1 and sleeps == []


def _http_date(moment: datetime) -> str:
    return email.utils.format_datetime(moment, usegmt=True)


NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [
        (429, "1", 1.0),
        (503, "2", 2.0),
        (429, _http_date(NOW + timedelta(seconds=7)), 7.0),
        (429, _http_date(NOW - timedelta(seconds=7)), 0.0),
        (429, "30", 30.0),
    ],
    ids=["429-seconds", "503-seconds", "http-date", "date-in-past", "at-the-cap"],
)
def test_retry_after_is_honoured(
    server: FixtureServer,
    quick: Any,
    sleeps: list[float],
    status: int,
    retry_after: str,
    expected: float,
) -> None:
    """A 429/503 with Retry-After up to max_backoff waits exactly that long, then succeeds."""
    server.route(
        "/busy",
        sequence=[{"status": status, "headers": {"Retry-After": retry_after}}, {"body": b"ok"}],
    )
    result = quick(server.url("/busy"), clock=lambda: NOW, max_backoff=30.0)
    assert (result.body, result.attempts) == (b"ok", 2)
    assert sleeps == [expected]


@pytest.mark.parametrize("retry_after", ["31", "86400", _http_date(NOW + timedelta(days=1))])
def test_a_retry_after_beyond_the_cap_is_reported_not_shortened(
    server: FixtureServer, quick: Any, sleeps: list[float], retry_after: str
) -> None:
    """A Retry-After longer than max_backoff fails the fetch at once, saying what was asked."""
    server.route("/busy", status=503, headers={"Retry-After": retry_after})
    with pytest.raises(
        FetchError, match=r"asked to be asked again in .*Retry-After.*30s"
    ) as caught:
        quick(server.url("/busy"), clock=lambda: NOW, max_backoff=30.0)
    assert "HTTP 503" in str(caught.value) and "next scheduled run" in str(caught.value)
    assert sleeps == [] and server.hits("/busy") == 1


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_body_over_the_limit_is_refused(server: FixtureServer, quick: Any, chunked: bool) -> None:
    """A body over max_bytes raises FetchError naming the limit, with or without Content-Length."""
    server.route("/huge", body=MEGABYTE, chunked=chunked)
    url = server.url("/huge")
    with pytest.raises(FetchError, match=r"larger than the limit of 1000 bytes") as caught:
        quick(url, max_bytes=1000)
    assert url in str(caught.value)
    assert server.hits("/huge") == 1  # a size limit is not worth retrying


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_body_at_the_limit_is_accepted(server: FixtureServer, quick: Any, chunked: bool) -> None:
    """A body of exactly max_bytes is fine: the limit is inclusive."""
    server.route("/big", body=MEGABYTE, chunked=chunked)
    assert quick(server.url("/big"), max_bytes=len(MEGABYTE)).body == MEGABYTE


def test_truncated_response_fails_after_retries(
    server: FixtureServer, quick: Any, sleeps: list[float]
) -> None:
    """A body shorter than its Content-Length is retried, then reported as incomplete/truncated."""
    server.route("/cut", body=b"partial body", truncate=True)
    with pytest.raises(FetchError, match=r"incomplete \(truncated\)") as caught:
        quick(server.url("/cut"), retries=2)
    error: Any = caught.value
    assert (error.attempts, error.status) == (3, None)
    assert server.hits("/cut") == 3 and len(sleeps) == 2


def test_truncated_then_complete_succeeds(server: FixtureServer, quick: Any) -> None:
    """A one-off truncated response is retried and the complete retry wins."""
    server.route("/cut", sequence=[{"body": b"part", "truncate": True}, {"body": b"whole"}])
    result = quick(server.url("/cut"))
    assert (result.body, result.attempts) == (b"whole", 2)


def test_slow_server_times_out(server: FixtureServer, quick: Any) -> None:
    """A server slower than the client's read timeout gives a FetchError about the timeout."""
    server.route("/slow", body=b"late", delay=2.0)
    with (
        make_client(user_agent(), timeout=0.5, connect_timeout=0.5) as client,
        pytest.raises(FetchError, match=r"timed out") as caught,
    ):
        quick(server.url("/slow"), client=client, retries=0)
    assert caught.value.attempts == 1  # type: ignore[attr-defined]


def test_connection_refused_fails_after_retries(quick: Any, sleeps: list[float]) -> None:
    """Nothing listening on the port: retried, then a FetchError saying it could not connect."""
    url = f"http://127.0.0.1:{closed_port()}/data"
    with pytest.raises(FetchError, match=r"could not connect") as caught:
        quick(url, retries=2)
    error: Any = caught.value
    assert (error.attempts, error.status, error.url) == (3, None, url)
    assert "3 attempts" in str(error) and url in str(error)
    assert len(sleeps) == 2


def test_user_agent_is_sent_by_the_default_client(server: FixtureServer, quick: Any) -> None:
    """Without a client, fetch makes one that announces the stp-tracker User-Agent."""
    server.route("/ua", body=b"x")
    quick(server.url("/ua"))
    assert server.requests[0].headers["User-Agent"] == user_agent()


def test_user_agent_is_sent_by_make_client(server: FixtureServer, quick: Any) -> None:
    """make_client's User-Agent (with a contact) reaches the server."""
    server.route("/ua", body=b"x")
    agent = user_agent("ops@example.org")
    with make_client(agent) as client:
        quick(server.url("/ua"), client=client)
    assert server.requests[0].headers["User-Agent"] == agent


@pytest.mark.parametrize(
    ("contact", "suffix"),
    [("", "(+https://github.com/stp-tracker)"), ("ops@example.org", "; ops@example.org)")],
)
def test_user_agent_format(contact: str, suffix: str) -> None:
    """The User-Agent names the project, its version, its home page and an optional contact."""
    agent = user_agent(contact)
    assert re.match(r"^stp-tracker/[\w.+-]+ \(\+https://github\.com/stp-tracker", agent)
    assert agent.endswith(suffix)


@pytest.mark.parametrize("as_url", [Path.as_uri, str], ids=["file-url", "plain-path"])
def test_local_files_are_read(tmp_path: Path, quick: Any, as_url: Any) -> None:
    """file:// URLs and plain paths read the file, with no HTTP status; the recorded URL is
    only the file's name, so no local folder is published."""
    path = tmp_path / "sources file.csv"
    path.write_bytes(b"a,b\n1,2\n")
    result = quick(as_url(path))
    assert (result.body, result.status, result.attempts) == (b"a,b\n1,2\n", None, 1)
    assert result.url == "sources file.csv" and result.content_type == "text/csv"


@pytest.mark.parametrize("as_url", [Path.as_uri, str], ids=["file-url", "plain-path"])
def test_missing_local_file(tmp_path: Path, quick: Any, as_url: Any) -> None:
    """A missing local file raises FetchError '<name>: file not found', without its folder."""
    path = tmp_path / "nope.csv"
    with pytest.raises(FetchError, match=r"^nope\.csv: file not found$"):
        quick(as_url(path))


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_only_regular_files_are_read(tmp_path: Path, quick: Any, kind: str) -> None:
    """A named pipe (which would block for ever) or a folder fails at once, naming the file."""
    path = tmp_path / "odd.csv"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    with pytest.raises(FetchError, match=r"^odd\.csv: not a regular file"):
        quick(str(path))


def test_local_file_over_the_limit(tmp_path: Path, quick: Any) -> None:
    """max_bytes applies to local files too."""
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(FetchError, match=r"larger than the limit of 1000 bytes"):
        quick(str(path), max_bytes=1000)


def test_unsupported_scheme(quick: Any) -> None:
    """A URL scheme other than http, https or file is a FetchError, not an httpx exception."""
    with pytest.raises(FetchError, match=r"unsupported URL scheme 'ftp'"):
        quick("ftp://example.org/data.csv")


def test_fetch_error_is_a_project_error(server: FixtureServer, quick: Any) -> None:
    """Failures are FetchError (a StpTrackerError), never a raw httpx exception."""
    server.route("/gone", status=404)
    with pytest.raises(StpTrackerError) as caught:
        quick(server.url("/gone"))
    assert isinstance(caught.value, FetchError)
    assert not isinstance(caught.value, httpx.HTTPError)


def test_server_records_unknown_paths_as_404(server: FixtureServer) -> None:
    """The fixture server answers unregistered paths with 404 and still records the request."""
    with httpx.Client() as client:
        response = client.get(server.url("/nowhere?x=1"))
    assert response.status_code == 404
    assert [(req.method, req.path) for req in server.requests] == [("GET", "/nowhere?x=1")]
