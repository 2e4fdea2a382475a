"""The comparison: the same release files kept with sqlite-utils and sqlite-history.

`python -m bench.history DB FILE...` loads each release file in order into one table keyed by
`code` (every column but the release date), with sqlite-history's triggers recording each
row's versions: a release's rows are upserted in one transaction, and the rows it no longer
lists are deleted (the source is complete, as the store is told). That is what a careful user
of those tools would write for this workload; it records every change with its time, though
not valid time, sources, corrections or change rows. Run as a child process by the bench.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

DATE_COLUMN = "period"  # the release date: not part of a row's history


def load(db_path: Path, files: Sequence[Path]) -> int:
    """Load `files` into a fresh database at `db_path`; returns the history rows recorded."""
    import sqlite_history
    from sqlite_utils import Database

    db = Database(db_path)
    db.enable_wal()
    table = db.table("locations")
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            row.pop(DATE_COLUMN, None)
        if not table.exists():
            table.create({column: str for column in rows[0]}, pk="code")
            sqlite_history.configure_history(db.conn, "locations")
        with db.atomic():
            table.upsert_all(rows, pk="code")
            listed = {row["code"] for row in rows}
            gone = [(code,) for (code,) in db.execute("select code from locations")
                    if code not in listed]  # fmt: skip
            db.conn.executemany("delete from locations where code = ?", gone)
    db.execute("pragma wal_checkpoint(truncate)")
    count = db.execute("select count(*) from _locations_history").fetchone()[0]
    db.close()
    return int(count)


def main(argv: Sequence[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m bench.history DB FILE...", file=sys.stderr)
        return 2
    print(load(Path(argv[0]), [Path(name) for name in argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
