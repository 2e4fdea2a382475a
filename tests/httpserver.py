"""A real HTTP server on 127.0.0.1 for tests, with scripted routes instead of mocks.

Register what each path answers with `FixtureServer.route`, point the code under test at
`server.url(path)`, then assert on `server.requests`. It can answer conditional requests with
304, redirect (to another host too: `url(path, host="localhost")`), stream chunked bodies, send
a truncated body, sleep before answering (`delay`), trickle a body (or its headers as well) one
byte at a time (`trickle`, `trickle_head`), or play a sequence of responses (e.g. 500, 500, 200)
on successive requests. Use it as a context manager, or define
a pytest fixture around `fixture_server()`::

    @pytest.fixture
    def server() -> Iterator[FixtureServer]:
        yield from fixture_server()
"""

from __future__ import annotations

import email.utils
import socket
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

CHUNK_SIZE = 64 * 1024
TRUNCATE_MISSING = 1024  # bytes promised by Content-Length but never sent when truncate=True


@dataclass(frozen=True)
class Reply:
    """One scripted response; `route` builds these from its keyword arguments."""

    body: bytes = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    truncate: bool = False
    redirect_to: str | None = None
    chunked: bool = False
    trickle: float = 0.0
    trickle_head: bool = False

    @classmethod
    def build(cls, body: bytes | str = b"", **options: Any) -> Reply:
        """A Reply from route-style keywords; a str body is sent as UTF-8."""
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        return cls(body=data, **{key: value for key, value in options.items() if value is not None})


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server saw; `headers` is case-insensitive (``headers["user-agent"]``)."""

    method: str
    path: str
    headers: Message


class _Route:
    """The replies for one path: served in order, the last one repeating forever."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.hits = 0

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.hits, len(self.replies) - 1)]
        self.hits += 1
        return reply


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its FixtureServer and stays quiet about dropped clients."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, fixture: FixtureServer) -> None:
        self.fixture = fixture
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up (tests do that on purpose); report anything else."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Answers each request from the route table of the FixtureServer that owns it."""

    protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding
    timeout = 10  # an idle keep-alive connection's thread gives up after this many seconds
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request logging to stderr."""

    def do_GET(self) -> None:
        """Serve a GET from the route table."""
        self._answer(head_only=False)

    def do_HEAD(self) -> None:
        """Serve a HEAD: the GET's status and headers without the body."""
        self._answer(head_only=True)

    def _answer(self, *, head_only: bool) -> None:
        fixture = self.server.fixture
        reply = fixture._record_and_pick(self.command, self.path, self.headers)
        if reply is not None and reply.delay > 0:
            fixture._stopping.wait(reply.delay)  # shutting down cuts a slow reply short
        try:
            self._send(reply, head_only=head_only)
        except OSError:  # the client gave up (timeout, size limit): nothing left to say
            self.close_connection = True

    def _send(self, reply: Reply | None, *, head_only: bool) -> None:
        if reply is None:
            self._send_simple(404, b"no route for this path\n", {}, head_only=head_only)
            return
        if reply.redirect_to is not None:
            status = reply.status if 300 <= reply.status < 400 else 302
            headers = {"Location": reply.redirect_to, **reply.headers}
            self._send_simple(status, b"", headers, head_only=head_only)
            return
        validators = {}
        if reply.etag is not None:
            validators["ETag"] = reply.etag
        if reply.last_modified is not None:
            validators["Last-Modified"] = reply.last_modified
        if self._not_modified(reply):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        headers = {**validators, **reply.headers}
        if reply.trickle > 0:
            self._send_trickle(reply, headers, head_only=head_only)
        elif reply.chunked:
            self._send_head(reply.status, {"Transfer-Encoding": "chunked", **headers})
            if not head_only:
                for start in range(0, len(reply.body), CHUNK_SIZE):
                    piece = reply.body[start : start + CHUNK_SIZE]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")
        elif reply.truncate:
            promised = len(reply.body) + TRUNCATE_MISSING
            self._send_head(reply.status, {"Content-Length": str(promised), **headers})
            if not head_only:
                self.wfile.write(reply.body)
            self.close_connection = True
        else:
            self._send_simple(reply.status, reply.body, headers, head_only=head_only)

    def _send_trickle(self, reply: Reply, headers: Mapping[str, str], *, head_only: bool) -> None:
        """One byte every `reply.trickle` seconds: the body, or the whole response with
        `trickle_head`; stops early when the server shuts down."""
        stopping = self.server.fixture._stopping
        head = {"Content-Length": str(len(reply.body)), **headers}
        body = b"" if head_only else reply.body
        if reply.trickle_head:
            lines = [f"{self.protocol_version} {reply.status} {self.responses[reply.status][0]}"]
            lines += [f"{name}: {value}" for name, value in head.items()]
            raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        else:
            self._send_head(reply.status, head)
            raw = body
        for index in range(len(raw)):
            if stopping.wait(reply.trickle):
                self.close_connection = True
                return
            self.wfile.write(raw[index : index + 1])
            self.wfile.flush()

    def _send_simple(
        self, status: int, body: bytes, headers: Mapping[str, str], *, head_only: bool
    ) -> None:
        self._send_head(status, {"Content-Length": str(len(body)), **headers})
        if not head_only:
            self.wfile.write(body)

    def _send_head(self, status: int, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        seen = set()
        for name, value in reversed(list(headers.items())):  # later (route) headers win
            if name.lower() not in seen:
                seen.add(name.lower())
                self.send_header(name, value)
        self.end_headers()

    def _not_modified(self, reply: Reply) -> bool:
        """Whether the request's validators match the reply's, as a cache would check them."""
        if_none_match = self.headers.get("If-None-Match")
        if reply.etag is not None and if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or reply.etag.removeprefix("W/") in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if reply.last_modified is None or if_modified_since is None:
            return False
        if if_modified_since == reply.last_modified:
            return True
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
            modified = email.utils.parsedate_to_datetime(reply.last_modified)
            return modified <= since
        except (TypeError, ValueError, IndexError):
            return False


class FixtureServer:
    """A threaded HTTP server on a random 127.0.0.1 port, scripted with `route`.

    Unknown paths answer 404. Every request is appended to `requests` before it is answered.
    """

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> FixtureServer:
        """Bind a random port and serve from a daemon thread; returns self."""
        if self._httpd is None:
            self._stopping.clear()
            self._httpd = _Server(self)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fixture-http-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake any slow replies and close the listening socket."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    @property
    def port(self) -> int:
        """The port the server listens on (only while started)."""
        if self._httpd is None:
            raise RuntimeError("FixtureServer is not started")
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """The absolute URL of `path` on this server; another `host` name for the same server
        (``localhost``) stands in for a different host, as for a cross-host redirect."""
        return f"http://{host}:{self.port}/{path.lstrip('/')}"

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float = 0.0,
        truncate: bool = False,
        redirect_to: str | None = None,
        chunked: bool = False,
        trickle: float = 0.0,
        trickle_head: bool = False,
        sequence: list[dict[str, Any]] | None = None,
    ) -> None:
        """Script what `path` answers (query strings may be included to match exactly).

        With `sequence`, each dict (same keys as these arguments, defaults for missing ones)
        is served on successive requests and the last repeats; the other arguments are then
        ignored. `etag` / `last_modified` are sent and honoured: a matching If-None-Match or
        If-Modified-Since gets 304. `truncate` promises more bytes than it sends, then closes.
        `chunked` streams the body with no Content-Length. `delay` seconds pass before answering
        (a sleeping server). `trickle` sends the body one byte every that many seconds, and with
        `trickle_head` the status line and headers too (a server that never quite answers).
        `redirect_to` answers 302 (or `status` if it is 3xx) with that Location.
        """
        if sequence:
            replies = [Reply.build(**step) for step in sequence]
        else:
            replies = [
                Reply.build(
                    body,
                    status=status,
                    headers=dict(headers or {}),
                    etag=etag,
                    last_modified=last_modified,
                    delay=delay,
                    truncate=truncate,
                    redirect_to=redirect_to,
                    chunked=chunked,
                    trickle=trickle,
                    trickle_head=trickle_head,
                )
            ]
        with self._lock:
            self._routes["/" + path.lstrip("/")] = _Route(replies)

    def hits(self, path: str) -> int:
        """How many requests were made for `path` (ignoring any query string)."""
        return len(self.requests_for(path))

    def requests_for(self, path: str) -> list[RecordedRequest]:
        """The recorded requests for `path` (ignoring any query string), oldest first."""
        wanted = "/" + path.lstrip("/")
        with self._lock:
            return [req for req in self.requests if req.path.split("?", 1)[0] == wanted]

    def _record_and_pick(self, method: str, path: str, headers: Message) -> Reply | None:
        """Record a request and choose its reply (None when no route matches)."""
        with self._lock:
            self.requests.append(RecordedRequest(method=method, path=path, headers=headers))
            route = self._routes.get(path) or self._routes.get(path.split("?", 1)[0])
            return route.next_reply() if route is not None else None


def fixture_server() -> Iterator[FixtureServer]:
    """A started FixtureServer for the length of a pytest fixture, stopped afterwards."""
    with FixtureServer() as server:
        yield server


def closed_port() -> int:
    """A local port with nothing listening on it, for connection-refused tests."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
