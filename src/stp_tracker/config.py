"""Load and validate the configuration: tracker settings, sources and rating scales.

Everything is read into frozen dataclasses once, so later stages take plain data and a config
mistake is reported with its file and key before anything runs.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError

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
_ENTITY = re.compile(r"^[a-z][a-z0-9_]*$")  # an organisation kind, or "any"
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
_ATTRIBUTE = re.compile(r"^(org\.name|(rating|metric|leader)\.[a-z0-9_]+)$")


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
        if code and any(_pattern(p).fullmatch(code.strip()) for p in self.aggregate_codes):
            return True
        folded = " ".join(name.split()).casefold()
        return bool(folded) and any(folded == n.casefold() for n in self.aggregate_names)

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


def parse_duration(text: str, origin: str, key: str) -> int:
    """Seconds in a duration such as ``90s``, ``15m``, ``6h`` or ``1d``."""
    match = _DURATION.match(str(text))
    if not match or int(match.group(1)) == 0:
        raise ConfigError(f"{origin}: {key} = {text!r} is not a duration like '30m', '6h' or '1d'")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, with syntax errors reported against the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _typed(table: dict[str, Any], key: str, kind: type | tuple[type, ...], origin: str) -> Any:
    value = table.get(key)
    if value is not None and not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{origin}: {key} must be {names}, not {value!r}")
    return value


def source_from_table(table: dict[str, Any], origin: str) -> SourceConfig:
    """Validate one ``[[source]]`` table; `origin` names where it came from in messages."""
    name = _typed(table, "name", str, origin)
    if not name:
        raise ConfigError(f"{origin}: every [[source]] needs a name")
    where = f"{origin}: source {name!r}"
    known = set(SourceConfig.__dataclass_fields__) - {"origin"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    fmt = _typed(table, "format", str, where)
    if fmt not in FORMATS:
        raise ConfigError(f"{where}: format = {fmt!r}; expected one of {', '.join(FORMATS)}")
    layout = _typed(table, "layout", str, where) or "wide"
    if layout not in LAYOUTS:
        raise ConfigError(f"{where}: layout = {layout!r}; expected wide or long")
    entity = _typed(table, "entity", str, where) or "stp"
    if not _ENTITY.match(entity):
        raise ConfigError(
            f"{where}: entity = {entity!r}; expected an organisation kind such as stp, icb or any"
        )
    columns = _typed(table, "columns", dict, where) or {}
    for column, target in columns.items():
        if not isinstance(target, str) or not (target in ROW_TARGETS or _ATTRIBUTE.match(target)):
            raise ConfigError(
                f"{where}: columns.{column!r} = {target!r} is not an attribute "
                "(org.code, org.name, rating.<x>, metric.<x>, leader.<x>, publisher, note, kind, "
                "reported_on)"
            )
    targets = list(columns.values())
    if fmt in NEWS_FORMATS or fmt in REGISTRY_FORMATS:
        if columns:
            what = "its text" if fmt in NEWS_FORMATS else "ODS's own fields"
            raise ConfigError(
                f"{where}: an {fmt} source reads organisations from {what}; "
                "remove its [source.columns] table"
            )
    elif "org.code" not in targets and "org.name" not in targets:
        raise ConfigError(f"{where}: columns must map one column to org.code or org.name")
    url = _typed(table, "url", str, where)
    remote = bool(url) and "://" in url and not url.startswith("file:")
    if fmt in REGISTRY_FORMATS and remote and not _ord_search(url):
        raise ConfigError(
            f"{where}: url = {url!r}; an ods source reads an ORD API search, such as "
            "https://directory.spineservices.nhs.uk/ORD/2-0-0/organisations?PrimaryRoleId=RO261"
        )
    if table.get("creates") and "org.code" not in targets and fmt not in REGISTRY_FORMATS:
        raise ConfigError(f"{where}: a source that creates organisations must map org.code")
    if layout == "long" and not {"attribute", "value"} <= set(targets):
        raise ConfigError(f"{where}: a long layout maps one column to attribute and one to value")
    effective = _typed(table, "effective", str, where)
    effective_column = _typed(table, "effective_column", str, where)
    if effective and effective_column:
        raise ConfigError(f"{where}: give effective or effective_column, not both")
    if effective not in (None, "published"):
        from .extract.dates import parse_date

        parse_date(effective, where=f"{where}: effective")
    every = _typed(table, "every", str, where)
    if every:
        parse_duration(every, where, "every")
    hosts = _fetch_bounds(table, where)
    cron = _typed(table, "cron", str, where)
    if every and cron:
        raise ConfigError(f"{where}: give every or cron, not both")
    max_change = _typed(table, "max_change", (int, float), where)
    if max_change is not None and not 0 < max_change <= 1:
        raise ConfigError(f"{where}: max_change must be between 0 and 1, not {max_change}")
    values: dict[str, Any] = {
        key: table[key] for key in known if key in table and key not in {"layout", "entity"}
    }
    values["redirect_hosts"] = tuple(hosts)
    for key in ("creates", "complete", "enabled"):
        _typed(table, key, bool, where)
    for key in ("header_row", "max_bytes", "max_failures", "max_items", *LIMITS):
        _typed(table, key, int, where)
    if table.get("max_items") is not None and table["max_items"] < 1:
        raise ConfigError(f"{where}: max_items must be at least 1, not {table['max_items']}")
    _check_positions(table, where)
    _typed(table, "sheet", (str, int), where)
    aggregate = _typed(table, "aggregate", str, where)
    if aggregate is not None and aggregate not in AGGREGATES:
        raise ConfigError(
            f'{where}: aggregate = {aggregate!r}; expected "sum" (add up metrics) or "last" '
            "(the last row wins), or leave it out (repeated rows must agree)"
        )
    values["skip_rows"] = _patterns(table.get("skip_rows", []), f"{where}: skip_rows")
    return SourceConfig(**values, layout=layout, entity=entity, origin=str(origin))


def _ord_search(url: str) -> bool:
    """Whether a url is an ORD API organisation search (…/organisations?…)."""
    return urlsplit(url).path.rstrip("/").endswith("/organisations")


def _patterns(value: Any, where: str) -> tuple[str, ...]:
    """A list of regular expressions from TOML, each checked to compile."""
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ConfigError(f"{where} must be a list of patterns (regular expressions)")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: {pattern!r} is not a regular expression ({exc})") from None
    return tuple(value)


LIMITS = ("max_decompressed_bytes", "max_rows", "max_cells")


def _check_positions(table: dict[str, Any], where: str) -> None:
    """Limits are positive; a headerless file (header_row = 0) names its columns by position."""
    for key in LIMITS:
        value = table.get(key)
        if value is not None and (isinstance(value, bool) or value < 1):
            raise ConfigError(f"{where}: {key} must be a positive whole number, not {value!r}")
    header_row = table.get("header_row")
    if isinstance(header_row, bool) or (isinstance(header_row, int) and header_row < 0):
        raise ConfigError(
            f"{where}: header_row = {header_row!r}; give the header's row number (1 is the "
            "first row), or 0 for a file without a header"
        )
    if header_row != 0:
        return
    named = [*table.get("columns", {}), *filter(None, [table.get("effective_column")])]
    for column in named:
        if not (str(column).isdigit() and int(column) >= 1):
            raise ConfigError(
                f"{where}: header_row = 0 means the file has no header, so columns are named "
                f'by position ("1" is the first column); {column!r} is not a position'
            )


def _fetch_bounds(table: dict[str, Any], where: str) -> list[str]:
    """Check a source's deadline and redirect_hosts; return the hosts."""
    parse_duration(_typed(table, "deadline", str, where) or DEFAULT_DEADLINE, where, "deadline")
    hosts = _typed(table, "redirect_hosts", list, where) or []
    if not all(isinstance(host, str) and host for host in hosts):
        raise ConfigError(
            f'{where}: redirect_hosts must be a list of host names, such as ["cdn.example.org"]'
        )
    return hosts


def load_sources(path: Path) -> dict[str, SourceConfig]:
    """Every ``[[source]]`` of a sources file, keyed by name (names must be unique)."""
    data = read_toml(path) if path.exists() else {}
    unknown = sorted(set(data) - {"source"})
    if unknown:
        raise ConfigError(f"{path}: unknown table or key {unknown[0]!r} (sources are [[source]])")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: sources must be written as [[source]] tables")
    sources: dict[str, SourceConfig] = {}
    for index, table in enumerate(tables, start=1):
        source = source_from_table(table, f"{path} [[source]] #{index}")
        if source.name in sources:
            raise ConfigError(f"{path}: source name {source.name!r} is used twice")
        sources[source.name] = source
    return sources


def load_scales(path: Path) -> dict[str, Scale]:
    """Rating scales: ``[scale.NAME]`` with ``labels`` (worst first) and ``synonyms``."""
    data = read_toml(path)
    scales = {}
    for name, table in data.get("scale", {}).items():
        labels = table.get("labels")
        if not isinstance(labels, list) or not labels:
            raise ConfigError(f"{path}: scale.{name}.labels must be a list of band names")
        synonyms = {str(k): str(v) for k, v in table.get("synonyms", {}).items()}
        for word, label in synonyms.items():
            if label not in labels:
                raise ConfigError(
                    f"{path}: scale.{name}.synonyms.{word!r} = {label!r} is not one of its labels"
                )
        scales[name] = Scale(name=name, labels=tuple(labels), synonyms=synonyms)
    return scales


def load_kinds(*paths: Path) -> Kinds:
    """Organisation kinds from each ``kinds.toml`` in turn (later files replace a kind whole)."""
    codes: dict[str, tuple[str, ...]] = {}
    aggregate: dict[str, tuple[str, ...]] = {}
    for path in paths:
        data = read_toml(path)
        unknown = sorted(set(data) - {"kind", "aggregate"})
        if unknown:
            raise ConfigError(
                f"{path}: unknown table {unknown[0]!r} (expected kind.NAME, aggregate)"
            )
        for name, table in data.get("kind", {}).items():
            if not _ENTITY.match(name) or not isinstance(table, dict):
                raise ConfigError(f"{path}: kind.{name} is not a kind like [kind.stp]")
            codes[name] = _patterns(table.get("codes", []), f"{path}: kind.{name}.codes")
        for key in ("codes", "names"):
            if key in data.get("aggregate", {}):
                where = f"{path}: aggregate.{key}"
                aggregate[key] = (
                    _patterns(data["aggregate"][key], where)
                    if key == "codes"
                    else (_strings(data["aggregate"][key], where))
                )
    return Kinds(codes, aggregate.get("codes", ()), aggregate.get("names", ()))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def bundled_sources() -> dict[str, SourceConfig]:
    """Sources shipped with the package (the reference facts), resolved to their data files."""
    data = resources.files("stp_tracker") / "data"
    sources = load_sources(Path(str(data / "reference-source.toml")))
    return {
        name: replace(source, url=str(data / source.url)) if source.url else source
        for name, source in sources.items()
    }


def load_tracker(path: Path, environ: dict[str, str]) -> TrackerConfig:
    """Service settings: tracker.toml if present, then STP_TRACKER_* environment overrides."""
    document = read_toml(path) if path.exists() else {}
    stray = sorted(set(document) - {"tracker"})
    if stray:
        raise ConfigError(f"{path}: {stray[0]!r} must be inside the [tracker] table")
    data = dict(document.get("tracker", {}))
    fields = set(TrackerConfig.__dataclass_fields__) - {"origin"}
    unknown = sorted(set(data) - fields)
    if unknown:
        raise ConfigError(f"{path}: [tracker] has unknown key {unknown[0]!r}")
    origins = {key: f"{path}: tracker.{key}" for key in fields}
    for key in fields:
        env = environ.get(f"STP_TRACKER_{key.upper()}")
        if env is not None:
            origins[key] = f"environment variable STP_TRACKER_{key.upper()}"
            data[key] = _from_environment(key, env)
    port = data.get("port", 8001)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ConfigError(f"{origins['port']} must be a whole number from 1 to 65535")
    if data.get("log_format", "human") not in ("human", "json"):
        raise ConfigError(f"{origins['log_format']} must be 'human' or 'json'")
    for key, low in (("fetchers", 1), ("keep_failed_mb", 0)):
        value = data.get(key, low)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ConfigError(f"{origins[key]} must be a whole number of at least {low}")
    parse_duration(data.get("keep_failed", "30d"), origins["keep_failed"], "keep_failed")
    words = data.get("redact_params", DEFAULT_SECRET_PARAMS)
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
        raise ConfigError(
            f"{origins['redact_params']} must be a list of query parameter names, "
            'such as ["key", "token"]'
        )
    data["redact_params"] = tuple(words)
    return TrackerConfig(**data, origin=str(path))


def _from_environment(key: str, text: str) -> Any:
    """An environment variable's text as the setting's type: numbers for whole-number
    settings, a comma-separated list for redact_params, text for the rest."""
    if key in ("port", "fetchers", "keep_failed_mb") and text.strip().isdigit():
        return int(text)
    if key == "redact_params":
        return [word.strip() for word in text.split(",") if word.strip()]
    return text


def load_config(folder: str | Path, environ: dict[str, str] | None = None) -> Config:
    """The whole configuration from a folder; scales fall back to the bundled ones."""
    environ = dict(os.environ if environ is None else environ)
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"config folder {folder} does not exist")
    scales_path = folder / "scales.toml"
    if not scales_path.exists():
        scales_path = Path(str(resources.files("stp_tracker") / "data" / "scales.toml"))
    scales = load_scales(scales_path)
    sources = {**bundled_sources(), **load_sources(folder / "sources.toml")}
    for source in sources.values():
        if source.scale and source.scale not in scales:
            raise ConfigError(
                f"{source.origin}: scale {source.scale!r} is not defined in {scales_path}"
            )
    kinds_paths = [Path(str(resources.files("stp_tracker") / "data" / "kinds.toml"))]
    if (folder / "kinds.toml").exists():
        kinds_paths.append(folder / "kinds.toml")
    return Config(
        folder=folder,
        tracker=load_tracker(folder / "tracker.toml", environ),
        sources=sources,
        scales=scales,
        kinds=load_kinds(*kinds_paths),
    )
