"""The content-addressed raw archive: layout, idempotence and integrity checks."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import pytest

from stp_tracker.errors import StoreError
from stp_tracker.fetch.archive import (
    Archiving,
    archive_root,
    body_path,
    read_body,
    sha256_of,
    store_body,
)
from stp_tracker.pipeline import ingest_files
from tests.conftest import snapshot

EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_archive_root_is_next_to_the_database(tmp_path: Path) -> None:
    """The archive lives in ``raw`` beside the database file."""
    assert archive_root(tmp_path / "db" / "stp.db") == tmp_path / "db" / "raw"
    assert archive_root("db/stp.db") == Path("db/raw")


def test_sha256_of() -> None:
    """sha256_of is the lowercase hex SHA-256 of the bytes."""
    assert sha256_of(b"") == EMPTY_SHA
    assert sha256_of(b"abc") == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize(
    "body", [b"", b"code,name\nQE1,North\n", os.urandom(200_000)], ids=["empty", "csv", "binary"]
)
def test_store_then_read_roundtrip(tmp_path: Path, body: bytes) -> None:
    """A stored body reads back byte for byte under the hash store_body returned."""
    root = tmp_path / "raw"
    sha = store_body(root, body)
    assert sha == sha256_of(body)
    assert read_body(root, sha) == body


def test_body_is_gzipped_under_its_hash(tmp_path: Path) -> None:
    """On disk the body is gzip at root/ab/cd/<sha>.gz and no temporary files are left."""
    body = b"hello archive\n" * 100
    sha = store_body(tmp_path, body)
    path = tmp_path / sha[:2] / sha[2:4] / f"{sha}.gz"
    assert body_path(tmp_path, sha) == path
    assert gzip.decompress(path.read_bytes()) == body
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{sha}.gz"]


def test_store_is_idempotent(tmp_path: Path) -> None:
    """Storing the same bytes again writes nothing and returns the same hash."""
    sha = store_body(tmp_path, b"same")
    path = body_path(tmp_path, sha)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert store_body(tmp_path, b"same") == sha
    assert path.stat().st_mtime == 1_000_000_000
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_same_bytes_give_identical_files(tmp_path: Path) -> None:
    """The gzip output is deterministic (no name or time in the header)."""
    first = body_path(tmp_path / "a", store_body(tmp_path / "a", b"stable"))
    second = body_path(tmp_path / "b", store_body(tmp_path / "b", b"stable"))
    assert first.read_bytes() == second.read_bytes()


def test_missing_body(tmp_path: Path) -> None:
    """Reading a hash that was never stored raises StoreError naming the hash and the root."""
    with pytest.raises(StoreError, match=f"raw archive is missing {EMPTY_SHA} under {tmp_path}"):
        read_body(tmp_path, EMPTY_SHA)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not gzip at all",
        lambda data: data[: len(data) // 2],
        lambda data: gzip.compress(b"different content"),
    ],
    ids=["not-gzip", "truncated", "wrong-content"],
)
def test_corrupted_body(tmp_path: Path, damage: object) -> None:
    """A damaged or substituted archive file raises StoreError saying it is corrupted."""
    sha = store_body(tmp_path, b"original content " * 50)
    path = body_path(tmp_path, sha)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    with pytest.raises(StoreError, match=r"is corrupted"):
        read_body(tmp_path, sha)


@pytest.mark.parametrize("bad", ["abc", "../" + "0" * 61, EMPTY_SHA.upper()])
def test_malformed_hash_is_rejected(tmp_path: Path, bad: str) -> None:
    """Only 64 lowercase hex characters name a body, so a hash can never escape the root."""
    with pytest.raises(StoreError, match=r"not a SHA-256"):
        read_body(tmp_path, bad)


def test_a_body_that_cannot_be_archived_fails_its_run_first(
    db, db_path: Path, config, write_csv
) -> None:
    """Bodies are archived while they are parsed; a body that cannot be archived fails the run
    with the archive's error (as when archiving came first), even when another body of the
    run does not parse, and nothing is stored."""
    good = write_csv("good.csv", [["E54000005", "", "Advanced", "", "", "2017-07-21"]])
    bad = write_csv("bad.csv", [["E54000005", "", "Purple", "", "", "2017-10-21"]])
    before = snapshot(db)
    archive_root(db_path).write_text("a file where the archive's folder should be")
    with pytest.raises(StoreError, match="could not write body"):
        ingest_files(db, config, "dashboard", as_of=None, paths=[good, bad])
    assert snapshot(db) == before
    assert {row[0] for row in db.execute("select error from fetches")} == {
        row[0] for row in db.execute("select error from fetches where error like 'could not%'")
    }


def test_archiving_stores_every_body_and_lets_go_of_each(tmp_path: Path) -> None:
    """A run's bodies archived by their own thread are all stored, each readable under its
    hash, and the thread keeps none of their bytes once done."""
    bodies = [f"release {n}\n".encode() * 1000 for n in range(5)]
    archiving = Archiving(tmp_path, bodies)
    archiving.wait()
    assert [read_body(tmp_path, sha256_of(body)) for body in bodies] == bodies
    assert archiving._bodies == [b""] * 5
