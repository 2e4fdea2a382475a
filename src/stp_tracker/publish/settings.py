"""What Datasette is told: the metadata file, Datasette settings, and our own plugin settings.

config/datasette.yml is Datasette 0.65 metadata with one extra top-level key, ``settings``
(Datasette's own settings, taken out before Datasette sees the rest). Our pages read their
settings from the ``plugins.stp-tracker`` block, parsed once into a frozen `Published`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from datasette.app import SETTINGS

from ..errors import ConfigError
from .guards import Limits, limits_from

METADATA_FILE = "datasette.yml"
PLUGIN = "stp-tracker"
DATABASE = "stp"  # the database's name in every URL, whatever its file is called
DEFAULT_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 1000,
    "allow_download": False,
    "suggest_facets": False,
    "default_cache_ttl": 60,
    "num_sql_threads": 3,
    "allow_csv_stream": True,
    "max_csv_mb": 100,
}
DEFAULT_BANDS = (
    {"label": "Needs most improvement", "colour": "#d7191c", "press": "Red"},
    {"label": "Making progress", "colour": "#fdae61", "press": "Orange"},
    {"label": "Advanced", "colour": "#ffffbf", "press": "Yellow"},
    {"label": "Outstanding", "colour": "#1a9641", "press": "Green"},
)
UNKNOWN_COLOUR = "#bbbbbb"
ROBOTS_TXT = "User-agent: *\nDisallow: /\n"


@dataclass(frozen=True)
class Published:
    """The settings our hooks and pages need, attached to the Datasette they configure."""

    database: str = DATABASE
    bands: tuple[dict[str, str], ...] = DEFAULT_BANDS
    unknown_colour: str = UNKNOWN_COLOUR
    robots_txt: str = ROBOTS_TXT
    org_columns: frozenset[str] = field(
        default=frozenset({"org_code", "code", "predecessor", "successor"})
    )
    examples: dict[str, str] = field(default_factory=dict)  # query name -> example query string
    limits: Limits = field(default_factory=Limits)  # what one query may cost (guards.py)
    cache_mb: float = 32.0  # rendered responses kept per commit (cache.py); 0 keeps none
    deployment: str = ""  # digest of the code, metadata and templates serving (cache.py)

    def colour(self, rating: str | None) -> str:
        """The map colour of a band label (grey when unknown)."""
        for band in self.bands:
            if band["label"] == rating:
                return band["colour"]
        return self.unknown_colour

    def legend(self) -> list[dict[str, str]]:
        """Legend entries, best band first, then Unknown."""
        entries = [dict(band) for band in reversed(self.bands)]
        return [*entries, {"label": "Unknown", "colour": self.unknown_colour, "press": "grey"}]


def published(datasette: Any) -> Published:
    """The `Published` settings of a Datasette built by build_datasette (KeyError otherwise)."""
    settings = getattr(datasette, "stp_tracker", None)
    if settings is None:
        raise KeyError("this Datasette was not built by stp_tracker.publish")
    return settings


def is_ours(datasette: Any) -> bool:
    """True for a Datasette built by build_datasette (plugin hooks are process-wide)."""
    return isinstance(getattr(datasette, "stp_tracker", None), Published)


def metadata_path(config_folder: str | Path) -> Path:
    """config_folder/datasette.yml if it exists, else the copy bundled with the package."""
    path = Path(config_folder) / METADATA_FILE
    if path.is_file():
        return path
    return Path(str(resources.files("stp_tracker.publish") / METADATA_FILE))


def load_metadata(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(metadata, settings) from a datasette.yml, checked so mistakes name the file and key."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read Datasette metadata ({exc})") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a mapping of Datasette metadata")
    settings = {**DEFAULT_SETTINGS, **(document.pop("settings", None) or {})}
    known = {setting.name for setting in SETTINGS}
    for key in settings:
        if key not in known:
            raise ConfigError(f"{path}: settings.{key} is not a Datasette setting")
    databases = document.get("databases") or {}
    if set(databases) - {DATABASE}:
        other = sorted(set(databases) - {DATABASE})[0]
        raise ConfigError(f"{path}: databases.{other}: the database is always called {DATABASE!r}")
    for name, query in ((databases.get(DATABASE) or {}).get("queries") or {}).items():
        if isinstance(query, dict) and query.get("write"):
            raise ConfigError(
                f"{path}: databases.{DATABASE}.queries.{name}: write queries are not allowed; "
                "the published database is read-only"
            )
    return document, settings


def published_settings(metadata: dict[str, Any], origin: str = METADATA_FILE) -> Published:
    """`Published` from the metadata's plugins.stp-tracker block (defaults where absent);
    `origin` names the file in messages about a wrong limit."""
    block = (metadata.get("plugins") or {}).get(PLUGIN) or {}
    bands = tuple(
        {"label": str(b["label"]), "colour": str(b["colour"]), "press": str(b.get("press", ""))}
        for b in block.get("bands") or DEFAULT_BANDS
    )
    return Published(
        bands=bands,
        unknown_colour=str(block.get("unknown_colour") or UNKNOWN_COLOUR),
        robots_txt=str(block.get("robots_txt") or ROBOTS_TXT),
        examples={str(k): str(v) for k, v in (block.get("examples") or {}).items()},
        limits=limits_from(block.get("limits") or {}, origin),
        cache_mb=_megabytes(block.get("cache_mb", 32), origin),
    )


def _megabytes(value: Any, origin: str) -> float:
    """plugins.stp-tracker.cache_mb as a number of megabytes (0 or more)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(
            f"{origin}: plugins.{PLUGIN}.cache_mb must be a number of megabytes, 0 or more "
            f"(0 keeps no responses); got {value!r}"
        )
    return float(value)
