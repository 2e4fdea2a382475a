"""Load a whole configuration folder: tracker settings (with environment overrides), sources,
rating scales and organisation kinds, falling back to the package's own where a file is absent."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from . import (
    DEFAULT_SECRET_PARAMS,
    KIND_PATTERN,
    Config,
    Kinds,
    Scale,
    TrackerConfig,
    parse_duration,
)
from .checks import patterns, read_toml, strings
from .sources import bundled_sources, load_sources


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
            if not KIND_PATTERN.match(name) or not isinstance(table, dict):
                raise ConfigError(f"{path}: kind.{name} is not a kind like [kind.stp]")
            codes[name] = patterns(table.get("codes", []), f"{path}: kind.{name}.codes")
        for key in ("codes", "names"):
            if key in data.get("aggregate", {}):
                where = f"{path}: aggregate.{key}"
                aggregate[key] = (
                    patterns(data["aggregate"][key], where)
                    if key == "codes"
                    else (strings(data["aggregate"][key], where))
                )
    return Kinds(codes, aggregate.get("codes", ()), aggregate.get("names", ()))


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
