#!/usr/bin/env sh
# Back up a live stp-tracker database without stopping the service: SQLite's online backup
# copies a consistent snapshot while the scheduler keeps writing (WAL mode). The raw archive
# (db/raw/) only ever gains files, so a plain copy of it is consistent too.
#   deploy/backup.sh /var/lib/stp-tracker/stp.db /backups
set -eu
db=${1:?usage: backup.sh DB_FILE BACKUP_DIR}
dest=${2:?usage: backup.sh DB_FILE BACKUP_DIR}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
python3 - "$db" "$dest/stp-$stamp.db" <<'PY'
import sqlite3, sys
source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
target = sqlite3.connect(sys.argv[2])
source.backup(target)
assert target.execute("pragma integrity_check").fetchone()[0] == "ok"
target.close(); source.close()
PY
mkdir -p "$dest/raw" && cp -a "$(dirname "$db")/raw/." "$dest/raw/"
echo "backed up to $dest/stp-$stamp.db"
