#!/usr/bin/env bash
# Suite-level login benchmark through the one origin (nginx): start → outbox → token, then the resident memory of each
# service. Run by hand, never in the test command:
#
#   LATCHKEY_OTP_IP_LIMIT=0 LATCHKEY_OTP_CLIENT_LIMIT=0 deploy/local/run.sh    # the suite, limits off for one IP
#   suite-tests/bench/run.sh                                                     # CONCURRENCY=16 DURATION=30
#
# The per-IP (50/min) and per-client (1000/min) start limits would otherwise cap a load from one address.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ORIGIN=${ORIGIN:-http://127.0.0.1:8080}
curl -sf -o /dev/null "$ORIGIN/.well-known/openid-configuration" || {
    echo "nothing answers on $ORIGIN: start the suite first (see the top of this script)" >&2
    exit 1
}
ORIGIN=$ORIGIN node "$ROOT/suite-tests/bench/login-load.mjs"
echo "resident memory at the end (VmRSS):"
for s in otp token delivery admin; do
    pidfile=$ROOT/.local/run/$s.pid
    if [ -f "$pidfile" ] && [ -r "/proc/$(cat "$pidfile")/status" ]; then
        printf '  %-17s %s\n' "$s-service" "$(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$(cat "$pidfile")/status")"
    fi
done
