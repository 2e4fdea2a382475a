"""`stp-tracker publish OUT`: an immutable, self-contained copy of the live database to serve.

The copy is taken with SQLite's online backup in one read transaction: in WAL mode that never
blocks the writer, and the copy is exactly the database as of one commit. It is then made
standalone (rollback journal, not WAL), ANALYZEd for the query planner and VACUUMed, and checked.
Beside it go what a server needs and nothing else (the raw archive stays behind):

    OUT/stp.db               the snapshot
    OUT/datasette.yml        the metadata in force (config/datasette.yml or the package's)
    OUT/templates/           config/templates, when there is one
    OUT/inspect-data.json    Datasette's inspect format: content hash, size, row counts
    OUT/snapshot.json        what was published, from where, when and by which version

Every file is written under a temporary name and renamed into place, the database last, so a
server starting meanwhile sees the old snapshot or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..clock import stamp, utc_now
from ..errors import StoreError
from .settings import DATABASE, metadata_path

SNAPSHOT_FILE = f"{DATABASE}.db"
MANIFEST_FILE = "snapshot.json"
INSPECT_FILE = "inspect-data.json"
HASH_BLOCK = 1 << 20


@dataclass(frozen=True)
class SnapshotInfo:
    """What identifies one snapshot file: its content hash, size and table row counts."""

    file: str
    sha256: str
    bytes: int
    tables: dict[str, int]

    def inspect_data(self) -> dict[str, Any]:
        """Datasette's inspect-data.json for this file (so it need not count rows at start)."""
        tables = {name: {"count": count} for name, count in self.tables.items()}
        return {
            DATABASE: {"hash": self.sha256, "size": self.bytes, "file": self.file, "tables": tables}
        }


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a block at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def table_counts(path: Path) -> dict[str, int]:
    """Rows in every table of a database file (views are not counted)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "select name from sqlite_master where type = 'table' "
                "and name not like 'sqlite_%' order by name"
            )
        ]
        count = "select count(*) from [{}]"
        return {name: conn.execute(count.format(name)).fetchone()[0] for name in names}
    finally:
        conn.close()


def describe(path: Path) -> SnapshotInfo:
    """Hash, size and row counts of a snapshot file."""
    return SnapshotInfo(path.name, file_sha256(path), path.stat().st_size, table_counts(path))


def backup(source: Path, target: Path) -> None:
    """Copy a live database with SQLite's online backup, in one step (one read transaction).

    A stepwise backup restarts whenever the writer commits, so under a busy writer it might
    never finish; one step reads a single consistent state and, in WAL mode, blocks nobody.
    """
    if not source.is_file():
        raise StoreError(f"{source}: no database to publish (run `stp-tracker init` first)")
    target.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{source}: cannot open the database to publish ({exc})") from None
    dst = sqlite3.connect(target)
    try:
        src.execute("pragma busy_timeout = 30000")
        src.backup(dst)
    except sqlite3.Error as exc:
        raise StoreError(f"{source}: the online backup failed ({exc}); try again") from None
    finally:
        dst.close()
        src.close()


def prepare(path: Path, *, vacuum: bool = True) -> None:
    """Make a private copy ready to serve read-only: standalone, analysed, compact and sound.

    A copy in WAL mode would want a -wal and -shm beside it; an immutable file needs neither.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("pragma journal_mode = delete")
        conn.execute("analyze")
        if vacuum:
            conn.execute("vacuum")
        problems = [row[0] for row in conn.execute("pragma quick_check")]
    finally:
        conn.close()
    if problems != ["ok"]:
        raise StoreError(f"{path}: the copy failed its integrity check: {problems[0]}")


def _write(path: Path, text: str) -> None:
    """Write a file under a temporary name, then rename it into place."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _copy_config(config_folder: Path, out: Path) -> list[str]:
    """datasette.yml and templates/ into OUT; returns what was copied."""
    copied = []
    metadata = metadata_path(config_folder)
    _write(out / "datasette.yml", metadata.read_text(encoding="utf-8"))
    copied.append("datasette.yml")
    templates, target = config_folder / "templates", out / "templates"
    staged = out / ".templates.partial"
    shutil.rmtree(staged, ignore_errors=True)
    if templates.is_dir():
        shutil.copytree(templates, staged)
        old = out / ".templates.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staged.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        copied.append("templates/")
    elif target.exists():
        shutil.rmtree(target)  # the configuration no longer overrides any template
    return copied


def publish(db_path: str | Path, config_folder: str | Path, out: str | Path) -> dict[str, Any]:
    """Write a snapshot of `db_path` and the configuration a server needs into `out`.

    Returns the manifest written to OUT/snapshot.json.
    """
    db_path, config_folder, out = Path(db_path), Path(config_folder), Path(out)
    if out.resolve() == db_path.resolve().parent:
        raise StoreError(f"{out}: publish into a folder of its own, not the live database's")
    out.mkdir(parents=True, exist_ok=True)
    partial = out / f".{SNAPSHOT_FILE}.partial"
    try:
        backup(db_path, partial)
        prepare(partial)
        info = describe(partial)
        copied = _copy_config(config_folder, out)
        manifest = {
            **asdict(info),
            "file": SNAPSHOT_FILE,
            "published_at": stamp(utc_now()),
            "source": str(db_path.resolve()),
            "config": copied,
            "stp_tracker": version("stp-tracker"),
        }
        inspect = SnapshotInfo(SNAPSHOT_FILE, info.sha256, info.bytes, info.tables)
        _write(out / INSPECT_FILE, json.dumps(inspect.inspect_data(), indent=2))
        _write(out / MANIFEST_FILE, json.dumps(manifest, indent=2))
        os.replace(partial, out / SNAPSHOT_FILE)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return manifest


def snapshot_file(path: str | Path) -> Path:
    """The snapshot a PATH names: the file itself, or OUT/stp.db for a folder OUT."""
    path = Path(path)
    found = path / SNAPSHOT_FILE if path.is_dir() else path
    if not found.is_file():
        raise StoreError(f"{path}: no snapshot there (make one with `stp-tracker publish {path}`)")
    return found


def read_info(path: Path) -> SnapshotInfo:
    """The snapshot's SnapshotInfo: from inspect-data.json beside it when that matches the file's
    hash, else measured (a file copied or replaced without its inspect data is still served)."""
    sha256 = file_sha256(path)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        found = json.loads((path.parent / INSPECT_FILE).read_text(encoding="utf-8"))[DATABASE]
        if found["hash"] == sha256 and found["file"] == path.name:
            counts = {name: int(table["count"]) for name, table in found["tables"].items()}
            return SnapshotInfo(path.name, sha256, path.stat().st_size, counts)
    return SnapshotInfo(path.name, sha256, path.stat().st_size, table_counts(path))
