"""Fetch one source over HTTP (or from a local file), politely and within limits.

Network only: plain data in, a `FetchResult` out, and every failure a `FetchError` whose message
a person can act on. Transient failures (timeouts, dropped connections, 5xx, 429) are retried
with capped exponential backoff; conditional headers make an unchanged source cost a 304.
"""

from __future__ import annotations

import email.utils
import math
import mimetypes
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx

from ..errors import FetchError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
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


class _Retry(Exception):
    """One attempt failed in a way worth trying again; `wait` is a server-asked delay."""

    def __init__(self, problem: str, status: int | None = None, wait: float | None = None):
        super().__init__(problem)
        self.problem, self.status, self.wait = problem, status, wait


class _Fatal(Exception):
    """One attempt failed in a way that retrying cannot fix."""

    def __init__(self, problem: str, status: int | None = None):
        super().__init__(problem)
        self.problem, self.status = problem, status


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
    """An httpx client that follows redirects, identifies itself and never waits forever.

    `timeout` bounds each read/write/pool wait and `connect_timeout` the TCP/TLS connect. The
    caller owns the client and must close it (use it as a context manager).
    """
    return httpx.Client(
        headers={"User-Agent": user_agent},
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        follow_redirects=True,
    )


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    validators: Validators = Validators(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int = 3,
    backoff: float = 0.5,
    max_backoff: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = _utc_now,
    rng: random.Random | None = None,
) -> FetchResult:
    """Fetch `url` (http, https, file:// or a plain path) into a FetchResult, or raise FetchError.

    HTTP fetches send `validators` as If-None-Match / If-Modified-Since and report a 304 as
    ``not_modified`` with no body. Bodies over `max_bytes` are refused without being read
    whole. Timeouts, dropped or truncated connections, 5xx and 429 are retried up to `retries`
    times, sleeping ``min(max_backoff, backoff * 2**n) * U(0.5, 1)`` between tries, or exactly
    a 429/503's Retry-After (capped at `max_backoff`). Other 4xx fail at once. When no `client`
    is given a default one (see `make_client`) is made for this call and closed afterwards.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        if scheme == "file" or "://" not in url:
            return _read_file(url, max_bytes, clock)
        raise FetchFailed(
            f"cannot fetch {url}: unsupported URL scheme {scheme!r} (use http, https or file)",
            url=url,
        )
    if client is None:
        with make_client(user_agent()) as own_client:
            return fetch(
                url,
                client=own_client,
                validators=validators,
                max_bytes=max_bytes,
                retries=retries,
                backoff=backoff,
                max_backoff=max_backoff,
                sleep=sleep,
                clock=clock,
                rng=rng,
            )
    rng = rng if rng is not None else random.Random()
    started = clock()
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    attempts = 0
    while True:
        attempts += 1
        try:
            response, body = _attempt(client, url, headers, max_bytes, clock)
        except _Fatal as fatal:
            raise FetchFailed(
                fatal.problem, url=url, status=fatal.status, attempts=attempts
            ) from fatal.__cause__
        except _Retry as retry:
            if attempts > max(0, retries):
                tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
                raise FetchFailed(
                    f"could not fetch {url} after {tries}: {retry.problem}",
                    url=url,
                    status=retry.status,
                    attempts=attempts,
                ) from retry.__cause__
            if retry.wait is not None:
                delay = min(max_backoff, retry.wait)
            else:
                delay = min(max_backoff, backoff * 2 ** (attempts - 1)) * rng.uniform(0.5, 1)
            sleep(delay)
            continue
        not_modified = response.status_code == 304
        return FetchResult(
            url=str(response.url),
            status=response.status_code,
            body=body,
            etag=response.headers.get("etag") or (validators.etag if not_modified else None),
            last_modified=response.headers.get("last-modified")
            or (validators.last_modified if not_modified else None),
            content_type=response.headers.get("content-type"),
            started_at=_iso(started),
            finished_at=_iso(clock()),
            attempts=attempts,
            not_modified=not_modified,
        )


def _too_large(what: str, max_bytes: int) -> str:
    return (
        f"{what} is larger than the limit of {max_bytes} bytes "
        "(raise max_bytes for this source if that size is expected)"
    )


def _attempt(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    max_bytes: int,
    clock: Callable[[], datetime],
) -> tuple[httpx.Response, bytes | None]:
    """One HTTP GET: the response and its body (None for 304), or _Retry / _Fatal."""
    in_body = False
    try:
        with client.stream("GET", url, headers=headers, follow_redirects=True) as response:
            status = response.status_code
            if status == 304:
                return response, None
            status_text = f"HTTP {status} {response.reason_phrase}".rstrip()
            if status == 429 or status >= 500:
                wait = None
                if status in (429, 503):
                    wait = _retry_after(response.headers.get("retry-after"), clock())
                raise _Retry(status_text, status=status, wait=wait)
            if not 200 <= status < 300:
                final = str(response.url)
                where = url if final == url else f"{url} (redirected to {final})"
                raise _Fatal(f"{status_text} from {where}", status=status)
            too_large = _too_large(f"response from {url}", max_bytes)
            length = response.headers.get("content-length", "").strip()
            if length.isdigit() and int(length) > max_bytes:
                raise _Fatal(too_large, status=status)
            in_body = True
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise _Fatal(too_large, status=status)
                chunks.append(chunk)
            return response, b"".join(chunks)
    except httpx.TimeoutException as exc:
        if isinstance(exc, httpx.ConnectTimeout):
            problem = "timed out connecting to the server"
        elif in_body:
            problem = "timed out while reading the response body"
        else:
            problem = f"timed out waiting for the server ({type(exc).__name__})"
        raise _Retry(problem) from exc
    except httpx.ConnectError as exc:
        raise _Retry(f"could not connect ({exc or type(exc).__name__})") from exc
    except (httpx.RemoteProtocolError, httpx.NetworkError) as exc:
        detail = str(exc) or type(exc).__name__
        if in_body:
            raise _Retry(f"the response was incomplete (truncated): {detail}") from exc
        raise _Retry(f"the connection failed before a complete response: {detail}") from exc
    except httpx.TooManyRedirects as exc:
        raise _Fatal(f"too many redirects fetching {url}") from exc
    except httpx.DecodingError as exc:
        raise _Fatal(f"could not decode the response from {url}: {exc}") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise _Fatal(f"could not fetch {url}: {exc or type(exc).__name__}") from exc


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks us to wait (delta-seconds or an HTTP-date), if valid."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _file_path(url: str) -> Path:
    """The local path of a ``file://`` URL or a plain path."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return Path(url).expanduser()
    if parts.netloc not in ("", "localhost"):
        raise FetchFailed(f"cannot fetch {url}: file URLs must be local (file:///path)", url=url)
    return Path(url2pathname(parts.path))


def _read_file(url: str, max_bytes: int, clock: Callable[[], datetime]) -> FetchResult:
    """A local file as a FetchResult (status None, one attempt), still bounded by max_bytes."""
    started = clock()
    path = _file_path(url)
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                raise FetchFailed(_too_large(f"file {path}", max_bytes), url=url, attempts=1)
            body = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise FetchFailed(f"file not found: {path}", url=url, attempts=1) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FetchFailed(f"could not read {path}: {reason}", url=url, attempts=1) from exc
    if len(body) > max_bytes:  # the file grew while we read it
        raise FetchFailed(_too_large(f"file {path}", max_bytes), url=url, attempts=1)
    return FetchResult(
        url=str(path),
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
