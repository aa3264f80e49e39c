#!/usr/bin/env bash
# Load test of otp-service: POST /passwordless/start next to GET /ping (the cheapest request of the same service,
# same HTTP stack), both at their maximum rate and at 70 % of it, on this machine.
#
#   deploy/local/servers.sh up                         # Redis and Kafka
#   otp-service/bench/start-bench.sh [seconds=30] [connections=64]
#
# It builds otp-service and what it needs from this checkout (-am; a failed build says why in one line), starts
# its own otp-service (port BENCH_PORT, default 18101) with a fresh LATCHKEY_SECRET_KEY, publishes a bench
# client and email connection to latchkey.config, and sends the delivery events to a topic of its own
# (otp.bench.delivery.email, deleted at the end) so that a running delivery-service sends nothing. Every start has
# a recipient and a client address of its own (X-Forwarded-For from 127.0.0.1, a trusted proxy), so the real path
# runs — three Lua scripts in one Redis round trip, then one Kafka send with acks=all — without hitting a user's
# rate limit; the per-client limit is raised for the bench client.
#
# "70 %" runs are paced: each connection waits an exponentially distributed time between requests (wrk's delay(),
# whole milliseconds, so about 100 requests a second per connection and as many connections as the rate needs),
# calibrated by a short probe so the achieved rate is close to 70 % of the measured maximum (the table shows both).
# wrk measures each request from its send, so these are closed-loop numbers with think time, not a fixed-rate (wrk2)
# schedule; at 70 % load the difference is small.
# BENCH_JVM_OPTS adds JVM options to the service (e.g. -XX:StartFlightRecording=filename=/tmp/otp.jfr to profile).
set -euo pipefail

DURATION=${1:-30}
CONNECTIONS=${2:-64}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18101}
WARMUP=${BENCH_WARMUP:-15}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/deploy/local/lib.sh"
JAR=$ROOT/otp-service/target/quarkus-app/quarkus-run.jar
KAFKA_LIBS=$ROOT/.local/kafka/libs
BOOTSTRAP=${LATCHKEY_KAFKA_BOOTSTRAP:-127.0.0.1:9092}
SCRIPT=$ROOT/otp-service/bench/load.lua
RUN=$(date +%s)-$$
CLIENT=bench-client-$RUN
CONNECTION=bench-email-$RUN
TOPIC=otp.bench.delivery.email
URL=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
SERVICE_PID=

say() { printf '%s\n' "$*" >&2; }
die() { say "start-bench: $*"; exit 1; }

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
[ -d "$KAFKA_LIBS" ] || die "no Kafka tools under $KAFKA_LIBS: deploy/local/servers.sh up"
[ "$(redis-cli -u "${LATCHKEY_REDIS_URL:-redis://127.0.0.1:6379}" ping 2>/dev/null)" = PONG ] ||
    die "Redis does not answer: deploy/local/servers.sh up"
curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && die "port $PORT is taken (set BENCH_PORT)"
build_for_bench otp-service "$ROOT/otp-service/target/bench"

kafka_tool() { "$JAVA" -Xmx256m -cp "$KAFKA_LIBS/*" "$@" 2>>"$WORK/kafka-tools.log"; }
publish() { # lines of key|json (or key|NULL) to latchkey.config
    kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$BOOTSTRAP" --topic latchkey.config \
        --property parse.key=true --property key.separator='|' --property null.marker=NULL >/dev/null
}

cleanup() {
    set +e
    [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
    printf 'client:%s|NULL\nconnection:%s|NULL\n' "$CLIENT" "$CONNECTION" | publish
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --delete --topic "$TOPIC" \
        >/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

say "publishing the bench tenant ($CLIENT, $CONNECTION) ..."
kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$TOPIC" --partitions 6 --replication-factor 1 >/dev/null
printf 'connection:%s|{"name":"%s","strategy":"email","email":{"from":"bench@example.com"}}\nclient:%s|{"client_id":"%s","name":"bench","app_type":"spa","connections":["%s"]}\n' \
    "$CONNECTION" "$CONNECTION" "$CLIENT" "$CLIENT" "$CONNECTION" | publish

say "starting otp-service on port $PORT ..."
LATCHKEY_SECRET_KEY=$(head -c 32 /dev/urandom | base64) \
    LATCHKEY_OTP_PORT=$PORT LATCHKEY_OTP_CLIENT_LIMIT=2000000000 LATCHKEY_OTP_EMAIL_TOPIC=$TOPIC \
    "$JAVA" -Xms256m -Xmx512m ${BENCH_JVM_OPTS:-} -jar "$JAR" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
start_once() {
    curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-Forwarded-For: 10.255.255.1' \
        -d "{\"client_id\":\"$CLIENT\",\"connection\":\"$CONNECTION\",\"email\":\"probe-$RUN-$1@example.com\",\"send\":\"code\"}" \
        "$URL/passwordless/start"
}
for i in $(seq 1 120); do
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log" >&2; die "otp-service exited"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/q/health/ready")" = 200 ] && [ "$(start_once "$i")" = 200 ] && break
    [ "$i" = 120 ] && die "otp-service did not become ready with the bench tenant (see $WORK/service.log)"
    sleep 1
done

load() { # endpoint seconds think_ms connections -> RESULT line
    BENCH_ENDPOINT=$1 BENCH_THINK_MS=$3 BENCH_CLIENT_ID=$CLIENT BENCH_CONNECTION=$CONNECTION BENCH_RUN=$RUN \
        wrk -t"$THREADS" -c"$4" -d"$2"s --timeout 5s -s "$SCRIPT" "$URL" | grep '^RESULT'
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

say "warming up ($WARMUP s per endpoint) ..."
load ping "$WARMUP" 0 "$CONNECTIONS" >/dev/null
load start "$WARMUP" 0 "$CONNECTIONS" >/dev/null

# CPU time per request, by process, over a maximum-rate run: where the two cores go. The service, Redis and the
# Kafka broker are read from /proc/<pid>/stat; "rest" is the machine's busy time less those three (wrk, the kernel's
# share of loopback networking, anything else running).
TICK=$(getconf CLK_TCK)
REDIS_PID=$(pgrep -o -x redis-server || true)
KAFKA_PID=$(pgrep -o -f 'kafka\.Kafka ' || true)
proc_ticks() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && awk '{ print $14 + $15 }' "/proc/$1/stat" || echo 0; }
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
cpu_snapshot() { echo "$(proc_ticks "$SERVICE_PID") $(proc_ticks "$REDIS_PID") $(proc_ticks "$KAFKA_PID") $(busy_ticks)"; }
cpu_per_request() { # before after requests -> "service=.. redis=.. kafka=.. rest=.. total=.." in µs per request
    awk -v b="$1" -v a="$2" -v n="$3" -v t="$TICK" 'BEGIN {
        split(b, x, " "); split(a, y, " "); us = 1e6 / t / n
        s = (y[1] - x[1]) * us; r = (y[2] - x[2]) * us; k = (y[3] - x[3]) * us; all = (y[4] - x[4]) * us
        printf "service=%.0f redis=%.0f kafka=%.0f rest=%.0f total=%.0f", s, r, k, all - s - r - k, all }'
}

declare -A RESULTS CPU
for endpoint in ping start; do
    say "$endpoint: maximum rate, $DURATION s, $CONNECTIONS connections ..."
    before=$(cpu_snapshot)
    max=$(load "$endpoint" "$DURATION" 0 "$CONNECTIONS")
    after=$(cpu_snapshot)
    RESULTS[$endpoint-max]=$max
    CPU[$endpoint]=$(cpu_per_request "$before" "$after" \
        "$(awk -v r="$(field "$max" rps)" -v d="$DURATION" 'BEGIN { printf "%.0f", r * d }')")
    target=$(awk -v r="$(field "$max" rps)" 'BEGIN { printf "%.0f", r * 0.7 }')
    # Paced run: wrk's delay() counts whole milliseconds, so each connection sends about 100 requests a second
    # (a 10 ms cycle) and the number of connections carries the rate. A short probe measures the response time at
    # that load, which the think time then leaves room for (+0.5 ms: wrk truncates each delay to whole ms).
    paced=$(awk -v t="$target" -v c="$CONNECTIONS" 'BEGIN { n = int(t / 100 + 0.5); if (n < c) n = c; print n }')
    think=$(awk -v c="$paced" -v t="$target" 'BEGIN { printf "%.3f", c * 1000 / t + 0.5 }')
    probe=$(load "$endpoint" 8 "$think" "$paced")
    think=$(awk -v c="$paced" -v t="$target" -v m="$(field "$probe" mean_ms)" \
        'BEGIN { x = c * 1000 / t - m + 0.5; if (x < 0.5) x = 0.5; printf "%.3f", x }')
    say "$endpoint: 70 % of maximum = $target req/s ($paced connections), $DURATION s ..."
    RESULTS[$endpoint-70]="$(load "$endpoint" "$DURATION" "$think" "$paced") target=$target connections=$paced"
done

load_avg=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo
    echo "otp-service benchmark  $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores, load average after: $load_avg"
    echo "wrk -t$THREADS -c$CONNECTIONS, $DURATION s per run; JVM: $("$JAVA" -version 2>&1 | head -1)"
    printf '%-28s %10s %9s %9s %9s %9s %8s %s\n' run req/s p50_ms p90_ms p99_ms max_ms non2xx note
    for key in ping-max start-max ping-70 start-70; do
        r=${RESULTS[$key]}
        name=$( [ "${key%-*}" = ping ] && echo "GET /ping" || echo "POST /passwordless/start")
        mode=$( [ "${key#*-}" = max ] && echo max || echo "70%")
        note=$( [ "$mode" = max ] && echo "$CONNECTIONS connections" ||
            echo "target $(field "$r" target), $(field "$r" connections) connections")
        printf '%-28s %10s %9s %9s %9s %9s %8s %s\n' "$name ($mode)" "$(field "$r" rps)" "$(field "$r" p50_ms)" \
            "$(field "$r" p90_ms)" "$(field "$r" p99_ms)" "$(field "$r" max_ms)" \
            "$(( $(field "$r" non2xx) + $(field "$r" socket_errors) ))" "$note"
    done
    awk -v s="$(field "${RESULTS[start-max]}" rps)" -v p="$(field "${RESULTS[ping-max]}" rps)" \
        'BEGIN { printf "start / ping at maximum: %.0f %% (target >= 50 %%)\n", 100 * s / p }'
    echo "p99 of start at 70 %: $(field "${RESULTS[start-70]}" p99_ms) ms (target <= 20 ms)"
    echo "CPU per request at maximum, µs (all $(nproc) cores; service = otp-service JVM, rest = wrk, kernel, others):"
    echo "  GET /ping                 ${CPU[ping]}"
    echo "  POST /passwordless/start  ${CPU[start]}"
}
