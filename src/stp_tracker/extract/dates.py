"""Dates as sources write them, normalised to ISO 8601 text of the precision they were given.

A source that says "March 2016" knows the month, not the day, so we keep ``2016-03`` rather than
inventing ``2016-03-01``. ISO prefixes sort correctly as text, which is how the store compares them.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import ConfigError, ParseError

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
_UK = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{4})$")


def parse_date(
    text: str,
    *,
    where: str = "",
    file: str | None = None,
    row: int | None = None,
    field: str | None = None,
) -> str:
    """ISO text (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) for a date a person or sheet wrote.

    Accepts ISO dates and datetimes, ``21/07/2017`` (day first, as UK sources write it) and
    ``21 July 2017`` / ``July 2017``. Anything else raises ParseError (or ConfigError when
    `where` names a config key) saying what was expected.
    """
    value = str(text).strip()
    year = month = day = None
    if match := _ISO.match(value):
        year, month, day = (int(g) if g else None for g in match.groups())
    elif match := _UK.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif (match := _WORDS.match(value)) and match.group(2).lower() in _MONTHS:
        day = int(match.group(1)) if match.group(1) else None
        month, year = _MONTHS[match.group(2).lower()], int(match.group(3))
    try:
        if year is None:
            raise ValueError
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        message = f"{value!r} is not a date (expected YYYY-MM-DD, DD/MM/YYYY or '21 July 2017')"
        if where:
            raise ConfigError(f"{where}: {message}") from None
        raise ParseError(message, file=file, row=row, field=field) from None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
