"""The one place the code reads the clock: a `Clock` is passed wherever time matters, so tests
pass their own and never sleep; `stamp` is how a moment is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current time in UTC (the default clock; tests pass their own)."""
    return dt.datetime.now(dt.UTC)


def stamp(moment: dt.datetime) -> str:
    """A timestamp as stored: ISO 8601 UTC to the microsecond, so it sorts as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
