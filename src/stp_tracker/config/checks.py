"""Reading TOML and checking its values, with every message naming the file and key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ConfigError


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, with syntax errors reported against the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def typed(table: dict[str, Any], key: str, kind: type | tuple[type, ...], origin: str) -> Any:
    value = table.get(key)
    if value is not None and not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{origin}: {key} must be {names}, not {value!r}")
    return value


def patterns(value: Any, where: str) -> tuple[str, ...]:
    """A list of regular expressions from TOML, each checked to compile."""
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ConfigError(f"{where} must be a list of patterns (regular expressions)")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: {pattern!r} is not a regular expression ({exc})") from None
    return tuple(value)


def strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)
