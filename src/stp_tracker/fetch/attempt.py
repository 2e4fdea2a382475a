"""One HTTP attempt of a fetch: send the request, follow allowed redirects, read the body.

`http.fetch` decides what to do about the outcome: an attempt returns the response and its
body, or raises `Retry` (worth trying again), `Fatal` (not) or `Stop` (the fetch's deadline
passed or it was cancelled, with how far the attempt had got).
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from ..redact import public_url
from .local import too_large
from .transport import Stopped

MAX_REDIRECTS = 10


class Retry(Exception):
    """One attempt failed in a way worth trying again; `wait` is a server-asked delay."""

    def __init__(self, problem: str, status: int | None = None, wait: float | None = None):
        super().__init__(problem)
        self.problem, self.status, self.wait = problem, status, wait


class Fatal(Exception):
    """One attempt failed in a way that retrying cannot fix."""

    def __init__(self, problem: str, status: int | None = None):
        super().__init__(problem)
        self.problem, self.status = problem, status


class Stop(Exception):
    """An attempt was stopped by the fetch's bounds; `state` says how far it had got."""

    def __init__(self, why: str, state: str) -> None:
        super().__init__(why)
        self.why, self.state = why, state


@dataclass(frozen=True)
class Request:
    """One fetch's fixed parts, shared by its attempts."""

    url: str
    shown: str  # the URL as it may be published
    client: httpx.Client
    headers: dict[str, str]
    max_bytes: int
    redirect_hosts: tuple[str, ...]
    secret_params: tuple[str, ...]
    clock: Callable[[], datetime]

    def public(self, url: str) -> str:
        return public_url(url, self.secret_params) or ""


def allowed_host(start: str, host: str, allowed: tuple[str, ...]) -> bool:
    """Whether a redirect from host `start` may lead to `host`."""
    start, host = start.lower(), host.lower()
    for pattern in (start, *(a.lower() for a in allowed)):
        if pattern in ("*", host) or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


def send(request: Request) -> httpx.Response:
    """GET the URL, following redirects that stay where the source allows; the final response
    is open (streaming) and the caller must close it."""
    start_host = httpx.URL(request.url).host
    outgoing = request.client.build_request("GET", request.url, headers=request.headers)
    for _ in range(MAX_REDIRECTS + 1):
        response = request.client.send(outgoing, stream=True, follow_redirects=False)
        if not response.has_redirect_location:
            return response
        following = response.next_request
        response.close()
        if following is None:  # pragma: no cover - httpx sets it for every redirect
            raise Fatal(f"a redirect from {request.shown} could not be followed")
        host = following.url.host
        if not allowed_host(start_host, host, request.redirect_hosts):
            raise Fatal(
                f"{request.shown} redirected to another host, {host} "
                f'({request.public(str(following.url))}); add redirect_hosts = ["{host}"] '
                "to the source if that host is trusted",
                status=response.status_code,
            )
        outgoing = following
    raise Fatal(f"too many redirects (more than {MAX_REDIRECTS}) fetching {request.shown}")


def attempt(request: Request) -> tuple[httpx.Response, bytes | None]:
    """One HTTP GET: the response and its body (None for 304), or Retry, Fatal or Stop."""
    try:
        response = send(request)
    except Stopped as stop:
        raise Stop(stop.why, "the server had not answered yet") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise problem(request, exc, in_body=False) from exc
    try:
        return response, body(request, response)
    finally:
        response.close()


def body(request: Request, response: httpx.Response) -> bytes | None:
    """The body of a response (None for 304), read within the size limit and the bounds."""
    status = response.status_code
    if status == 304:
        return None
    status_text = f"HTTP {status} {response.reason_phrase}".rstrip()
    if status == 429 or status >= 500:
        wait = None
        if status in (429, 503):
            wait = retry_after(response.headers.get("retry-after"), request.clock())
        raise Retry(status_text, status=status, wait=wait)
    if not 200 <= status < 300:
        final = request.public(str(response.url))
        where = (
            request.shown if final == request.shown else f"{request.shown} (redirected to {final})"
        )
        raise Fatal(f"{status_text} from {where}", status=status)
    limit = too_large(f"response from {request.shown}", request.max_bytes)
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > request.max_bytes:
        raise Fatal(limit, status=status)
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > request.max_bytes:
                raise Fatal(limit, status=status)
            chunks.append(chunk)
    except Stopped as stop:
        raise Stop(stop.why, f"the response was still arriving ({total:,} bytes so far)") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise problem(request, exc, in_body=True) from exc
    return b"".join(chunks)


def problem(request: Request, exc: Exception, *, in_body: bool) -> Retry | Fatal:
    """What an httpx error means for the attempt: worth retrying, or not."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        if isinstance(exc, httpx.ConnectTimeout):
            return Retry("timed out connecting to the server")
        if in_body:
            return Retry("timed out while reading the response body")
        return Retry(f"timed out waiting for the server ({type(exc).__name__})")
    if isinstance(exc, httpx.ConnectError):
        return Retry(f"could not connect ({detail})")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.NetworkError)):
        if in_body:
            return Retry(f"the response was incomplete (truncated): {detail}")
        return Retry(f"the connection failed before a complete response: {detail}")
    if isinstance(exc, httpx.DecodingError):
        return Fatal(f"could not decode the response from {request.shown}: {exc}")
    return Fatal(f"could not fetch {request.shown}: {detail}")


def retry_after(value: str | None, now: datetime) -> float | None:
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
