"""`python -m bench` (or `make bench`): time the store on a synthetic workload and check it.

For each size: generate the workload under bench/out/<size>/, backfill every release in one
`stp-tracker ingest` process and, taking turns with it, with sqlite-utils and sqlite-history
(bench/history.py) for comparison, re-ingest the last release (which must record nothing), time
the read queries in-process, measure peak RSS and database size, and check the number of
believed changes against what the CSV files imply. Then (unless --no-load) the load test of
bench/load.py at the large size: concurrent readers of the site while the service applies
releases. Missed targets are reported; only a failed check (a read that failed or came back
torn, included) or a failed command makes the exit status non-zero.
"""

from __future__ import annotations

import argparse
import io
import pstats
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .checks import check_changes, counts, time_queries
from .measure import (
    Measured,
    Report,
    Size,
    combined,
    database_mb,
    fmt,
    run_measured,
)
from .workload import SOURCE, Workload, generate

OUT = Path(__file__).resolve().parent / "out"

SIZES = {
    "small": Size(
        "small",
        5_000,
        20,
        0.02,
        {
            "full_backfill_s": 1.0,
            "backfill_vs_history": 0.5,
            "reingest_last_s": 0.15,
            "history_org_ms": 5,
            "changes_last_release_ms": 20,
            "backfill_peak_rss_mb": 150,
            "db_size_mb": 1.7,
            "db_size_vs_history": 1.0,
        },
    ),
    "large": Size(
        "large",
        50_000,
        10,
        0.01,
        {
            "full_backfill_s": 5.0,
            "backfill_vs_history": 0.5,
            "reingest_last_s": 1.0,
            "history_org_ms": 5,
            "changes_last_release_ms": 50,
            "current_ratings_ms": 50,
            "backfill_peak_rss_mb": 400,
            "db_size_mb": 16,
            "db_size_vs_history": 1.0,
        },
    ),
}


def stp_tracker() -> list[str]:
    """The console script next to this interpreter, or `python -m stp_tracker`."""
    script = Path(sys.executable).parent / "stp-tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "stp_tracker"]


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


def backfills(
    workload: Workload, out: Path, runs: int, timeout: float | None
) -> tuple[Measured, Measured, Path]:
    """Backfill every release with stp-tracker and with sqlite-history, `runs` times each,
    taking turns so both see the same load; each run gets a fresh database. Returns both
    (medians) and the sqlite-history database of the first run."""
    ours, theirs = [], []
    history_db = out / "history" / "history.db"
    for attempt in range(runs):
        folder = out if attempt == 0 else out / f"repeat-{attempt}"
        path = folder / "bench.db"
        command = [*stp_tracker(), *_ingest_args(workload, workload.files, path)]
        ours.append(run_measured(command, out / "logs" / "backfill" / str(attempt), timeout))
        other = history_db if attempt == 0 else folder / "history.db"
        other.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "bench.history", str(other), *map(str, workload.files)]
        theirs.append(run_measured(command, out / "logs" / "history" / str(attempt), timeout))
        if attempt:
            shutil.rmtree(folder, ignore_errors=True)
    return combined(ours), combined(theirs), history_db


def report_backfill(report: Report, workload: Workload, ours: Measured, theirs: Measured) -> None:
    """The backfill's figures beside sqlite-history's, and their ratio."""
    files = len(workload.files)
    spread = f"; {ours.spread()}" if ours.walls[1:] else ""
    note = f"({files} files; cpu {fmt(ours.cpu_s)} s{spread})"
    report.figure("full_backfill_s", ours.wall_s, note)
    report.figure("backfill_peak_rss_mb", ours.peak_rss_mb)
    if theirs.ok:
        spread = f"; {theirs.spread()}" if theirs.walls[1:] else ""
        report.figure("history_backfill_s", theirs.wall_s,
                      f"(sqlite-history; cpu {fmt(theirs.cpu_s)} s{spread})")  # fmt: skip
        report.figure("backfill_vs_history", ours.wall_s / theirs.wall_s,
                      f"(wall; cpu {fmt(ours.cpu_s / theirs.cpu_s)})")  # fmt: skip
    else:
        _command_failed(report, "sqlite-history backfill", theirs)


def reingest(report: Report, workload: Workload, out: Path, runs: int,
             timeout: float | None) -> bool:  # fmt: skip
    """Re-ingest the last release `runs` times: it must record nothing. False if it failed."""
    db_path = out / "bench.db"
    before = counts(db_path)
    command = [*stp_tracker(), *_ingest_args(workload, [workload.last_file], db_path)]
    logs = out / "logs" / "reingest"
    measured = combined([run_measured(command, logs / str(k), timeout) for k in range(runs)])
    if not measured.ok:
        _command_failed(report, "re-ingest of the last release", measured)
        return False
    after = counts(db_path)
    report.figure("reingest_last_s", measured.wall_s, f"({measured.spread()})" if runs > 1 else "")
    report.figure("reingest_peak_rss_mb", measured.peak_rss_mb)
    moved = {name: after[name] - before[name] for name in before if after[name] != before[name]}
    report.check(not moved, f"re-ingest of the last release recorded nothing {moved or ''}".strip())
    return True


def time_cli(report: Report, workload: Workload, out: Path, timeout: float | None) -> None:
    """The history and changes questions through the CLI, whole process."""
    where = ["--db", str(out / "bench.db"), "--config", str(workload.config)]
    for name, args, note in [
        ("history_cli_s", ["history", workload.sample_org], "(whole process)"),
        ("changes_cli_s", ["changes", "--since", workload.last_period, "--format", "csv"],
         "(changes --since last release)"),
    ]:  # fmt: skip
        measured = run_measured([*stp_tracker(), *args, *where], out / "logs" / name, timeout)
        if measured.ok:
            report.figure(name, measured.wall_s, note)
        else:
            _command_failed(report, f"stp-tracker {args[0]}", measured)


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
    ours, theirs, history_db = backfills(workload, out, runs, timeout)
    if not ours.ok:
        _command_failed(report, "full backfill", ours)
        print(f"({out} kept for inspection)", flush=True)
        return False
    report_backfill(report, workload, ours, theirs)
    if not reingest(report, workload, out, runs, timeout):
        print(f"({out} kept for inspection)", flush=True)
        return False
    db_path = out / "bench.db"
    check_changes(report, workload, db_path)
    time_queries(report, workload, db_path)
    time_cli(report, workload, out, timeout)
    size_mb = database_mb(db_path)
    report.figure("db_size_mb", size_mb, f"({csv_mb:.1f} MB of CSV in)")
    if theirs.ok:
        history_mb = database_mb(history_db)
        report.figure("history_db_size_mb", history_mb, "(sqlite-history, after checkpoint)")
        report.figure("db_size_vs_history", size_mb / history_mb)
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
        help="time the backfills (ours and sqlite-history's, taking turns) and the re-ingest "
        "this many times and report the median (a shared 2-core machine varies by a third "
        "from run to run)",
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
