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
