"""The raw archive: every fetched body kept once, gzipped, under the SHA-256 of its content.

Content addressing makes storing idempotent (the same bytes land on the same path) and lets a
reader check that what it got back is exactly what was fetched. Files live beside the database
as ``raw/ab/cd/<sha256>.gz`` so no folder grows too large.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import secrets
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path

from isal import igzip_lib

from ..errors import StoreError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def archive_root(db_path: str | Path) -> Path:
    """The raw archive folder for a database: ``raw`` next to the database file."""
    return Path(db_path).parent / "raw"


def sha256_of(body: bytes) -> str:
    """The lowercase hex SHA-256 of `body`, the key it is archived under."""
    return hashlib.sha256(body).hexdigest()


def body_path(root: Path, sha256: str) -> Path:
    """Where the body with this hash lives: ``root/ab/cd/<sha256>.gz``."""
    if not _SHA256.match(sha256):
        raise StoreError(f"{sha256!r} is not a SHA-256 hex digest (64 lowercase hex characters)")
    return Path(root) / sha256[:2] / sha256[2:4] / f"{sha256}.gz"


def store_body(root: Path, body: bytes) -> str:
    """Archive `body` gzipped under its hash and return the hash; a no-op if already stored.

    The file is written to a temporary name in the same folder, synced, then renamed into
    place, so a reader never sees a half-written file even if we crash mid-write.
    """
    sha = sha256_of(body)
    path = body_path(root, sha)
    if path.exists():
        return sha
    temp = path.with_name(f".{sha}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(gzipped(body))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # no folder to hold it (a file in the way), say
            temp.unlink(missing_ok=True)
        reason = exc.strerror or type(exc).__name__
        raise StoreError(
            f"could not write body {sha[:12]} to the raw archive ({reason}); free some space "
            "or fix the archive folder's permissions and fetch again"
        ) from exc
    return sha


def gzipped(body: bytes) -> bytes:
    """`body` as a gzip member with no name and no time in its header (so the same bytes
    always give the same file), at ISA-L's fastest level: a third of the time zlib's fastest
    takes, and a little smaller. One call, without the interpreter's lock."""
    return igzip_lib.compress(body, 1, flag=igzip_lib.COMP_GZIP)


class Archiving:
    """Bodies stored (`store_body`) by a thread of their own while the caller goes on (parsing
    them): compressing and hashing run in C without the interpreter's lock, so on a machine
    with a spare core archiving a backfill's files costs it little time. Each body's bytes are
    let go once stored. `wait` returns once all are stored, raising what stopped it, if
    anything did."""

    def __init__(self, root: Path, bodies: Sequence[bytes]) -> None:
        self._bodies = list(bodies)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._store, args=(root,), name="archive")
        self._thread.start()

    def _store(self, root: Path) -> None:
        try:
            for index, body in enumerate(self._bodies):
                store_body(root, body)
                self._bodies[index] = b""
        except BaseException as exc:  # handed to the caller by `wait`
            self._error = exc

    def wait(self) -> None:
        """Return once every body is stored, or raise the error that stopped the storing."""
        self._thread.join()
        if self._error is not None:
            raise self._error


def read_body(root: Path, sha256: str) -> bytes:
    """The archived body with this hash, checked against it; StoreError if missing or corrupt."""
    path = body_path(root, sha256)
    try:
        with gzip.open(path, "rb") as handle:
            body = handle.read()
    except FileNotFoundError:
        raise StoreError(f"raw archive is missing {sha256} under {root}") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise StoreError(f"raw archive file {path} is corrupted: {exc}") from exc
    actual = sha256_of(body)
    if actual != sha256:
        raise StoreError(
            f"raw archive file {path} is corrupted: its content hashes to {actual}, not {sha256}"
        )
    return body
