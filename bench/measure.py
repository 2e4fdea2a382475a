"""Measuring child processes and printing figures: what every bench run has in common."""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

QUERY_RUNS = 25


@dataclass
class Measured:
    """One child process (or the median of several): wall and CPU time, peak RSS, output."""

    wall_s: float
    cpu_s: float  # user + system time of the child alone: steadier than wall on a busy machine
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    walls: list[float] = field(default_factory=list)  # every run's wall time, when repeated

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def spread(self) -> str:
        """'median of 3: 0.91, 0.95, 1.2' (empty for a single run)."""
        if len(self.walls) < 2:
            return ""
        return f"median of {len(self.walls)}: " + ", ".join(f"{w:.3g}" for w in sorted(self.walls))


@dataclass(frozen=True)
class Size:
    """A named workload and its targets (figure name -> upper bound)."""

    name: str
    n: int
    r: int
    f: float
    targets: dict[str, float] = field(default_factory=dict)


class Report:
    """Prints figures one per line and remembers whether any check failed."""

    def __init__(self, size: Size) -> None:
        self.size = size
        self.prefix = f"N={size.n} R={size.r} F={size.f:g}"
        self.failed = False

    def figure(self, name: str, value: float, note: str = "") -> None:
        target = self.size.targets.get(name)
        text = f"{self.prefix}  {name:<26} {fmt(value):>10}"
        if target is not None:
            verdict = "OK" if value <= target else "MISS"
            text += f"  (target ≤ {fmt(target)})  {verdict}"
        if note:
            text += f"  {note}"
        print(text, flush=True)

    def check(self, ok: bool, text: str) -> None:
        print(f"{self.prefix}  {text} {'OK' if ok else 'FAILED'}", flush=True)
        self.failed |= not ok

    def info(self, text: str) -> None:
        print(f"{self.prefix}  {text}", flush=True)


def fmt(value: float) -> str:
    """A figure with about three significant digits."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def run_measured(command: Sequence[str], logs: Path, timeout: float | None = None) -> Measured:
    """Run `command` as a child and return its wall time, and its own CPU time and peak RSS
    (from wait4, which reports that child only)."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / "stdout.txt", logs / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        returncode=process.returncode,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
        timed_out=killed.is_set(),
    )


def combined(results: Sequence[Measured]) -> Measured:
    """Several runs of one command as one: the median wall and CPU times, the highest peak
    RSS, and every wall time (the first failed run instead, if one failed)."""
    failed = [m for m in results if not m.ok]
    if failed:
        return failed[0]
    walls = [m.wall_s for m in results]
    worst = max(results, key=lambda m: m.peak_rss_mb)
    return replace(
        worst,
        wall_s=statistics.median(walls),
        cpu_s=statistics.median(m.cpu_s for m in results),
        walls=walls,
    )


def median_ms(call: Callable[[], object], runs: int = QUERY_RUNS) -> float:
    """Median wall time of `call` in milliseconds, after one warm-up call."""
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def database_mb(db_path: Path) -> float:
    """The database's size once its WAL is checkpointed (the raw archive is not counted)."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("pragma wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    wal = db_path.with_name(db_path.name + "-wal")
    total = db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return total / (1024 * 1024)
