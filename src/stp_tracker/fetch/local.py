"""Read a local file as a source body: regular files only, within a size limit and a deadline.

A FIFO or device named as a source would block or never end, so only regular files are read;
the read goes in chunks so a slow (network) file system still stops at the fetch's deadline.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FetchError

if TYPE_CHECKING:  # not at run time: reading a local file (a re-ingest) loads no HTTP client
    from .transport import Bounds

CHUNK = 1024 * 1024


def too_large(what: str, max_bytes: int) -> str:
    """The message for a body over its source's size limit."""
    return (
        f"{what} is larger than the limit of {max_bytes} bytes "
        "(raise max_bytes for this source if that size is expected)"
    )


def read_path(path: Path, max_bytes: int | None = None, bounds: Bounds | None = None) -> bytes:
    """The bytes of the regular file at `path`; FetchError (naming only the file) otherwise.

    Raises transport.Stopped when `bounds` pass (deadline or cancel) mid-read.
    """
    name = path.name or str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise FetchError(f"{name}: file not found") from None
    except OSError as exc:
        raise FetchError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or (max_bytes is not None and info.st_size > max_bytes):
        os.close(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise FetchError(f"{name}: not a regular file (a folder, pipe or device)")
        raise FetchError(too_large(f"file {name}", max_bytes or 0))
    with os.fdopen(descriptor, "rb") as handle:
        chunks: list[bytes] = []
        total = 0
        while True:
            if bounds is not None:
                bounds.check()
            try:
                chunk = handle.read(CHUNK)
            except OSError as exc:
                raise FetchError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
            if not chunk:
                break
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:  # the file grew while we read it
                raise FetchError(too_large(f"file {name}", max_bytes))
            chunks.append(chunk)
    return b"".join(chunks)


__all__ = ["read_path", "too_large"]
