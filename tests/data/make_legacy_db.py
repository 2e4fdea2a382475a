"""How tests/data/legacy-0.1.sql was made: run once with stp-tracker at commit d91762f (the
release before the compact store) as `python -m tests.data.make_legacy_db OUT.sql` from a
checkout of that commit.

Kept for the record; the tests only read the dump. The history covers what the migration must
carry over: the registry and reference facts with events (`init`), a complete source with
endings, a backfill, a correction, a fact that ends and returns, an unchanged re-ingest, a
failed ingest, and a second source that disagrees with the first.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

from stp_tracker.config.loading import load_config
from stp_tracker.errors import StpTrackerError
from stp_tracker.pipeline import ingest_files
from stp_tracker.service.bootstrap import init
from stp_tracker.store.apply import open_db
from tests.conftest import DASHBOARD_SOURCE, HEADER

SOURCES = DASHBOARD_SOURCE.format(complete="true")  # the dashboard lists every STP
JULY = [
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "1200", "2017-07-21"],
    ["E54000010", "Staffordshire", "Red", "Simon Whitehouse", "900", "2017-07-21"],
    ["E54000005", "West Yorkshire", "Making progress", "Rob Webster CBE", "2,500", "2017-07-21"],
    ["E54000006", "Humber, Coast and Vale", "Advanced", "Emma Latimer", "", "2017-07-21"],
]
JANUARY = [  # Humber drops out (its facts end), Staffordshire improves, a lead changes
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "1250", "2018-01-01"],
    ["E54000010", "Staffordshire", "Making progress", "Dr Simon Whitehouse", "900", "2018-01-01"],
    ["E54000005", "West Yorkshire", "Making progress", "Rob Webster", "2500", "2018-01-01"],
]
OCTOBER = [  # backfilled between the two, applied last but one
    ["E54000041", "Dorset", "Advanced", "Tim Goodson", "1200", "2017-10-01"],
    ["E54000010", "Staffordshire", "Red", "Simon Whitehouse", "900", "2017-10-01"],
    ["E54000005", "West Yorkshire", "Making progress", "Rob Webster", "2500", "2017-10-01"],
    ["E54000006", "Humber, Coast and Vale", "Advanced", "Emma Latimer", "300", "2017-10-01"],
]
JULY_CORRECTED = [  # the July release republished: West Yorkshire's rating corrected
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "1200", "2017-07-21"],
    ["E54000010", "Staffordshire", "Red", "Simon Whitehouse", "900", "2017-07-21"],
    ["E54000005", "West Yorkshire", "Advanced", "Rob Webster CBE", "2,500", "2017-07-21"],
    ["E54000006", "Humber, Coast and Vale", "Advanced", "Emma Latimer", "", "2017-07-21"],
]
MAY = [  # Humber returns; Dorset's beds are no longer given
    ["E54000041", "Dorset", "Outstanding", "Tim Goodson", "", "2018-05-01"],
    ["E54000010", "Staffordshire", "Making progress", "Simon Whitehouse", "950", "2018-05-01"],
    ["E54000005", "West Yorkshire", "Advanced", "Rob Webster", "2500", "2018-05-01"],
    ["E54000006", "Humber, Coast and Vale", "Needs most improvement", "Emma Latimer", "310",
     "2018-05-01"],
]  # fmt: skip
PRESS = [["Dorset", "Advanced"], ["Staffordshire STP", "needs-most-improvement"]]


def csv_file(folder: Path, name: str, rows: list[list[str]], header: list[str]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def main(target: str) -> None:
    folder = Path(tempfile.mkdtemp())
    config_dir = folder / "config"
    config_dir.mkdir()
    repo = Path(__file__).resolve().parents[2]
    (config_dir / "scales.toml").write_text((repo / "config" / "scales.toml").read_text())
    (config_dir / "sources.toml").write_text(SOURCES)
    config = load_config(config_dir, environ={})
    moments = iter(dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=k)
                   for k in range(10_000))  # fmt: skip

    def clock() -> dt.datetime:
        return next(moments)

    db = open_db(folder / "db" / "stp.db")
    init(db, config, clock)
    july = csv_file(folder, "july.csv", JULY, HEADER)
    ingest_files(db, config, "dashboard", [july], clock=clock)
    ingest_files(db, config, "dashboard", [csv_file(folder, "jan.csv", JANUARY, HEADER)],
                 clock=clock)  # fmt: skip
    ingest_files(db, config, "press", [csv_file(folder, "press.csv", PRESS,
                 ["Partnership", "Rating"])], as_of="2017-08-01", clock=clock)  # fmt: skip
    ingest_files(db, config, "dashboard", [csv_file(folder, "oct.csv", OCTOBER, HEADER)],
                 clock=clock)  # fmt: skip
    ingest_files(db, config, "dashboard", [csv_file(folder, "july2.csv", JULY_CORRECTED, HEADER)],
                 clock=clock)  # fmt: skip
    ingest_files(db, config, "dashboard", [july], clock=clock)  # the correction undone
    ingest_files(db, config, "dashboard", [july], clock=clock)  # an identical re-ingest
    bad = csv_file(folder, "bad.csv", [["E54000041", "Dorset", "Purple", "", "", "2018-03-01"]],
                   HEADER)  # fmt: skip
    with contextlib.suppress(StpTrackerError):  # a failed ingest: only its fetch row stays
        ingest_files(db, config, "dashboard", [bad], clock=clock)
    ingest_files(db, config, "dashboard", [csv_file(folder, "may.csv", MAY, HEADER)],
                 clock=clock)  # fmt: skip
    db.execute("pragma wal_checkpoint(truncate)")
    # The file paths differ per run; keep the names only, so the dump is the same every time.
    for prefix in (str(folder) + "/", str(repo / "src" / "stp_tracker" / "data") + "/"):
        db.execute("update fetches set url = replace(url, ?, ''), error = replace(error, ?, '')",
                   [prefix, prefix])  # fmt: skip
        db.execute("update unmatched set file = replace(file, ?, '')", [prefix])
        db.execute("update sources set url = replace(url, ?, '')", [prefix])
        db.execute("update configurations set definition = replace(definition, ?, '')", [prefix])
    db.execute("update _sqlite_migrations set applied_at = '2026-01-01 09:00:00'")
    # The bundled boundaries are large and no migration here touches them: a point each.
    db.execute("""update boundaries set geometry = '{"type": "Point", "coordinates": [0, 0]}'""")
    db.conn.commit()
    with open(target, "w", encoding="utf-8") as out:
        for line in db.conn.iterdump():
            out.write(line + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
