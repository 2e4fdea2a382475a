"""Concurrent readers for the load test: N httpx clients on loopback for a fixed time.

Each client asks, in turn, for an organisation page, the map's GeoJSON, a canned query's JSON
and the Atom feed, and checks every answer whole: a 200 whose body is cut short or does not
parse is counted as torn, anything else but a 200 (or no answer) as an error. An answer equal
byte for byte to one already judged gets the same verdict without being parsed again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class Ask:
    """One kind of request: how to build its address and how to judge its body."""

    kind: str
    path: Callable[[int], str]  # request number -> address
    whole: Callable[[bytes, int], bool]  # (body, request number) -> complete and well formed


@dataclass
class Tally:
    """Latencies (seconds), errors and torn answers of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    torn: int = 0
    revalidated: int = 0  # 304s to a request carrying the tag of an earlier whole answer
    built: int = 0  # answers the site says it built rather than kept (x-stp-cache: MISS)
    examples: list[str] = field(default_factory=list)

    def note(self, problem: str) -> None:
        if len(self.examples) < 3:
            self.examples.append(problem)

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000

    @property
    def count(self) -> int:
        return len(self.latencies) + self.errors


def _html(code: str) -> Callable[[bytes, int], bool]:
    return lambda body, _: body.rstrip().endswith(b"</html>") and code.encode() in body


def _org_page(codes: Sequence[str]) -> Ask:
    def whole(body: bytes, k: int) -> bool:
        return _html(codes[k % len(codes)])(body, k)

    return Ask("org_page", lambda k: f"/-/org/{quote(codes[k % len(codes)])}", whole)


def _map(areas: int) -> Ask:
    def whole(body: bytes, _: int) -> bool:
        data = json.loads(body)
        return data["type"] == "FeatureCollection" and len(data["features"]) == areas

    return Ask("map_geojson", lambda _: "/-/map.geojson", whole)


def _query(since: str) -> Ask:
    def whole(body: bytes, _: int) -> bool:
        data = json.loads(body)
        return data.get("ok") is True and isinstance(data.get("rows"), list)

    path = f"/stp/changes_since.json?since={since}&org=&kind=rating&_shape=objects"
    return Ask("canned_query", lambda _: path, whole)


def _atom() -> Ask:
    def whole(body: bytes, _: int) -> bool:
        root = ET.fromstring(body)
        return root.tag == f"{ATOM}feed" and 0 < len(root.findall(f"{ATOM}entry")) <= 100

    return Ask("atom_feed", lambda _: "/stp/change_feed.atom", whole)


def site_asks(codes: Sequence[str], areas: int, since: str) -> list[Ask]:
    """The four reads of the load test, in the order each client cycles through them."""
    return [_org_page(codes), _map(areas), _query(since), _atom()]


class Verdicts:
    """Whether each distinct answer (address and body) was found whole, remembered: the site
    sends a kept page's very bytes again and again, and an answer byte for byte equal to one
    already judged is judged the same, without parsing 95 KB of JSON or an Atom feed again
    (which cost the clients, on the site's two cores, 0.3 ms a read)."""

    LIMIT = 5_000  # distinct answers remembered before starting afresh

    def __init__(self) -> None:
        self.known: dict[tuple[str, bytes], bool] = {}

    def whole(self, ask: Ask, path: str, body: bytes, k: int) -> bool:
        """`ask.whole(body, k)`, computed once per distinct (address, body)."""
        key = (path, body)
        verdict = self.known.get(key)
        if verdict is None:
            try:
                verdict = ask.whole(body, k)
            except (ValueError, KeyError, TypeError, ET.ParseError):
                verdict = False
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            self.known[key] = verdict
        return verdict


async def _client(
    number: int,
    client: httpx.AsyncClient,
    asks: Sequence[Ask],
    deadline: float,
    tallies: dict[str, Tally],
    revalidate: bool,
    verdicts: Verdicts,
) -> None:
    k = number
    tags: dict[str, str] = {}  # address -> ETag, as a cache in front would keep them
    while time.perf_counter() < deadline:
        ask = asks[k % len(asks)]
        tally = tallies[ask.kind]
        path = ask.path(k // len(asks))
        headers = {"If-None-Match": tags[path]} if revalidate and path in tags else {}
        started = time.perf_counter()
        try:
            response = await client.get(path, headers=headers)
            body = response.content
        except httpx.HTTPError as exc:
            tally.errors += 1
            tally.note(f"{type(exc).__name__}: {exc}")
            k += 1
            continue
        tally.latencies.append(time.perf_counter() - started)
        tally.built += response.headers.get("x-stp-cache") == "MISS"
        if response.status_code == 304 and headers:
            tally.revalidated += 1
        elif response.status_code != 200:
            tally.errors += 1
            tally.note(f"HTTP {response.status_code}: {body[:120]!r}")
        else:
            if not verdicts.whole(ask, path, body, k // len(asks)):
                tally.torn += 1
                tally.note(f"torn {ask.kind} ({len(body)} bytes): {body[-120:]!r}")
            elif "etag" in response.headers:
                tags[path] = response.headers["etag"]
        k += 1


async def _read(
    base_url: str, asks: Sequence[Ask], clients: int, seconds: float, revalidate: bool
) -> Any:
    tallies = {ask.kind: Tally() for ask in asks}
    async with contextlib.AsyncExitStack() as stack:
        users = [
            await stack.enter_async_context(httpx.AsyncClient(base_url=base_url, timeout=30))
            for _ in range(clients)
        ]
        started = time.perf_counter()
        deadline = started + seconds
        verdicts = Verdicts()
        await asyncio.gather(
            *(
                _client(n, users[n], asks, deadline, tallies, revalidate, verdicts)
                for n in range(clients)
            )
        )
        elapsed = time.perf_counter() - started
    return tallies, elapsed


def read_for(
    base_url: str, asks: Sequence[Ask], clients: int, seconds: float, revalidate: bool = False
) -> tuple[dict[str, Tally], float]:
    """Run `clients` concurrent readers against `base_url` for `seconds` (loopback only).

    With `revalidate` each client sends back the ETag of its last whole answer for an address,
    as a CDN or proxy cache does, and a 304 counts as answered."""
    if not base_url.startswith(("http://127.", "http://localhost")):
        raise ValueError(f"the load test reads only from loopback, not {base_url}")
    return asyncio.run(_read(base_url, asks, clients, seconds, revalidate))


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
