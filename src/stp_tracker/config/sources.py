"""The ``[[source]]`` tables of ``sources.toml``, each checked into a `SourceConfig`."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from . import (
    AGGREGATES,
    ATTRIBUTE_PATTERN,
    DEFAULT_DEADLINE,
    FORMATS,
    KIND_PATTERN,
    LAYOUTS,
    NEWS_FORMATS,
    REGISTRY_FORMATS,
    ROW_TARGETS,
    SourceConfig,
    parse_duration,
)
from .checks import patterns, read_toml, typed


def source_from_table(table: dict[str, Any], origin: str) -> SourceConfig:
    """Validate one ``[[source]]`` table; `origin` names where it came from in messages."""
    name = typed(table, "name", str, origin)
    if not name:
        raise ConfigError(f"{origin}: every [[source]] needs a name")
    where = f"{origin}: source {name!r}"
    known = set(SourceConfig.__dataclass_fields__) - {"origin"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    fmt, layout, entity = _shape(table, where)
    _check_columns(table, fmt, layout, where)
    _check_dates(table, where)
    hosts = _check_schedule(table, where)
    _check_types(table, where)
    values: dict[str, Any] = {
        key: table[key] for key in known if key in table and key not in {"layout", "entity"}
    }
    values["redirect_hosts"] = tuple(hosts)
    values["skip_rows"] = patterns(table.get("skip_rows", []), f"{where}: skip_rows")
    return SourceConfig(**values, layout=layout, entity=entity, origin=str(origin))


def _shape(table: dict[str, Any], where: str) -> tuple[str, str, str]:
    """The source's format, layout and entity kind, each one of the values it may take."""
    fmt = typed(table, "format", str, where)
    if fmt not in FORMATS:
        raise ConfigError(f"{where}: format = {fmt!r}; expected one of {', '.join(FORMATS)}")
    layout = typed(table, "layout", str, where) or "wide"
    if layout not in LAYOUTS:
        raise ConfigError(f"{where}: layout = {layout!r}; expected wide or long")
    entity = typed(table, "entity", str, where) or "stp"
    if not KIND_PATTERN.match(entity):
        raise ConfigError(
            f"{where}: entity = {entity!r}; expected an organisation kind such as stp, icb or any"
        )
    url = typed(table, "url", str, where)
    remote = bool(url) and "://" in url and not url.startswith("file:")
    if fmt in REGISTRY_FORMATS and remote and not _ord_search(url):
        raise ConfigError(
            f"{where}: url = {url!r}; an ods source reads an ORD API search, such as "
            "https://directory.spineservices.nhs.uk/ORD/2-0-0/organisations?PrimaryRoleId=RO261"
        )
    return fmt, layout, entity


def _check_columns(table: dict[str, Any], fmt: str, layout: str, where: str) -> None:
    """Every column maps to an attribute, and the mapping fits the format and layout."""
    columns = typed(table, "columns", dict, where) or {}
    for column, target in columns.items():
        if not isinstance(target, str) or not (
            target in ROW_TARGETS or ATTRIBUTE_PATTERN.match(target)
        ):
            raise ConfigError(
                f"{where}: columns.{column!r} = {target!r} is not an attribute "
                "(org.code, org.name, rating.<x>, metric.<x>, leader.<x>, publisher, note, kind, "
                "reported_on)"
            )
    targets = set(columns.values())
    if fmt in NEWS_FORMATS or fmt in REGISTRY_FORMATS:
        if columns:
            what = "its text" if fmt in NEWS_FORMATS else "ODS's own fields"
            raise ConfigError(
                f"{where}: an {fmt} source reads organisations from {what}; "
                "remove its [source.columns] table"
            )
    elif not targets & {"org.code", "org.name"}:
        raise ConfigError(f"{where}: columns must map one column to org.code or org.name")
    if table.get("creates") and "org.code" not in targets and fmt not in REGISTRY_FORMATS:
        raise ConfigError(f"{where}: a source that creates organisations must map org.code")
    if layout == "long" and not {"attribute", "value"} <= targets:
        raise ConfigError(f"{where}: a long layout maps one column to attribute and one to value")
    aggregate = typed(table, "aggregate", str, where)
    if aggregate is not None and aggregate not in AGGREGATES:
        raise ConfigError(
            f'{where}: aggregate = {aggregate!r}; expected "sum" (add up metrics) or "last" '
            "(the last row wins), or leave it out (repeated rows must agree)"
        )
    _check_positions(table, where)


def _check_dates(table: dict[str, Any], where: str) -> None:
    """At most one way of dating releases, and a fixed date that is a date."""
    effective = typed(table, "effective", str, where)
    effective_column = typed(table, "effective_column", str, where)
    if effective and effective_column:
        raise ConfigError(f"{where}: give effective or effective_column, not both")
    if effective not in (None, "published"):
        from ..extract.dates import parse_date

        parse_date(effective, where=f"{where}: effective")


def _check_schedule(table: dict[str, Any], where: str) -> list[str]:
    """`every` or `cron` (not both), the fetch deadline and redirect hosts; return the hosts."""
    every = typed(table, "every", str, where)
    if every:
        parse_duration(every, where, "every")
    hosts = _fetch_bounds(table, where)
    if every and typed(table, "cron", str, where):
        raise ConfigError(f"{where}: give every or cron, not both")
    return hosts


def _check_types(table: dict[str, Any], where: str) -> None:
    """The flags, counts and fractions have the types and ranges they must."""
    max_change = typed(table, "max_change", (int, float), where)
    if max_change is not None and not 0 < max_change <= 1:
        raise ConfigError(f"{where}: max_change must be between 0 and 1, not {max_change}")
    for key in ("creates", "complete", "enabled"):
        typed(table, key, bool, where)
    for key in ("header_row", "max_bytes", "max_failures", "max_items", *LIMITS):
        typed(table, key, int, where)
    if table.get("max_items") is not None and table["max_items"] < 1:
        raise ConfigError(f"{where}: max_items must be at least 1, not {table['max_items']}")
    typed(table, "sheet", (str, int), where)


def _ord_search(url: str) -> bool:
    """Whether a url is an ORD API organisation search (…/organisations?…)."""
    return urlsplit(url).path.rstrip("/").endswith("/organisations")


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
    parse_duration(typed(table, "deadline", str, where) or DEFAULT_DEADLINE, where, "deadline")
    hosts = typed(table, "redirect_hosts", list, where) or []
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


def bundled_sources() -> dict[str, SourceConfig]:
    """Sources shipped with the package (the reference facts), resolved to their data files."""
    data = resources.files("stp_tracker") / "data"
    sources = load_sources(Path(str(data / "reference-source.toml")))
    return {
        name: replace(source, url=str(data / source.url)) if source.url else source
        for name, source in sources.items()
    }
