"""Fetch one source over HTTP (or from a local file), politely and within limits.

Network only: plain data in, a `FetchResult` out, and every failure a `FetchError` whose message
a person can act on. Transient failures (timeouts, dropped connections, 5xx, 429) are retried
with capped exponential backoff; conditional headers make an unchanged source cost a 304. One
deadline bounds a fetch with all its attempts (transport.py enforces it on every socket read),
a cancel flag stops it early, redirects leave the source's host only where the source allows,
and every message shows the URL as it may be published (redact.py).
"""

from __future__ import annotations

import mimetypes
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx

from ..errors import FetchError
from ..redact import DEFAULT_SECRET_PARAMS, is_local, public_url
from .attempt import Fatal, Request, Retry, Stop, attempt
from .local import read_path
from .transport import Bounds, Stopped, bound_client, bounded

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_DEADLINE = 120.0  # seconds for one fetch, all attempts included
PROJECT_URL = "https://github.com/stp-tracker"


@dataclass(frozen=True)
class Validators:
    """Cache validators from the last successful fetch, sent back as conditional headers."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """What one fetch got: the body (None when not modified) and the metadata worth keeping."""

    url: str
    status: int | None
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    started_at: str
    finished_at: str
    attempts: int
    not_modified: bool


class FetchFailed(FetchError):
    """A FetchError carrying what the caller records on the fetch's row.

    `status` is the last HTTP status seen (None for network and file errors) and `attempts`
    the number of tries made before giving up.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None, attempts: int = 0):
        super().__init__(message)
        self.url, self.status, self.attempts = url, status, attempts


class FetchCancelled(FetchFailed):
    """The fetch was stopped before it finished because the service is stopping."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    """ISO 8601 UTC text with microseconds always present, so timestamps sort as text."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def user_agent(contact: str = "") -> str:
    """The User-Agent we announce, so a publisher can see who is fetching and how to reach us."""
    try:
        version = metadata.version("stp-tracker")
    except metadata.PackageNotFoundError:
        version = "0"
    details = "; ".join(part for part in (f"+{PROJECT_URL}", contact.strip()) if part)
    return f"stp-tracker/{version} ({details})"


def make_client(
    user_agent: str, timeout: float = 30.0, connect_timeout: float = 10.0
) -> httpx.Client:
    """An httpx client that identifies itself, never waits forever and honours fetch bounds.

    `timeout` bounds each read/write/pool wait and `connect_timeout` the TCP/TLS connect; a
    fetch's deadline and cancel flag apply on top (see transport.py). Redirects are followed
    by `fetch` itself, which checks where each one leads. The caller owns the client and must
    close it (use it as a context manager).
    """
    client = httpx.Client(
        headers={"User-Agent": user_agent},
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        follow_redirects=False,
    )
    return bound_client(client)


def seconds_text(seconds: float) -> str:
    """A duration as a person writes it in the configuration: 90s, 2m, 1h."""
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    validators: Validators = Validators(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int = 3,
    backoff: float = 0.5,
    max_backoff: float = 30.0,
    deadline: float = DEFAULT_DEADLINE,
    cancel: threading.Event | None = None,
    redirect_hosts: Iterable[str] = (),
    secret_params: Iterable[str] = DEFAULT_SECRET_PARAMS,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], datetime] = _utc_now,
    rng: random.Random | None = None,
) -> FetchResult:
    """Fetch `url` (http, https, file:// or a plain path) into a FetchResult, or raise FetchError.

    HTTP fetches send `validators` as If-None-Match / If-Modified-Since and report a 304 as
    ``not_modified`` with no body. Bodies over `max_bytes` are refused without being read
    whole. Timeouts, dropped or truncated connections, 5xx and 429 are retried up to `retries`
    times, sleeping ``min(max_backoff, backoff * 2**n) * U(0.5, 1)`` between tries, or exactly
    a 429/503's Retry-After (a longer Retry-After fails the fetch, saying so). Other 4xx fail at
    once. The whole fetch ends after `deadline` seconds, or as soon as `cancel` is set
    (FetchCancelled). Redirects to another host fail unless it is in `redirect_hosts` ("*" for
    any, "*.example.org" for its subdomains). When no `client` is given a default one (see
    `make_client`) is made for this call and closed afterwards.
    """
    shown = public_url(url, secret_params) or url
    bounds = Bounds(time.monotonic() + deadline, cancel)
    if is_local(url):
        return _read_file(url, shown, max_bytes, bounds, deadline, clock)
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchFailed(
            f"cannot fetch {shown}: unsupported URL scheme {scheme!r} (use http, https or file)",
            url=shown,
        )
    if client is None:
        with make_client(user_agent()) as own_client:
            return fetch(
                url, client=own_client, validators=validators, max_bytes=max_bytes,
                retries=retries, backoff=backoff, max_backoff=max_backoff, deadline=deadline,
                cancel=cancel, redirect_hosts=redirect_hosts, secret_params=secret_params,
                sleep=sleep, clock=clock, rng=rng,
            )  # fmt: skip
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    request = Request(
        url, shown, client, headers, max_bytes, tuple(redirect_hosts), tuple(secret_params), clock
    )
    pause: Callable[[float], object] = sleep or (cancel.wait if cancel is not None else time.sleep)
    policy = _Policy(retries, backoff, max_backoff, deadline, bounds)
    return _attempts(request, validators, policy, pause, rng or random.Random())


@dataclass(frozen=True)
class _Policy:
    """How a fetch retries: how often, how long it waits between tries, and its deadline."""

    retries: int
    backoff: float
    max_backoff: float
    deadline: float
    bounds: Bounds


def _attempts(
    request: Request,
    validators: Validators,
    policy: _Policy,
    sleep: Callable[[float], Any],
    rng: random.Random,
) -> FetchResult:
    """Try the request until it succeeds, fails for good, or its bounds pass."""
    started = request.clock()
    attempts = 0
    while True:
        attempts += 1
        try:
            with bounded(policy.bounds):
                response, body = attempt(request)
        except Stop as stop:
            raise _stopped(request, stop.why, policy.deadline, attempts, stop.state) from None
        except Fatal as fatal:
            raise FetchFailed(
                fatal.problem, url=request.shown, status=fatal.status, attempts=attempts
            ) from fatal.__cause__
        except Retry as retry:
            sleep(_delay_before_retry(request, retry, attempts, policy, rng))
            if policy.bounds.cancel is not None and policy.bounds.cancel.is_set():
                raise _stopped(request, "cancelled", policy.deadline, attempts, "") from None
            continue
        not_modified = response.status_code == 304
        return FetchResult(
            url=request.public(str(response.url)),
            status=response.status_code,
            body=body,
            etag=response.headers.get("etag") or (validators.etag if not_modified else None),
            last_modified=response.headers.get("last-modified")
            or (validators.last_modified if not_modified else None),
            content_type=response.headers.get("content-type"),
            started_at=_iso(started),
            finished_at=_iso(request.clock()),
            attempts=attempts,
            not_modified=not_modified,
        )


def _delay_before_retry(
    request: Request, retry: Retry, attempts: int, policy: _Policy, rng: random.Random
) -> float:
    """Seconds to wait before the next attempt, or FetchFailed when there will be none: out
    of retries, asked to wait longer than max_backoff, or the wait would pass the deadline."""
    tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
    if attempts > max(0, policy.retries):
        raise FetchFailed(
            f"could not fetch {request.shown} after {tries}: {retry.problem}",
            url=request.shown,
            status=retry.status,
            attempts=attempts,
        ) from retry.__cause__
    if retry.wait is not None and retry.wait > policy.max_backoff:
        raise FetchFailed(
            f"{retry.problem} from {request.shown}: the server asked to be asked again in "
            f"{seconds_text(round(retry.wait))} (Retry-After), longer than the "
            f"{seconds_text(policy.max_backoff)} one fetch waits; the next scheduled run will "
            "try again",
            url=request.shown,
            status=retry.status,
            attempts=attempts,
        )
    if retry.wait is not None:
        delay = retry.wait
    else:
        delay = min(policy.max_backoff, policy.backoff * 2 ** (attempts - 1))
        delay *= rng.uniform(0.5, 1)
    if delay >= policy.bounds.remaining():
        state = f"the last attempt said: {retry.problem}"
        raise _stopped(request, "deadline", policy.deadline, attempts, state)
    return delay


def _stopped(request: Request, why: str, deadline: float, attempts: int, state: str) -> FetchFailed:
    """The error for a fetch stopped by its deadline or by cancellation."""
    tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
    if why == "cancelled":
        return FetchCancelled(
            f"cancelled fetching {request.shown}: the service is stopping",
            url=request.shown,
            attempts=attempts,
        )
    return FetchFailed(
        f"gave up fetching {request.shown} at its deadline of {seconds_text(deadline)} "
        f"({tries}){': ' + state if state else ''}; raise the source's deadline if it is "
        "only slow",
        url=request.shown,
        attempts=attempts,
    )


def _file_path(url: str, shown: str) -> Path:
    """The local path of a ``file://`` URL or a plain path."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return Path(url).expanduser()
    if parts.netloc not in ("", "localhost"):
        raise FetchFailed(
            f"cannot fetch {shown}: file URLs must be local (file:///path)", url=shown
        )
    return Path(url2pathname(parts.path))


def _read_file(
    url: str,
    shown: str,
    max_bytes: int,
    bounds: Bounds,
    deadline: float,
    clock: Callable[[], datetime],
) -> FetchResult:
    """A local file as a FetchResult (status None, one attempt), bounded like a download."""
    started = clock()
    path = _file_path(url, shown)
    try:
        body = read_path(path, max_bytes, bounds)
    except FetchError as exc:
        raise FetchFailed(str(exc), url=shown, attempts=1) from None
    except Stopped as stop:
        if stop.why == "cancelled":
            raise FetchCancelled(f"cancelled reading {shown}: the service is stopping",
                                 url=shown, attempts=1) from None  # fmt: skip
        raise FetchFailed(
            f"gave up reading {shown} at its deadline of {seconds_text(deadline)}; raise the "
            "source's deadline if the file system is only slow",
            url=shown,
            attempts=1,
        ) from None
    return FetchResult(
        url=shown,
        status=None,
        body=body,
        etag=None,
        last_modified=None,
        content_type=mimetypes.guess_type(path.name)[0],
        started_at=_iso(started),
        finished_at=_iso(clock()),
        attempts=1,
        not_modified=False,
    )
