"""Shared fixtures: a config folder, a database with the registry loaded, and file writers."""

from __future__ import annotations

import csv
import io
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from stp_tracker.config import Config
from stp_tracker.config.loading import load_config
from stp_tracker.service.bootstrap import load_registry
from stp_tracker.store.apply import open_db

REPO = Path(__file__).resolve().parent.parent

DASHBOARD_SOURCE = """
[[source]]
name = "dashboard"
title = "Test STP dashboard"
url = "dashboard.csv"
format = "csv"
entity = "stp"
complete = {complete}
effective_column = "Period"
scale = "stp-2017"
publisher = "NHS England"

[source.columns]
"STP code" = "org.code"
"STP name" = "org.name"
"Overall rating" = "rating.overall"
"Footprint lead" = "leader.stp_lead"
"Beds" = "metric.beds"

[[source]]
name = "press"
title = "A trade paper's list, by name only"
url = "press.csv"
format = "csv"
entity = "stp"
scale = "stp-2017"
publisher = "Trade Paper"

[source.columns]
"Partnership" = "org.name"
"Rating" = "rating.overall"
"""

HEADER = ["STP code", "STP name", "Overall rating", "Footprint lead", "Beds", "Period"]


def write_config(folder: Path, *, complete: bool = False) -> Path:
    """A config folder with the bundled scales and the two test sources."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config" / "scales.toml", folder / "scales.toml")
    (folder / "sources.toml").write_text(
        DASHBOARD_SOURCE.format(complete=str(complete).lower()), encoding="utf-8"
    )
    return folder


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def csv_bytes(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    """CSV text for a header and rows, as UTF-8 bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A config folder whose dashboard source is not complete."""
    return write_config(tmp_path / "config")


@pytest.fixture
def config(config_dir: Path) -> Config:
    """The loaded test configuration."""
    return load_config(config_dir, environ={})


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives."""
    return tmp_path / "db" / "stp.db"


@pytest.fixture
def db(db_path: Path) -> Database:
    """A real SQLite file with the schema and the bundled registry, but no facts."""
    database = open_db(db_path)
    load_registry(database)
    return database


@pytest.fixture
def one_organisation(tmp_path: Path) -> Path:
    """A database file in today's shape holding one organisation, A1 named "Before"."""
    path = tmp_path / "one.db"
    db = open_db(path)
    db["organisations"].insert({"code": "A1", "name": "Before", "kind": "stp"})
    db.close()
    return path


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write a CSV release file under tmp_path and return its path."""

    def write(name: str, rows: list[list[str]], header: list[str] | None = None) -> Path:
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows, header))
        return path

    return write


def snapshot(db: Database, *, skip: tuple[str, ...] = ("fetches", "unmatched")) -> dict:
    """Every row of every table but `skip`, and of the `facts` and `changes` views over the
    stored history, for comparing a database before and after."""
    views = [name for name in ("facts", "changes") if name in db.view_names()]
    return {
        table: sorted(map(repr, db.execute(f"select * from [{table}]").fetchall()))
        for table in [*db.table_names(), *views]
        if table not in skip
    }
