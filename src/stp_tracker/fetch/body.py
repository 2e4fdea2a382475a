"""A body: the bytes a source gave, with where they came from and what the server said.

Bodies come from HTTP (`http.fetch`), from local files (`read_file`) or from the raw archive
(`archived_body`); every later stage takes them alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..clock import Clock, stamp, utc_now
from .archive import read_body
from .local import read_path


@dataclass(frozen=True)
class Body:
    """Bytes obtained from a source, with where they came from and what the server said."""

    data: bytes
    origin: str
    started_at: str
    finished_at: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    published: str | None = None  # effective date from Last-Modified, for effective="published"

    @property
    def sha256(self) -> str:
        """The content hash the archive and the unchanged-check use."""
        return hashlib.sha256(self.data).hexdigest()


def read_file(path: str | Path, clock: Clock = utc_now) -> Body:
    """A local regular file as a Body whose origin is only the file's name (what is published);
    unreadable files are a FetchError naming the file."""
    started = stamp(clock())
    path = Path(path)
    data = read_path(path)
    return Body(data, path.name or str(path), started, stamp(clock()))


def published_date(last_modified: str | None) -> str | None:
    """The ISO date of an HTTP Last-Modified header, for sources dated by publication."""
    if not last_modified:
        return None
    import email.utils  # only a source dated by publication needs it

    try:
        return email.utils.parsedate_to_datetime(last_modified).date().isoformat()
    except (TypeError, ValueError):
        return None


def archived_body(archive: Path, row: dict) -> Body:
    """The body a recorded fetch received, read back from the raw archive."""
    return Body(
        read_body(archive, row["sha256"]), row["url"], row["started_at"], row["finished_at"],
        row["http_status"], row["etag"], row["last_modified"],
        published_date(row["last_modified"]),
    )  # fmt: skip
