"""Bounds on one fetch beneath httpx: a deadline and a cancel flag checked on every socket read.

httpx's timeouts bound each read, not a whole response, so a server that trickles a byte every
few seconds (even inside its headers) never times out. Here every socket read of a client made
by `bound_client` waits in short slices and checks the bounds the calling thread set with
`bounded(...)`, so a fetch ends at its deadline, or promptly when cancelled, wherever it is.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

POLL_SECONDS = 0.25  # how often a waiting read looks at the deadline and the cancel flag

_BOUNDS: ContextVar[Bounds | None] = ContextVar("stp_tracker_fetch_bounds", default=None)


class Stopped(Exception):
    """The fetch under way passed its deadline (`why` = "deadline") or was cancelled."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class Bounds:
    """When a fetch must be over (a time.monotonic() reading) and what cancels it early."""

    until: float = math.inf
    cancel: threading.Event | None = None

    def check(self) -> None:
        """Raise Stopped when cancelled or past the deadline."""
        if self.cancel is not None and self.cancel.is_set():
            raise Stopped("cancelled")
        if time.monotonic() >= self.until:
            raise Stopped("deadline")

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.until - time.monotonic())

    def cap(self, timeout: float | None) -> float:
        """`timeout` shortened to the time left, after checking the bounds."""
        self.check()
        left = self.remaining()
        return left if timeout is None else min(timeout, left)


@contextmanager
def bounded(bounds: Bounds) -> Iterator[Bounds]:
    """Apply `bounds` to every socket operation this thread makes inside the block."""
    token = _BOUNDS.set(bounds)
    try:
        yield bounds
    finally:
        _BOUNDS.reset(token)


def current() -> Bounds | None:
    """The bounds in force in this thread, if any."""
    return _BOUNDS.get()


class _BoundedStream(httpcore.NetworkStream):
    """A network stream whose reads wait in slices, checking the thread's bounds between them."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        bounds = _BOUNDS.get()
        if bounds is None:
            return self._stream.read(max_bytes, timeout)
        give_up = math.inf if timeout is None else time.monotonic() + timeout
        while True:
            bounds.check()
            now = time.monotonic()
            if now >= give_up:
                raise httpcore.ReadTimeout("timed out")
            wait = min(give_up, bounds.until, now + POLL_SECONDS) - now
            if wait <= 0:
                continue  # the deadline is here: check() says so
            try:
                return self._stream.read(max_bytes, wait)
            except httpcore.ReadTimeout:
                continue

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        bounds = _BOUNDS.get()
        self._stream.write(buffer, bounds.cap(timeout) if bounds else timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounds = _BOUNDS.get()
        stream = self._stream.start_tls(
            ssl_context, server_hostname, bounds.cap(timeout) if bounds else timeout
        )
        return _BoundedStream(stream)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _BoundedBackend(httpcore.NetworkBackend):
    """Connects as `backend` does, within the thread's bounds, and bounds the streams it opens."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounds = _BOUNDS.get()
        stream = self._backend.connect_tcp(
            host, port, bounds.cap(timeout) if bounds else timeout, local_address, socket_options
        )
        return _BoundedStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounds = _BOUNDS.get()
        stream = self._backend.connect_unix_socket(
            path, bounds.cap(timeout) if bounds else timeout, socket_options
        )
        return _BoundedStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def bound_client(client: httpx.Client) -> httpx.Client:
    """Make every connection `client` opens (directly or through a proxy) honour `bounded`.

    httpx has no public way to choose httpcore's network backend, so this wraps the one each
    of the client's connection pools already has; it fails loudly if httpx changes shape.
    """
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        if transport is None:
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None:
            raise RuntimeError(
                f"cannot bound fetches through {type(transport).__name__}: httpx's "
                "connection pool has no network backend to wrap (an unsupported httpx version?)"
            )
        if not isinstance(backend, _BoundedBackend):
            pool._network_backend = _BoundedBackend(backend)  # type: ignore[union-attr]
    return client
