"""The configuration as plain data: frozen dataclasses for the tracker's settings, its sources,
rating scales and organisation kinds, and the defaults and names they are checked against.

Reading it is done by the submodules: `checks` (TOML and typed values), `sources` (each
``[[source]]`` table into a `SourceConfig`) and `loading` (a whole folder, with environment
overrides), so a config mistake is reported with its file and key before anything runs.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError

FORMATS = (
    "csv", "xlsx", "xls", "spreadsheet", "html-table", "json", "article", "feed", "geojson",
    "ods",
)  # fmt: skip
NEWS_FORMATS = ("article", "feed")  # read from prose: no [source.columns]
SPREADSHEETS = ("xlsx", "xls", "spreadsheet")  # one reader: .xlsx, .xlsm, .xls and .ods alike
# The NHS Organisation Data Service's API (not an .ods spreadsheet, which is "spreadsheet"):
# keeps organisations, names and lineage current, and maps no columns.
REGISTRY_FORMATS = ("ods",)
LAYOUTS = ("wide", "long")
AGGREGATES = ("sum", "last")  # how rows repeating an organisation combine (extract/repeats.py)
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")  # an organisation kind, or "any"
DEFAULT_DB = "db/stp.db"
DEFAULT_CONFIG = "config"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# What one spreadsheet may hold (reading costs about 70 bytes a cell of its used range).
DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_048_576  # Excel's own limit
DEFAULT_MAX_CELLS = 5_000_000
DEFAULT_DEADLINE = "2m"  # one fetch of a source, all its attempts included
DEFAULT_SECRET_PARAMS = (
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "pwd",
    "auth",
    "sig",
    "session",
    "credential",
    "code",
)  # fmt: skip  (redact.py keeps the same list for text with no configuration at hand)
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# Column targets that describe the row rather than an attribute of the organisation.
ROW_TARGETS = frozenset(
    {"org.code", "org.name", "publisher", "note", "attribute", "value", "kind", "reported_on"}
)
ATTRIBUTE_PATTERN = re.compile(r"^(org\.name|(rating|metric|leader)\.[a-z0-9_]+)$")


def parse_duration(text: str, origin: str, key: str) -> int:
    """Seconds in a duration such as ``90s``, ``15m``, ``6h`` or ``1d``."""
    match = _DURATION.match(str(text))
    if not match or int(match.group(1)) == 0:
        raise ConfigError(f"{origin}: {key} = {text!r} is not a duration like '30m', '6h' or '1d'")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass(frozen=True)
class SourceConfig:
    """One configured source, exactly as `config/sources.toml` declares it."""

    name: str
    format: str
    url: str | None = None
    title: str = ""
    every: str | None = None
    cron: str | None = None
    entity: str = "stp"
    creates: bool = False
    complete: bool = False
    effective: str | None = None
    effective_column: str | None = None
    scale: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    selector: str | None = None
    records: str | None = None
    layout: str = "wide"
    columns: dict[str, str] = field(default_factory=dict)
    publisher: str | None = None
    licence: str | None = None
    attribution: str | None = None
    max_change: float = 0.25
    max_bytes: int = DEFAULT_MAX_BYTES
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_cells: int = DEFAULT_MAX_CELLS
    max_failures: int = 3
    max_items: int = 20  # feed: new items fetched per run (the rest wait for the next)
    deadline: str = DEFAULT_DEADLINE
    redirect_hosts: tuple[str, ...] = ()
    enabled: bool = True
    skip_rows: tuple[str, ...] = ()  # patterns: a row whose org code or name matches is skipped
    aggregate: str | None = None  # how rows repeating an organisation combine: "sum" or "last"
    origin: str = ""

    @property
    def every_seconds(self) -> int | None:
        """The `every` interval in seconds, or None when the source runs by cron or by hand."""
        return parse_duration(self.every, self.origin, "every") if self.every else None

    @property
    def deadline_seconds(self) -> int:
        """How long one fetch of this source may take, all its attempts included."""
        return parse_duration(self.deadline, self.origin, "deadline")

    def column_for(self, target: str) -> str | None:
        """The source column mapped to `target` (e.g. ``org.code``), if any: the first of its
        alternatives (a file's own columns decide which one it uses; see `alternatives`)."""
        for column, mapped in self.columns.items():
            if mapped == target:
                return column
        return None

    def alternatives(self) -> dict[str, list[str]]:
        """Each mapped target with its columns in order: ONS renames its columns every year
        (STP18CD, STP20CD, STP21CD), so several may map to one attribute; a file uses the first
        of them it has."""
        found: dict[str, list[str]] = {}
        for column, target in self.columns.items():
            found.setdefault(target, []).append(column)
        return found

    def skips(self, code: str, name: str) -> str | None:
        """The `skip_rows` pattern a row's organisation code or name matches, if any."""
        for pattern in self.skip_rows:
            compiled = _pattern(pattern)
            if (code and compiled.fullmatch(code.strip())) or (
                name and compiled.fullmatch(" ".join(name.split()))
            ):
                return pattern
        return None


@dataclass(frozen=True)
class Scale:
    """An ordinal rating scale: canonical labels from worst to best, and their synonyms."""

    name: str
    labels: tuple[str, ...]
    synonyms: dict[str, str]

    def rank(self, label: str) -> int:
        """1 for the worst band up to len(labels) for the best."""
        return self.labels.index(label) + 1


@dataclass(frozen=True)
class Kinds:
    """Organisation kinds and the code patterns each declares, and what stands for an aggregate
    (a country, region or total) rather than one organisation."""

    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> code patterns
    aggregate_codes: tuple[str, ...] = ()
    aggregate_names: tuple[str, ...] = ()

    def fits(self, kind: str, code: str) -> bool:
        """Whether `code` can be a code of `kind` (any code can when the kind declares none)."""
        patterns = self.codes.get(kind)
        return not patterns or any(_pattern(p).fullmatch(code.strip()) for p in patterns)

    def aggregate(self, code: str, name: str) -> bool:
        """Whether a row's code or name stands for many organisations (England, a total)."""
        codes, names = _aggregates(self.aggregate_codes, self.aggregate_names)
        if code and any(pattern.fullmatch(code.strip()) for pattern in codes):
            return True
        folded = " ".join(name.split()).casefold()
        return bool(folded) and folded in names

    def definition(self, kind: str) -> dict[str, Any]:
        """What decides a row of `kind` is skipped, as plain data (stored with each fetch)."""
        return {
            "codes": list(self.codes.get(kind, ())),
            "aggregate_codes": list(self.aggregate_codes),
            "aggregate_names": list(self.aggregate_names),
        }


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


@lru_cache(maxsize=16)
def _aggregates(
    codes: tuple[str, ...], names: tuple[str, ...]
) -> tuple[tuple[re.Pattern[str], ...], frozenset[str]]:
    """Aggregate codes compiled (as one alternation when none has a group of its own, which
    matches a code exactly when one of them does) and names case-folded, once: every row a
    source creates an organisation from asks."""
    compiled = tuple(map(_pattern, codes))
    if len(compiled) > 1 and not any(pattern.groups for pattern in compiled):
        with contextlib.suppress(re.error):  # a pattern with flags of its own, say
            compiled = (_pattern("|".join(f"(?:{code})" for code in codes)),)
    return compiled, frozenset(name.casefold() for name in names)


@dataclass(frozen=True)
class TrackerConfig:
    """Service settings from `config/tracker.toml`, overridden by the environment."""

    db: str = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8001
    log_format: str = "human"
    default_every: str = "6h"
    contact: str = ""
    fetchers: int = 4  # sources fetched at once; one writer applies what they bring in turn
    redact_params: tuple[str, ...] = DEFAULT_SECRET_PARAMS
    keep_failed: str = "30d"  # failed bodies older than this leave the raw archive
    keep_failed_mb: int = 500  # ... and beyond this many megabytes, oldest first
    origin: str = ""


@dataclass(frozen=True)
class Config:
    """Everything the service needs to know, loaded from one config folder."""

    folder: Path
    tracker: TrackerConfig
    sources: dict[str, SourceConfig]
    scales: dict[str, Scale]
    kinds: Kinds = field(default_factory=Kinds)

    def source(self, name: str) -> SourceConfig:
        """The named source, or a ConfigError listing the ones that exist."""
        try:
            return self.sources[name]
        except KeyError:
            known = ", ".join(sorted(self.sources)) or "none"
            raise ConfigError(
                f"unknown source {name!r} (configured in {self.folder}: {known})"
            ) from None
