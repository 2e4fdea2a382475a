"""`python -m bench.load`: the site under concurrent readers while the service writes.

A synthetic workload (bench/workload.py) is backfilled up to release R, and a square boundary
is stored for A of its organisations so the map has areas to colour. Then `stp-tracker run`
serves and collects a local file every second while this script swaps in the next release every
few seconds (waiting for each to be applied, so every run applies the same releases):

1. quiet: no readers, to time each apply alone;
2. live: N clients read from the service's own Datasette while it applies;
3. snapshot: N clients read from `serve --immutable` of a published snapshot while the service
   applies the same releases to its own copy (what read replicas give).

Every request goes to 127.0.0.1; every loop stops after its fixed time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from .readers import Tally, median, read_for, site_asks
from .workload import SOURCE, START, Workload, generate

OUT = Path(__file__).resolve().parent / "out"
TARGETS_MS = {"org_page": 100.0, "map_geojson": 250.0}
APPLY_RATIO_TARGET = 1.5
PHASES = ("live", "snapshot", "revalidate")
READS = ("org_page", "map_geojson", "canned_query", "atom_feed")


@dataclass(frozen=True)
class Setup:
    """A workload backfilled up to `base` releases, and what the load phases need."""

    folder: Path
    workload: Workload
    base_db: Path
    config: Path  # the service's config: the bench source read from `current`, every second
    current: Path
    pending: tuple[Path, ...]  # releases to apply during each phase
    codes: tuple[str, ...]  # organisations whose pages are read
    areas: int


def stp_tracker() -> list[str]:
    """The console script next to this interpreter, or `python -m stp_tracker`."""
    script = Path(sys.executable).parent / "stp-tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "stp_tracker"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _square(code: str, index: int) -> dict:
    x, y = -6 + (index % 20) * 0.5, 50 + (index // 20) * 0.5
    ring = [[x, y], [x + 0.45, y], [x + 0.45, y + 0.45], [x, y + 0.45], [x, y]]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARES_SOURCE = """
[[source]]
name = "bench-boundaries"
title = "Synthetic square boundaries for the map"
format = "geojson"
entity = "any"
effective = "{effective}"

[source.columns]
"code" = "org.code"
"""


def store_squares(db_path: Path, config: Path, codes: Sequence[str], effective: str) -> None:
    """A square boundary for each of `codes`, ingested as any geojson source's file is."""
    body = json.dumps(
        {"type": "FeatureCollection", "features": [_square(c, i) for i, c in enumerate(codes)]}
    )
    squares = db_path.parent / "squares.geojson"
    squares.write_text(body, encoding="utf-8")
    with (config / "sources.toml").open("a", encoding="utf-8") as sources:
        sources.write(SQUARES_SOURCE.format(effective=effective))
    command = [*stp_tracker(), "ingest", "bench-boundaries", str(squares),
               "--db", str(db_path), "--config", str(config)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)


def prepare(
    n: int, r: int, f: float, *, extra: int, areas: int, seed: int, out: Path = OUT
) -> Setup:
    """Generate the workload, backfill its first `r` releases, store boundaries, write config."""
    folder = out / f"load-{n}"
    if folder.exists():
        shutil.rmtree(folder)
    workload = generate(folder, n, r + extra, f, seed=seed)
    base_db = folder / "base" / "stp.db"
    cli = stp_tracker()
    config = ["--db", str(base_db), "--config", str(workload.config)]
    for args in (["init"], ["ingest", SOURCE, *map(str, workload.files[:r])]):
        subprocess.run([*cli, *args, *config], check=True, capture_output=True)
    codes = [f"L{number:07d}" for number in range(1, areas + 1)]
    store_squares(base_db, workload.config, codes, START.isoformat())
    current = folder / "current.csv"
    shutil.copy(workload.files[r - 1], current)
    service_config = folder / "service-config"
    shutil.copytree(workload.config, service_config)
    sources = (service_config / "sources.toml").read_text(encoding="utf-8")
    sources = sources.replace(
        'format = "csv"\n', f'url = "{current}"\nevery = "1s"\nformat = "csv"\n', 1
    )
    (service_config / "sources.toml").write_text(sources, encoding="utf-8")
    sample = [workload.sample_org, *(f"L{k:07d}" for k in range(1, n + 1, max(1, n // 97)))]
    return Setup(
        folder,
        workload,
        base_db,
        service_config,
        current,
        tuple(workload.files[r:]),
        tuple(dict.fromkeys(sample))[:100],
        areas,
    )


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of the base database (no raw archive is needed to apply releases)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


class Service:
    """`stp-tracker run` on a copy of the base database, with its JSON log in a file."""

    def __init__(self, setup: Setup, db: Path, log: Path) -> None:
        self.port, self.log = free_port(), log
        shutil.copy(setup.workload.files[len(setup.workload.files) - len(setup.pending) - 1],
                    setup.current)  # fmt: skip
        with log.open("wb") as handle:
            self.process = subprocess.Popen(
                [*stp_tracker(), "run", "--db", str(db), "--config", str(setup.config),
                 "--port", str(self.port), "--log-format", "json"],
                stdout=subprocess.DEVNULL, stderr=handle,
            )  # fmt: skip

    def fetches(self) -> list[dict]:
        lines = self.log.read_text(errors="replace").splitlines()
        found = [json.loads(line) for line in lines if line.startswith("{")]
        return [line for line in found if line.get("event") == "fetch"]

    def applied(self) -> list[float]:
        """Seconds each changed release took, from the service's own log lines."""
        return [line["seconds"] for line in self.fetches() if line.get("outcome") == "changed"]

    def wait(self, ready: object, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if ready():  # type: ignore[operator]
                return
            time.sleep(0.1)
        raise RuntimeError(f"the service did not {what} in {timeout:.0f} s: see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def feed(service: Service, setup: Setup, every: float, until: float | None) -> list[float]:
    """Swap in each pending release every `every` seconds, each once the last was applied;
    returns how long each took the service to apply."""
    took: list[float] = []
    for release in setup.pending:
        if until is not None and time.monotonic() >= until:
            break
        slot = time.monotonic() + every
        done = len(service.applied())
        staged = setup.current.with_suffix(".partial")
        shutil.copy(release, staged)
        os.replace(staged, setup.current)
        service.wait(lambda d=done: len(service.applied()) > d, 300, f"apply {release.name}")
        took.append(service.applied()[done])
        time.sleep(max(0.0, slot - time.monotonic()))
    return took


def serving(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Phase:
    """What one phase measured: reads per kind, their wall time, and the applies."""

    name: str
    applies: list[float]
    tallies: dict[str, Tally] | None = None
    seconds: float = 0.0


def run_phase(
    setup: Setup,
    name: str,
    *,
    clients: int,
    seconds: float,
    every: float,
    readers: str | None,
    reads: Sequence[str] | None = None,
) -> Phase:
    """One phase: a service on a fresh copy applying releases, with readers at `readers`
    ("live": the service's own Datasette; "snapshot": `serve --immutable`; None: no readers)."""
    folder = setup.folder / name
    if folder.exists():
        shutil.rmtree(folder)
    db = copy_db(setup.base_db, folder / "stp.db")
    snapshot_server = None
    if readers in ("snapshot", "revalidate"):
        cli = stp_tracker()
        publish = [*cli, "publish", str(folder / "site"), "--db", str(setup.base_db)]
        subprocess.run([*publish, "--config", str(setup.config)], check=True, capture_output=True)
        snapshot_port = free_port()
        snapshot_server = subprocess.Popen(
            [*cli, "serve", "--immutable", str(folder / "site"), "--port", str(snapshot_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    service = Service(setup, db, folder / "service.log")
    try:
        service.wait(lambda: serving(service.port) and service.fetches(), 120, "start")
        if readers is None:
            return Phase(name, feed(service, setup, every, None))
        port = snapshot_port if snapshot_server else service.port
        service.wait(lambda: serving(port), 120, "serve the snapshot")
        applies: list[float] = []
        feeder = threading.Thread(
            target=lambda: applies.extend(feed(service, setup, every, time.monotonic() + seconds)),
            daemon=True,  # if the readers fail, the service stops and this ends with it
        )
        asks = site_asks(setup.codes, setup.areas, setup.workload.periods[-len(setup.pending) - 1])
        asks = [ask for ask in asks if reads is None or ask.kind in reads]
        feeder.start()
        url, revalidate = f"http://127.0.0.1:{port}", readers == "revalidate"
        tallies, elapsed = read_for(url, asks, clients, seconds, revalidate)
        feeder.join()
        return Phase(name, applies, tallies, elapsed)
    finally:
        service.stop()
        if snapshot_server is not None:
            snapshot_server.terminate()
            snapshot_server.wait(timeout=30)


def report(setup: Setup, phase: Phase, quiet: Phase, clients: int) -> bool:
    """Print a phase's figures (a missed target says MISS); False when a read failed or was
    torn, which is a failed check rather than a slow figure."""
    prefix = f"N={setup.workload.n} load {phase.name:<8}"
    assert phase.tallies is not None
    total = Tally()
    for kind, tally in phase.tallies.items():
        total.latencies += tally.latencies
        total.errors += tally.errors
        total.torn += tally.torn
        total.built += tally.built
        line = (
            f"{prefix} {kind:<13} {tally.count / phase.seconds:7.1f} req/s  "
            f"p50 {tally.percentile(50):6.1f} ms  p95 {tally.percentile(95):6.1f} ms  "
            f"p99 {tally.percentile(99):6.1f} ms  errors {tally.errors}  torn {tally.torn}  "
            f"built {tally.built}"
        )
        if tally.revalidated:
            line += f"  (304: {tally.revalidated})"
        target = TARGETS_MS.get(kind)
        if target is not None:
            met = tally.percentile(95) <= target
            line += f"  (p95 target ≤ {target:.0f} ms) {'OK' if met else 'MISS'}"
        print(line, flush=True)
        for example in tally.examples:
            print(f"{prefix}   e.g. {example}", flush=True)
    clean = total.errors == 0 and total.torn == 0
    print(
        f"{prefix} {'all reads':<13} {total.count / phase.seconds:7.1f} req/s  "
        f"p50 {total.percentile(50):6.1f} ms  p95 {total.percentile(95):6.1f} ms  "
        f"errors {total.errors}  torn {total.torn}  built {total.built}  "
        f"({clients} clients, {phase.seconds:.0f} s)"
        f"  {'OK' if clean else 'FAILED'}",
        flush=True,
    )
    count = min(len(phase.applies), len(quiet.applies))
    if count:
        loaded, alone = median(phase.applies[:count]), median(quiet.applies[:count])
        ratio = loaded / alone
        print(
            f"{prefix} {'writer apply':<13} median {loaded:.2f} s with readers, {alone:.2f} s "
            f"without = {ratio:.2f}x  (target ≤ {APPLY_RATIO_TARGET}x) "
            f"{'OK' if ratio <= APPLY_RATIO_TARGET else 'MISS'}  ({count} releases)",
            flush=True,
        )
    else:
        print(f"{prefix} writer apply  no release was applied while reading  MISS", flush=True)
    return clean


def run_load(
    n: int,
    r: int,
    f: float,
    *,
    clients: int = 50,
    seconds: float = 20.0,
    every: float = 3.0,
    areas: int = 44,
    phases: Sequence[str] = PHASES,
    reads: Sequence[str] | None = None,
    seed: int = 2017,
    keep: bool = False,
) -> bool:
    """The whole load test; True when every read was answered whole (targets are figures)."""
    extra = max(2, int(seconds // every) + 2)
    started = time.perf_counter()
    setup = prepare(n, r, f, extra=extra, areas=areas, seed=seed)
    size_mb = setup.base_db.stat().st_size / 1e6
    print(
        f"== load: N={n} R={r}+{extra} F={f:g}: {clients} clients for {seconds:.0f} s on "
        f"127.0.0.1, a release every {every:g} s; {areas} map areas; base database "
        f"{size_mb:.0f} MB; reads: {', '.join(reads or READS)} "
        f"(prepared in {time.perf_counter() - started:.0f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
        flush=True,
    )
    quiet = run_phase(setup, "quiet", clients=clients, seconds=seconds, every=every, readers=None)
    ok = True
    for name in phases:
        phase = run_phase(
            setup, name, clients=clients, seconds=seconds, every=every, readers=name, reads=reads
        )
        ok &= report(setup, phase, quiet, clients)
    if not keep:
        shutil.rmtree(setup.folder, ignore_errors=True)
    return ok


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Concurrent readers against the site while the service applies releases.",
    )
    parser.add_argument("--n", type=int, default=50_000, help="organisations")
    parser.add_argument("--r", type=int, default=10, help="releases backfilled before the test")
    parser.add_argument("--f", type=float, default=0.01, help="fraction changing per release")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each phase reads")
    parser.add_argument("--every", type=float, default=3.0, help="seconds between releases")
    parser.add_argument("--areas", type=int, default=44, help="organisations drawn on the map")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help="live: the service's own Datasette; snapshot: serve --immutable of a published copy; "
        "revalidate: the same, clients sending If-None-Match as a cache in front would",
    )
    parser.add_argument(
        "--reads",
        default=",".join(READS),
        help="which reads each client cycles through (to find which one holds the others up)",
    )
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--keep", action="store_true", help="keep bench/out/load-N/ afterwards")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    reads = [r.strip() for r in args.reads.split(",") if r.strip()]
    for given, known in ((phases, PHASES), (reads, READS)):
        unknown = sorted(set(given) - set(known))
        if unknown or not given:
            raise SystemExit(f"unknown choice {unknown[:1]}; known: {', '.join(known)}")
    ok = run_load(
        args.n, args.r, args.f, clients=args.clients, seconds=args.seconds, every=args.every,
        areas=args.areas, phases=phases, reads=reads, seed=args.seed, keep=args.keep,
    )  # fmt: skip
    print("every read answered whole" if ok else "some reads FAILED", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
