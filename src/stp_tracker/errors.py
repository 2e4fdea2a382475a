"""The project's exceptions: every failure a user can act on is one of these.

    StpTrackerError
     ├── ConfigError    a config file or option is wrong (names the file and key)
     ├── FetchError     a source could not be fetched, or served the wrong thing
     ├── ParseError     a file could not be read as its source says (names file, row, field)
     │    └── ResolveError  names or codes that match no known organisation
     └── StoreError     the database refused a release, or is busy / locked

The CLI prints ``str(error)`` as one line and exits non-zero; the scheduled job logs it and
records it on the fetch's row. Third-party errors are wrapped at the stage boundary.
"""

from __future__ import annotations


class StpTrackerError(Exception):
    """Base of every error this project raises on purpose."""

    exit_code = 1


class ConfigError(StpTrackerError):
    """A configuration file, key or command-line option is invalid."""

    exit_code = 2


class FetchError(StpTrackerError):
    """A source could not be fetched or served something other than what it promised."""


class ParseError(StpTrackerError):
    """A file could not be read as its source's configuration says.

    The message names the file and, where known, the row and field, so a person can find the
    offending cell without reading code.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file, self.row, self.field, self.reason = file, row, field, message
        where = [part for part in (file, f"row {row}" if row is not None else None) if part]
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(": ".join([*where, message]) if where else message)


class ResolveError(ParseError):
    """Names or codes in a release that match no organisation (or more than one)."""


class StoreError(StpTrackerError):
    """The database could not take a release, or another process holds the writer lock."""


def system_error(exc: BaseException, db_path: object) -> str:
    """One line for an error the operating system or SQLite raised (a full disk, a read-only
    folder, no memory), naming what was being written and what to do."""
    import errno
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        text = str(exc) or type(exc).__name__
        if "full" in text:
            return f"{db_path}: the disk is full ({text}); free some space and run it again"
        if "readonly" in text or "read-only" in text:
            return f"{db_path}: the database cannot be written ({text}); check its permissions"
        if "unable to open" in text:
            return f"{db_path}: cannot open the database ({text}); check the folder exists"
        return f"{db_path}: {text} (is the disk full or failing?)"
    if isinstance(exc, MemoryError):
        return "out of memory; close other programs or raise the memory limit, and try again"
    assert isinstance(exc, OSError)
    where = exc.filename if exc.filename is not None else db_path
    advice = {
        errno.ENOSPC: "no space left on the device; free some space and try again",
        errno.EDQUOT: "the disk quota is used up; free some space and try again",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EFBIG: "the file is larger than this process may write",
    }.get(exc.errno or 0, exc.strerror or str(exc) or type(exc).__name__)
    return f"{where}: {advice}"
