"""`python -m bench` (or `make bench`): time the store on a synthetic workload and check it.

For each size: generate the workload under bench/out/<size>/, backfill every release in one
`stp-tracker ingest` process, re-ingest the last release (which must record nothing), time the
read queries in-process, measure peak RSS and database size, and check the number of believed
changes against what the CSV files imply. Then (unless --no-load) the load test of bench/load.py
at the large size: concurrent readers of the site while the service applies releases. Missed
targets are reported; only a failed check (a read that failed or came back torn, included) or a
failed command makes the exit status non-zero.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .workload import SOURCE, Workload, expected_change_counts, generate

OUT = Path(__file__).resolve().parent / "out"
QUERY_RUNS = 25


@dataclass(frozen=True)
class Size:
    """A named workload and its targets (figure name -> upper bound)."""

    name: str
    n: int
    r: int
    f: float
    targets: dict[str, float] = field(default_factory=dict)


SIZES = {
    "small": Size(
        "small",
        5_000,
        20,
        0.02,
        {
            "full_backfill_s": 1.0,
            "reingest_last_s": 0.15,
            "history_org_ms": 5,
            "changes_last_release_ms": 20,
            "backfill_peak_rss_mb": 150,
            "db_size_mb": 2,
        },
    ),
    "large": Size(
        "large",
        50_000,
        10,
        0.01,
        {
            "full_backfill_s": 5.0,
            "reingest_last_s": 1.0,
            "history_org_ms": 5,
            "changes_last_release_ms": 50,
            "backfill_peak_rss_mb": 400,
            "db_size_mb": 20,
        },
    ),
}

CHANGES_OF_RELEASE = (
    "select c.effective, c.org_code, o.name, c.kind, c.attribute, c.old_value, c.new_value, "
    "c.direction, c.source, c.publisher, c.recorded_at "
    "from changes c join organisations o on o.code = c.org_code "
    "where c.effective = ? and c.retired_at is null "
    "order by c.org_code, c.attribute, c.id"
)


@dataclass
class Measured:
    """One child process: wall time, peak RSS, exit code and output."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


class Report:
    """Prints figures one per line and remembers whether any check failed."""

    def __init__(self, size: Size) -> None:
        self.size = size
        self.prefix = f"N={size.n} R={size.r} F={size.f:g}"
        self.failed = False

    def figure(self, name: str, value: float, note: str = "") -> None:
        target = self.size.targets.get(name)
        text = f"{self.prefix}  {name:<26} {_fmt(value):>10}"
        if target is not None:
            verdict = "OK" if value <= target else "MISS"
            text += f"  (target ≤ {_fmt(target)})  {verdict}"
        if note:
            text += f"  {note}"
        print(text, flush=True)

    def check(self, ok: bool, text: str) -> None:
        print(f"{self.prefix}  {text} {'OK' if ok else 'FAILED'}", flush=True)
        self.failed |= not ok

    def info(self, text: str) -> None:
        print(f"{self.prefix}  {text}", flush=True)


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def stp_tracker() -> list[str]:
    """The console script next to this interpreter, or `python -m stp_tracker`."""
    script = Path(sys.executable).parent / "stp-tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "stp_tracker"]


def run_measured(command: Sequence[str], logs: Path, timeout: float | None = None) -> Measured:
    """Run `command` as a child and return its wall time and its own peak RSS (via wait4)."""
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
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        returncode=process.returncode,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
        timed_out=killed.is_set(),
    )


def counts(db_path: Path) -> dict[str, int]:
    """Row counts that a no-op ingest must leave alone."""
    with sqlite3.connect(db_path) as conn:
        return {
            name: conn.execute(sql).fetchone()[0]
            for name, sql in {
                "facts": "select count(*) from facts",
                "facts retired": "select count(*) from facts where retired_at is not null",
                "changes": "select count(*) from changes",
                "changes retired": "select count(*) from changes where retired_at is not null",
                "stored versions": "select count(*) from fact_versions",
                "fact groups": "select count(*) from fact_groups",
                "change records": "select count(*) from change_records",
                "applies": "select count(*) from applies",
                "releases": "select count(*) from releases",
                "organisations": "select count(*) from organisations",
            }.items()
        }


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


def recorded_change_counts(db_path: Path) -> dict[str, Counter[str]]:
    """Believed changes of the bench source, per effective date and kind."""
    found: dict[str, Counter[str]] = {}
    with sqlite3.connect(db_path) as conn:
        for effective, kind, number in conn.execute(
            "select effective, kind, count(*) from changes "
            "where source = ? and retired_at is null group by effective, kind",
            [SOURCE],
        ):
            found.setdefault(effective, Counter())[kind] = number
    return found


def check_changes(report: Report, workload: Workload, db_path: Path) -> None:
    """Believed changes against what the CSVs imply, in total and for the last release."""
    expected = expected_change_counts(workload)
    recorded = recorded_change_counts(db_path)
    total_expected = sum(sum(c.values()) for c in expected.values())
    total_recorded = sum(sum(c.values()) for c in recorded.values())
    sign = "=" if total_recorded == total_expected else "!="
    report.check(
        total_recorded == total_expected,
        f"changes recorded {total_recorded} {sign} expected {total_expected}",
    )
    if total_expected != workload.planned_changes:  # the generator disagrees with its own files
        report.check(
            False,
            f"workload self-check: CSVs imply {total_expected}, generator planned "
            f"{workload.planned_changes}",
        )
    last = workload.last_period
    last_expected = sum(expected.get(last, Counter()).values())
    last_recorded = sum(recorded.get(last, Counter()).values())
    report.check(
        last_expected == last_recorded,
        f"changes of last release ({last}) recorded {last_recorded} "
        f"{'=' if last_expected == last_recorded else '!='} expected {last_expected}",
    )
    if recorded != expected:
        for period in sorted(expected.keys() | recorded.keys()):
            want, got = expected.get(period, Counter()), recorded.get(period, Counter())
            if want != got:
                report.info(f"  differs at {period}: expected {dict(want)}, recorded {dict(got)}")


def time_queries(report: Report, workload: Workload, db_path: Path) -> None:
    """The read side, in-process on a warmed connection: median of QUERY_RUNS calls."""
    from sqlite_utils import Database

    from stp_tracker.store.queries import history_of

    db = Database(db_path)
    try:
        org = workload.sample_org
        report.figure("history_org_ms", median_ms(lambda: history_of(db, org)), f"({org})")
        last = workload.last_period
        rows = db.execute(CHANGES_OF_RELEASE, [last]).fetchall()
        report.figure(
            "changes_last_release_ms",
            median_ms(lambda: db.execute(CHANGES_OF_RELEASE, [last]).fetchall()),
            f"({len(rows)} rows)",
        )
        ratings = db.execute("select * from current_ratings").fetchall()
        report.figure(
            "current_ratings_ms",
            median_ms(lambda: db.execute("select * from current_ratings").fetchall(), runs=9),
            f"({len(ratings)} rows)",
        )
    finally:
        db.close()


def profile_backfill(workload: Workload, out: Path, timeout: float | None) -> None:
    """Backfill again into a fresh database under cProfile and print the top entries."""
    folder = out / "profile"  # its own database and raw archive
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    db_path, stats_path = folder / "profile.db", folder / "backfill.prof"
    command = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(stats_path),
        "-m",
        "stp_tracker",
        *_ingest_args(workload, workload.files, db_path),
    ]
    measured = run_measured(command, out / "logs" / "profile", timeout)
    if not measured.ok:
        why = "timed out" if measured.timed_out else f"exit {measured.returncode}"
        print(f"profile run failed ({why} after {measured.wall_s:.0f} s)", flush=True)
        print(measured.stderr.strip(), flush=True)
        return
    text = io.StringIO()
    stats = pstats.Stats(str(stats_path), stream=text)
    stats.strip_dirs().sort_stats("cumulative").print_stats(25)
    print(f"--- profile of the backfill ({stats_path}), top 25 by cumulative time ---")
    print(text.getvalue().strip(), flush=True)


def _ingest_args(workload: Workload, files: Sequence[Path], db_path: Path) -> list[str]:
    return [
        "ingest",
        SOURCE,
        *map(str, files),
        "--db",
        str(db_path),
        "--config",
        str(workload.config),
    ]


def _command_failed(report: Report, what: str, measured: Measured) -> None:
    why = "timed out" if measured.timed_out else f"exit {measured.returncode}"
    report.check(False, f"{what} {why} after {measured.wall_s:.1f} s:")
    for line in (measured.stderr or measured.stdout).strip().splitlines()[-15:]:
        print(f"    {line}", flush=True)


def repeated(
    runs: int, command: Callable[[int], list[str]], logs: Path, timeout: float | None
) -> tuple[Measured, list[float]]:
    """Run a measured command `runs` times (command(k) gives the k-th); the slowest run's
    Measured (for its peak RSS) with the median wall time, and every wall time."""
    results = []
    for attempt in range(runs):
        measured = run_measured(command(attempt), logs / str(attempt), timeout)
        if not measured.ok:
            return measured, []
        results.append(measured)
    walls = [m.wall_s for m in results]
    worst = max(results, key=lambda m: m.peak_rss_mb)
    return replace(worst, wall_s=statistics.median(walls)), walls


def _spread(walls: list[float]) -> str:
    if len(walls) < 2:
        return ""
    return f"median of {len(walls)}: " + ", ".join(f"{w:.3g}" for w in sorted(walls))


def bench_size(
    size: Size, *, keep: bool, profile: bool, timeout: float | None, seed: int, runs: int = 3
) -> bool:
    """Run every measurement for one size; True if every check passed."""
    report = Report(size)
    out = OUT / size.name
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    workload = generate(out, size.n, size.r, size.f, seed=seed)
    csv_mb = sum(p.stat().st_size for p in workload.files) / (1024 * 1024)
    print(
        f"== {size.name}: N={size.n} R={size.r} F={size.f:g} seed={seed}: {len(workload.files)} "
        f"files, {csv_mb:.1f} MB of CSV in {out} (generated in "
        f"{time.perf_counter() - started:.1f} s; entity {workload.entity!r})",
        flush=True,
    )
    if workload.entity != "location":
        report.info("note: config rejects entity = 'location'; the source uses 'any' meanwhile")
    db_path = out / "bench.db"
    command = stp_tracker()

    def backfill_into(attempt: int) -> list[str]:  # each run gets a fresh database
        path = db_path if attempt == 0 else out / f"repeat-{attempt}" / "bench.db"
        return [*command, *_ingest_args(workload, workload.files, path)]

    backfill, walls = repeated(runs, backfill_into, out / "logs" / "backfill", timeout)
    for attempt in range(1, runs):
        shutil.rmtree(out / f"repeat-{attempt}", ignore_errors=True)
    if not backfill.ok:
        _command_failed(report, "full backfill", backfill)
        print(f"({out} kept for inspection)", flush=True)
        return False
    report.figure(
        "full_backfill_s",
        backfill.wall_s,
        f"({len(workload.files)} files{'; ' + _spread(walls) if len(walls) > 1 else ''})",
    )
    report.figure("backfill_peak_rss_mb", backfill.peak_rss_mb)

    before = counts(db_path)
    reingest, walls = repeated(
        runs,
        lambda _: [*command, *_ingest_args(workload, [workload.last_file], db_path)],
        out / "logs" / "reingest",
        timeout,
    )
    if not reingest.ok:
        _command_failed(report, "re-ingest of the last release", reingest)
        print(f"({out} kept for inspection)", flush=True)
        return False
    after = counts(db_path)
    report.figure("reingest_last_s", reingest.wall_s, f"({_spread(walls)})" if walls[1:] else "")
    report.figure("reingest_peak_rss_mb", reingest.peak_rss_mb)
    moved = {name: after[name] - before[name] for name in before if after[name] != before[name]}
    report.check(not moved, f"re-ingest of the last release recorded nothing {moved or ''}".strip())

    check_changes(report, workload, db_path)
    time_queries(report, workload, db_path)

    org = workload.sample_org
    history = run_measured(
        [*command, "history", org, "--db", str(db_path), "--config", str(workload.config)],
        out / "logs" / "history",
        timeout,
    )
    if history.ok:
        report.figure("history_cli_s", history.wall_s, "(whole process)")
    else:
        _command_failed(report, "stp-tracker history", history)
    changes = run_measured(
        [
            *command,
            "changes",
            "--since",
            workload.last_period,
            "--format",
            "csv",
            "--db",
            str(db_path),
            "--config",
            str(workload.config),
        ],
        out / "logs" / "changes",
        timeout,
    )
    if changes.ok:
        report.figure("changes_cli_s", changes.wall_s, "(changes --since last release)")
    else:
        _command_failed(report, "stp-tracker changes", changes)

    report.figure("db_size_mb", database_mb(db_path), f"({csv_mb:.1f} MB of CSV in)")
    raw = [p for p in (out / "raw").rglob("*") if p.is_file()] if (out / "raw").is_dir() else []
    if raw:
        raw_mb = sum(p.stat().st_size for p in raw) / (1024 * 1024)
        report.figure("raw_archive_mb", raw_mb, "(beside the database; not in db_size_mb)")
    if profile:
        profile_backfill(workload, out, timeout)
    if not keep:
        shutil.rmtree(out)
    return not report.failed


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the store on a synthetic workload and check what it records.",
    )
    parser.add_argument("--n", type=int, help="organisations (default: the named sizes)")
    parser.add_argument("--r", type=int, help="releases, a quarter apart")
    parser.add_argument("--f", type=float, help="fraction of organisations changing per release")
    parser.add_argument(
        "--sizes",
        default="small,large",
        help="named sizes to run: "
        + ", ".join(f"{s.name} (N={s.n} R={s.r} F={s.f:g})" for s in SIZES.values()),
    )
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--keep", action="store_true", help="keep bench/out/<size>/ afterwards")
    parser.add_argument(
        "--profile", action="store_true", help="also backfill under cProfile and print the top 25"
    )
    parser.add_argument(
        "--timeout", type=float, help="kill any measured command that runs longer (seconds)"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="time the backfill and the re-ingest this many times and report the median "
        "(a shared 2-core machine varies by a third from run to run)",
    )
    parser.add_argument(
        "--load",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="after the sizes, run the load test at the large size (python -m bench.load)",
    )
    parser.add_argument("--load-seconds", type=float, default=20.0, help="per load phase")
    parser.add_argument("--load-clients", type=int, default=50)
    return parser.parse_args(argv)


def sizes_for(args: argparse.Namespace) -> list[Size]:
    """--n/--r/--f make one custom size (with a named size's targets if it matches one)."""
    if args.n is None and args.r is None and args.f is None:
        names = [name.strip() for name in args.sizes.split(",") if name.strip()]
        unknown = [name for name in names if name not in SIZES]
        if unknown:
            raise SystemExit(f"unknown size {unknown[0]!r}; known: {', '.join(SIZES)}")
        return [SIZES[name] for name in names]
    small = SIZES["small"]
    n = small.n if args.n is None else args.n
    r = small.r if args.r is None else args.r
    f = small.f if args.f is None else args.f
    for size in SIZES.values():
        if (size.n, size.r, size.f) == (n, r, f):
            return [size]
    return [Size(f"n{n}-r{r}-f{f:g}", n, r, f)]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    ok = True
    for size in sizes_for(args):
        ok &= bench_size(
            size,
            keep=args.keep,
            profile=args.profile,
            timeout=args.timeout,
            seed=args.seed,
            runs=max(1, args.runs),
        )
    if args.load:
        from .load import run_load

        large = SIZES["large"]
        ok &= run_load(
            large.n, large.r, large.f, clients=args.load_clients, seconds=args.load_seconds,
            seed=args.seed, keep=args.keep,
        )  # fmt: skip
    print("all checks passed" if ok else "some checks FAILED", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
