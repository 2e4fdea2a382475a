"""What may be published about a fetch: URLs without secrets, local paths without folders, and
text from a source clipped and stripped of control characters.

Everything the store records ends up on the public Datasette, so every URL, origin and error
message passes through here before it is written: `public_url` hides credentials and secret
query parameters, `public_text` keeps a message to one bounded line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .config import DEFAULT_SECRET_PARAMS

REDACTED = "REDACTED"
MAX_TEXT = 1000  # characters of an error message kept on the fetches row
MAX_QUOTED = 80  # characters of one quoted cell kept inside a message
MAX_NAME = 200  # characters of an unresolved name kept in `unmatched`

_URL = re.compile(r"\b(?:https?|file)://[^\s'\"<>]+", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A quoted cell: a quote not inside a word, then more than MAX_QUOTED characters to its match.
_QUOTED = re.compile(r"(?<!\w)(['\"])((?:(?!\1).){" + str(MAX_QUOTED) + r"})(?:(?!\1).)+\1(?!\w)")


def is_local(url: str) -> bool:
    """Whether a source's url names a local file (``file://`` or a plain path)."""
    scheme = urlsplit(url).scheme.lower()
    return scheme == "file" or "://" not in url


def public_url(url: str | None, secret_params: Iterable[str] = DEFAULT_SECRET_PARAMS) -> str | None:
    """`url` as it may be published: no ``user:pass@``, secret parameters' values replaced by
    REDACTED, no fragment; a local file (``file://`` or a path) reduced to its file name."""
    if url is None:
        return None
    if is_local(url):
        parts, path = urlsplit(url), url
        if parts.scheme.lower() == "file":
            from urllib.request import url2pathname  # (it loads http.client: not for a path)

            path = url2pathname(parts.path)
        return PurePath(path).name or path
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if _has_port(parts) else "")
    words = [word.casefold() for word in secret_params if word]
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    secret = [any(word in name.casefold() for word in words) for name, _ in pairs]
    query = parts.query
    if any(secret):
        hidden = [(n, REDACTED if s else v) for (n, v), s in zip(pairs, secret, strict=True)]
        query = urlencode(hidden, safe="/:,", quote_via=quote)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _has_port(parts) -> bool:  # type: ignore[no-untyped-def]
    try:
        return parts.port is not None
    except ValueError:  # a malformed port: leave it out
        return False


def public_text(
    text: str | None,
    limit: int = MAX_TEXT,
    secret_params: Iterable[str] = DEFAULT_SECRET_PARAMS,
) -> str | None:
    """A message fit to publish: URLs made public, control characters escaped, long quoted
    cells clipped to MAX_QUOTED characters and the whole clipped to `limit` characters."""
    if text is None:
        return None
    words = tuple(secret_params)
    text = _URL.sub(lambda match: _public_match(match.group(0), words), text)
    text = _CONTROL.sub(lambda match: repr(match.group(0))[1:-1], text)
    text = _QUOTED.sub(lambda match: f"{match.group(1)}{match.group(2)}…{match.group(1)}", text)
    return clip(text, limit)


def _public_match(found: str, secret_params: tuple[str, ...]) -> str:
    """A URL found in a message, made public; punctuation that ends the sentence stays."""
    url = found.rstrip(".,;:!?)]")
    return (public_url(url, secret_params) or "") + found[len(url) :]


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    cut = len(text) - limit
    return f"{text[:limit]}… ({cut:,} more characters)"


def public_name(name: str) -> str:
    """An unresolved name from a source as `unmatched` keeps it: one line, at most MAX_NAME."""
    return clip(_CONTROL.sub(lambda match: repr(match.group(0))[1:-1], name), MAX_NAME)
