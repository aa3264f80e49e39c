#!/usr/bin/env bash
# Benchmark of token-service, run by hand (never by the test suite):
#   OTP-grant logins/s and latency end to end (HTTP -> client check -> Redis Lua verify -> PostgreSQL upsert ->
#   JWT signing), with codes pre-seeded in Redis exactly as otp-service writes them, next to a client_credentials
#   mint (signing only) as the baseline. Runs the packaged service (quarkus-run.jar) on its own port.
#
#   token-service/bench/run.sh                 # defaults below; DURATION=60s CONNECTIONS=128 ... to change
#   KEYCLOAK=0 token-service/bench/run.sh      # without the Keycloak peer run (see keycloak.sh)
#
# With KEYCLOAK=1 (the default) Keycloak 26 runs beside it (token-service/bench/keycloak.sh): the same
# client_credentials load, warm-up and wrk settings, measured in each round between Latchkey's, and the ratios are
# printed at the end.
#
# Needs the local servers (deploy/local/servers.sh up) and wrk (apt-get install wrk); builds token-service and what
# it needs from this checkout first (a fresh clone works; a failed build says why in one line).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18102}
CODES=${CODES:-60000}                          # per measured OTP run; more than the run can use
ROUNDS=${ROUNDS:-1}                            # repeat the four measurements, interleaved (shared machines vary)
OUT=${OUT:-$ROOT/token-service/target/bench}
API_RS=https://bench-rs256.latchkey.test/
API_ES=https://bench-es256.latchkey.test/

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# A platform key for this run only: the service and the seeding tool must share it.
export LATCHKEY_SECRET_KEY=${LATCHKEY_SECRET_KEY:-$(head -c 32 /dev/urandom | base64)}

rm -rf "$OUT" && mkdir -p "$OUT"
. "$ROOT/deploy/local/lib.sh"
require_servers
build_for_bench token-service "$OUT"
JAVA=$JAVA_HOME/bin/java
CP="token-service/target/test-classes:token-service/target/classes:$(cat "$OUT/classpath.txt")"

echo "starting token-service on :$PORT (log: $OUT/service.log)"
LATCHKEY_TOKEN_PORT=$PORT "$JAVA" ${JAVA_OPTS:-} \
    -Dlatchkey.token.apis.bench-rs.identifier=$API_RS -Dlatchkey.token.apis.bench-rs.signing-alg=RS256 \
    -Dlatchkey.token.apis.bench-es.identifier=$API_ES -Dlatchkey.token.apis.bench-es.signing-alg=ES256 \
    -jar token-service/target/quarkus-app/quarkus-run.jar >"$OUT/service.log" 2>&1 &
SERVICE=$!
. "$ROOT/token-service/bench/keycloak.sh"
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true; keycloak_down' EXIT
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break
    kill -0 $SERVICE 2>/dev/null || { echo "token-service exited; see $OUT/service.log" >&2; exit 1; }
    sleep 1
done
curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "token-service not ready" >&2; exit 1; }
grep -o "JWT signing uses [^(]*" "$OUT/service.log" | head -1

seed() { # dir count
    "$JAVA" -cp "$CP" dev.latchkey.token.bench.BenchSeed "$1" "$2" "$API_RS" "$API_ES" 2>/dev/null | tail -1
    # Wait until the service's config view has the new client.
    . "$1/bench.env"
    for _ in $(seq 1 60); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -d grant_type=client_credentials -d "client_id=$CLIENT_ID" \
            -d "client_secret=$CLIENT_SECRET" --data-urlencode "audience=$API_RS" "http://127.0.0.1:$PORT/oauth/token")
        [ "$code" = 200 ] && return 0
        sleep 0.5
    done
    echo "the service never saw the benchmark client" >&2
    exit 1
}

otp() { # file label dir duration scope audience
    BENCH_DIR=$3 BENCH_THREADS=$THREADS BENCH_SCOPE=$5 BENCH_AUDIENCE=$6 \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --timeout 10s -s token-service/bench/otp-login.lua \
        "http://127.0.0.1:$PORT" >"$OUT/$1.txt" 2>&1
    echo "$2 $(grep RESULT "$OUT/$1.txt")"
}

mint() { # file label dir duration audience
    BENCH_DIR=$3 BENCH_AUDIENCE=$5 \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --timeout 10s -s token-service/bench/client-credentials.lua \
        "http://127.0.0.1:$PORT" >"$OUT/$1.txt" 2>&1
    echo "$2 $(grep RESULT "$OUT/$1.txt")"
}

KEYCLOAK=${KEYCLOAK:-1}
if [ "$KEYCLOAK" = 1 ]; then
    keycloak_up "$OUT"
    keycloak_client "$OUT/keycloak"
fi

seed "$OUT/warmup" "$CODES"
echo "warm-up ($WARMUP each, not counted)"
otp warmup-otp warmup "$OUT/warmup" "$WARMUP" openid "" >/dev/null
mint warmup-mint warmup "$OUT/warmup" "$WARMUP" "$API_RS" >/dev/null
[ "$KEYCLOAK" = 1 ] && keycloak_mint warmup-keycloak warmup "$OUT/keycloak" "$WARMUP" >/dev/null

for round in $(seq 1 "$ROUNDS"); do
    seed "$OUT/otp-rs-rs-$round" "$CODES"
    seed "$OUT/otp-rs-es-$round" "$CODES"
    echo "round $round: $DURATION each, $CONNECTIONS connections, $THREADS wrk threads; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    otp "wrk-otp-rs-rs-$round" "otp-login    id_token RS256 + access_token RS256 (scope openid)      " \
        "$OUT/otp-rs-rs-$round" "$DURATION" openid ""
    otp "wrk-otp-rs-es-$round" "otp-login    id_token RS256 + access_token ES256 (audience ES256 API)" \
        "$OUT/otp-rs-es-$round" "$DURATION" openid "$API_ES"
    mint "wrk-mint-rs-$round" "client-creds access_token RS256                                     " \
        "$OUT/otp-rs-rs-$round" "$DURATION" "$API_RS"
    mint "wrk-mint-es-$round" "client-creds access_token ES256                                     " \
        "$OUT/otp-rs-rs-$round" "$DURATION" "$API_ES"
    [ "$KEYCLOAK" = 1 ] && keycloak_mint "wrk-keycloak-$round" \
        "keycloak     client_credentials access_token RS256 (Keycloak $KEYCLOAK_VERSION)   " \
        "$OUT/keycloak" "$DURATION"
done
rps() { sed -n 's/.*rps=\([0-9.]*\).*/\1/p' "$OUT/$1.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
if [ "$KEYCLOAK" = 1 ]; then
    for round in $(seq 1 "$ROUNDS"); do
        echo "round $round: client_credentials RS256, Latchkey / Keycloak = $(ratio "$(rps "wrk-mint-rs-$round")" \
            "$(rps "wrk-keycloak-$round")")"
    done
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); raw wrk output in $OUT"
