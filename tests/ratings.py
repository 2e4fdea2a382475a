"""A minimal ratings source for tests of fetching, the pool and the service: STP codes and an
overall rating by period, as CSV, and the config folder that declares such sources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO, csv_bytes
from tests.httpserver import FixtureServer

HEADER = ["STP code", "Overall rating", "Period"]
ROWS = [["E54000041", "Outstanding", "2017-07-21"], ["E54000010", "Red", "2017-07-21"]]
TABLE = """
[[source]]
name = "{name}"
url = "{url}"
format = "csv"
entity = "stp"
effective_column = "Period"
scale = "stp-2017"
{options}
[source.columns]
"STP code" = "org.code"
"Overall rating" = "rating.overall"
"""


def ratings_csv(rows: list[list[str]] = ROWS) -> bytes:
    """A release of the ratings source."""
    return csv_bytes(rows, HEADER)


def source(name: str, url: str, raw: str = "", **keys: str) -> str:
    """One [[source]] table of the ratings source; `keys` are more keys, as TOML strings, and
    `raw` more lines as they are (`max_failures = 1`)."""
    options = "".join(f'{key} = "{value}"\n' for key, value in keys.items())
    return TABLE.format(name=name, url=url, options=options + (raw and raw + "\n"))


def write_config(folder: Path, *tables: str) -> Path:
    """A config folder with the bundled scales and the given [[source]] tables."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scales.toml").write_text((REPO / "config" / "scales.toml").read_text())
    (folder / "sources.toml").write_text("".join(tables))
    return folder


def slow_and_fast() -> Iterator[FixtureServer]:
    """A real server with a trickling (/trickle.csv: a byte every 0.5 s), a sleeping
    (/asleep.csv: 5 minutes before answering) and a fast (/fast.csv) ratings source."""
    with FixtureServer() as running:
        running.route("/trickle.csv", body=ratings_csv(), trickle=0.5)
        running.route("/asleep.csv", body=ratings_csv(), delay=300)
        running.route("/fast.csv", body=ratings_csv())
        yield running
