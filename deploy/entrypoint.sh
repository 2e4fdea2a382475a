#!/bin/sh
# The container's entrypoint; its first argument picks the role (default: writer).
#   writer   create the database if needed, then run the service; when LITESTREAM_REPLICA_URL
#            is set, under `litestream replicate`, which streams each commit there and passes
#            SIGTERM on to the service
#   replica  serve a read-only copy restored from LITESTREAM_REPLICA_URL, refreshed every
#            STP_TRACKER_REPLICA_EVERY (default 30s)
#   anything else is run as a command (e.g. `stp-tracker status`)
# The service's own settings come from the environment as usual (STP_TRACKER_DB, _CONFIG,
# _HOST, _PORT, _LOG_FORMAT); LITESTREAM_CONFIG overrides /etc/litestream.yml.
set -eu
role=${1:-writer}
case "$role" in
  writer)
    stp-tracker init
    if [ -n "${LITESTREAM_REPLICA_URL:-}" ]; then
      exec litestream replicate -config "${LITESTREAM_CONFIG:-/etc/litestream.yml}" \
        -exec "stp-tracker run"
    fi
    exec stp-tracker run
    ;;
  replica)
    : "${LITESTREAM_REPLICA_URL:?the replica role needs LITESTREAM_REPLICA_URL}"
    exec stp-tracker replica "$LITESTREAM_REPLICA_URL" --every "${STP_TRACKER_REPLICA_EVERY:-30s}"
    ;;
  *)
    exec "$@"
    ;;
esac
