"""One writer per database: an advisory lock held on a file beside it.

The operating system releases an flock when its holder exits, however it dies, so a `kill -9`
never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError


def lock_path(db_path: str | Path) -> Path:
    """The lock file for a database."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer_lock(db_path: str | Path, *, wait: float = 0.0, purpose: str = "") -> Iterator[None]:
    """Hold the database's writer lock, waiting up to `wait` seconds for it.

    Raises StoreError naming the process that holds it when it stays busy.
    """
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 200, 0).decode(errors="replace").strip()
                    raise StoreError(
                        f"{db_path} is being written by another stp-tracker process "
                        f"({holder or 'unknown'}); stop it or wait for it to finish"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"pid {os.getpid()} {purpose}".strip().encode(), 0)
        yield
    finally:
        os.close(handle)
