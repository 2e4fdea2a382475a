"""A full disk, and every other OS error on a write path: one line, a non-zero exit, and a
database exactly as it was.

The disk really fills: a small tmpfs mounted in a private user and mount namespace
(`unshare -rm`, skipped where the kernel does not allow it), or, always, a file size limit
(RLIMIT_FSIZE) under which every write past the database's size fails as it would on a full
device.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.ratings import ratings_csv, source, write_config

CODES = [f"E540000{n:02d}" for n in range(5, 49)]
WEEKS = [date(2017, 8, 1) + timedelta(weeks=n) for n in range(20)]  # all 44 STPs existed then
ROWS = [[code, "Outstanding" if n % 2 else "Red", day.isoformat()]
        for n, day in enumerate(WEEKS) for code in CODES]  # fmt: skip
VERBS = [
    ["fetch", "dash"],
    ["ingest", "dash", "{data}"],
    ["alias", "add", "Dorset Partnership", "E54000041"],
    ["rebuild"],
]


def prepare(folder: Path) -> tuple[Path, Path, Path]:
    """A config folder, a release file and an initialised database under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "dash.csv"
    data.write_bytes(ratings_csv(ROWS))
    config = write_config(folder / "cfg", source("dash", str(data)))
    db = folder / "db" / "stp.db"
    run(["init"], db, config)
    return config, data, db


def run(args: list[str], db: Path, config: Path, **options) -> subprocess.CompletedProcess:
    """One CLI verb in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "stp_tracker", *args, "--db", str(db), "--config", str(config)],
        capture_output=True, text=True, timeout=120, cwd=REPO, check=False, **options,
    )  # fmt: skip


def content(db: Path) -> dict[str, list]:
    """Every table but fetches, unmatched and aliases (a small alias may still fit on the
    disk), for comparing before and after."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return {t: sorted(map(repr, conn.execute(f"select * from [{t}]")))
                for t in tables if t not in ("fetches", "unmatched", "aliases")}  # fmt: skip


def check_one_line(result: subprocess.CompletedProcess) -> None:
    """Failed with one line on stderr and no traceback (a small alias may still fit)."""
    assert "Traceback" not in result.stderr + result.stdout
    if result.args[0] == "alias" and result.returncode == 0:
        return
    assert result.returncode != 0, result.stdout
    assert len(result.stderr.splitlines()) <= 1, result.stderr


def inside(folder: str, slack_kb: int) -> None:
    """Run in a namespace with a 4 MB tmpfs at `folder`: fill it to within `slack_kb`, try
    every writing verb, and print what happened as JSON."""
    base = Path(folder)
    config, data, db = prepare(base)
    before = content(db)
    filler = base / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - slack_kb * 1024))
    results = []
    for verb in VERBS:
        args = [part.format(data=data) for part in verb]
        result = run(args, db, config)
        results.append([args, result.returncode, result.stdout, result.stderr])
    filler.unlink()
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
    print(json.dumps({"results": results, "integrity": integrity,
                      "unchanged": content(db) == before}))  # fmt: skip


@pytest.mark.parametrize("slack_kb", [40, 120])
def test_a_full_disk_gives_one_line_and_changes_nothing(tmp_path: Path, slack_kb: int) -> None:
    """On a really full file system each writing verb fails with one line naming the problem,
    and the database passes its integrity check with all its history as it was."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = (f"mount -t tmpfs -o size=4m tmpfs {mount} && cd {REPO} && "
              f"{sys.executable} -c 'from tests.test_diskfull import inside; "
              f'inside("{mount}", {slack_kb})\'')  # fmt: skip
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip
    if done.returncode != 0 and "mount" in done.stderr + done.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["integrity"] == "ok" and report["unchanged"]
    for args, code, stdout, stderr in report["results"]:
        check_one_line(subprocess.CompletedProcess(args, code, stdout, stderr))
        if code != 0:
            assert "full" in stderr + stdout or "space" in stderr + stdout, (args, stderr, stdout)


@pytest.mark.parametrize("limit", [1, 32768], ids=["no-writes", "some-writes"])
def test_every_os_error_on_a_write_path_is_one_line(tmp_path: Path, limit: int) -> None:
    """With writes past `limit` bytes of any file refused by the kernel (RLIMIT_FSIZE: at
    once, or once the write-ahead log outgrows 32 kB), each writing verb fails with one line
    and leaves the history as it was."""
    config, data, db = prepare(tmp_path)
    before = content(db)

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    for verb in VERBS:
        args = [part.format(data=data) for part in verb]
        result = run(args, db, config, preexec_fn=limited)
        result.args = args
        check_one_line(result)
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert content(db) == before


def test_a_read_only_database_folder_is_one_line(tmp_path: Path) -> None:
    """A database whose folder cannot be written fails every writing verb with one line."""
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    config, data, db = prepare(tmp_path)
    db.parent.chmod(0o555)
    try:
        for verb in VERBS:
            args = [part.format(data=data) for part in verb]
            result = run(args, db, config)
            result.args = args
            check_one_line(result)
    finally:
        db.parent.chmod(0o755)
