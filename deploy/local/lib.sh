# Shared by the deploy/local scripts: where things live, how to fail, which JDK to use.
# shellcheck shell=bash

LATCHKEY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE_DIR=${LATCHKEY_STATE_DIR:-$LATCHKEY_ROOT/.local}

# Servers and the ports they use. The services read the same addresses from LATCHKEY_* variables.
REDIS_PORT=${LATCHKEY_REDIS_PORT:-6379}
PG_PORT=${LATCHKEY_PG_PORT:-5432}
KAFKA_PORT=${LATCHKEY_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${LATCHKEY_KAFKA_CONTROLLER_PORT:-9093}
SMTP_PORT=${LATCHKEY_SMTP_PORT:-3025}
SMTP_API_PORT=${LATCHKEY_SMTP_API_PORT:-8025}
# A second set of servers on one machine (another checkout, a cluster run) takes other ports and a database suffix:
# LATCHKEY_PG_DB_SUFFIX=_b gives latchkey_token_b and latchkey_admin_b on the same PostgreSQL.
PG_DB_SUFFIX=${LATCHKEY_PG_DB_SUFFIX:-}

# The local clusters (servers.sh up --cluster): six Redis Cluster nodes from REDIS_CLUSTER_PORT, three Kafka brokers
# from KAFKA_CLUSTER_PORT (their controllers follow them).
REDIS_CLUSTER_PORT=${LATCHKEY_REDIS_CLUSTER_PORT:-7001}
KAFKA_CLUSTER_PORT=${LATCHKEY_KAFKA_CLUSTER_PORT:-19092}
export LATCHKEY_REDIS_CLUSTER_URL=${LATCHKEY_REDIS_CLUSTER_URL:-redis://127.0.0.1:$REDIS_CLUSTER_PORT,redis://127.0.0.1:$((REDIS_CLUSTER_PORT + 1)),redis://127.0.0.1:$((REDIS_CLUSTER_PORT + 2))}
export LATCHKEY_KAFKA_CLUSTER_BOOTSTRAP=${LATCHKEY_KAFKA_CLUSTER_BOOTSTRAP:-127.0.0.1:$KAFKA_CLUSTER_PORT,127.0.0.1:$((KAFKA_CLUSTER_PORT + 1)),127.0.0.1:$((KAFKA_CLUSTER_PORT + 2))}

# The addresses the services and the tests read, derived from the ports above unless set explicitly.
export LATCHKEY_REDIS_URL=${LATCHKEY_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}
export LATCHKEY_KAFKA_BOOTSTRAP=${LATCHKEY_KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}
export LATCHKEY_PG_HOSTPORT=${LATCHKEY_PG_HOSTPORT:-127.0.0.1:$PG_PORT}
export LATCHKEY_PG_DB_SUFFIX=$PG_DB_SUFFIX
export LATCHKEY_TOKEN_DB_URL=${LATCHKEY_TOKEN_DB_URL:-postgresql://127.0.0.1:$PG_PORT/latchkey_token$PG_DB_SUFFIX}
export LATCHKEY_ADMIN_DB_URL=${LATCHKEY_ADMIN_DB_URL:-postgresql://127.0.0.1:$PG_PORT/latchkey_admin$PG_DB_SUFFIX}
export LATCHKEY_SMTP_PORT=$SMTP_PORT
export LATCHKEY_SMTP_API=${LATCHKEY_SMTP_API:-http://127.0.0.1:$SMTP_API_PORT}

KAFKA_VERSION=4.1.2
GREENMAIL_VERSION=2.1.8
MIN_FREE_MB=1024

say() { printf '%s\n' "$*"; }
# die prints one line, the reason, and stops.
die() {
    printf 'latchkey: %s\n' "$*" >&2
    exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Who listens on a port, as "pid command line", or nothing.
port_owner() {
    local pid
    pid=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2)
    [ -n "$pid" ] && printf '%s %s' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
}

# The same, short enough for a one-line message.
port_owner_short() { port_owner "$1" | cut -c1-160; }

wait_port() { # port seconds
    local i
    for ((i = 0; i < $2 * 4; i++)); do
        port_open "$1" && return 0
        sleep 0.25
    done
    return 1
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stop the process in a pid file: TERM, then KILL after a grace period.
stop_pid() { # pidfile name
    local pid i
    pid_alive "$1" || { rm -f "$1"; return 0; }
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null
    for ((i = 0; i < 120; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    rm -f "$1"
    say "stopped $2 (pid $pid)"
}

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }

# Picks a JDK >= 21: JAVA_HOME when it is one, else the newest under /usr/lib/jvm. Exports JAVA_HOME.
pick_jdk() {
    local best="" best_v=0 v d
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        v=$(java_major "$JAVA_HOME/bin/java")
        if [ "${v:-0}" -ge 21 ]; then
            best=$JAVA_HOME best_v=$v
        fi
    fi
    if [ -z "$best" ]; then
        for d in "${LATCHKEY_JVM_DIR:-/usr/lib/jvm}"/*/; do
            d=${d%/}
            [ -x "$d/bin/javac" ] && [ ! -L "$d" ] || continue
            v=$(java_major "$d/bin/java")
            if [ "${v:-0}" -gt "$best_v" ]; then best=$d best_v=$v; fi
        done
    fi
    [ "$best_v" -ge 21 ] || die "no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, none under ${LATCHKEY_JVM_DIR:-/usr/lib/jvm}); install one (e.g. Temurin 21+) and set JAVA_HOME"
    export JAVA_HOME=$best
    export PATH="$JAVA_HOME/bin:$PATH"
    JAVA="$JAVA_HOME/bin/java"
}

check_disk() {
    mkdir -p "$STATE_DIR" 2>/dev/null || die "cannot create $STATE_DIR"
    local free_mb
    free_mb=$(df -Pm "$STATE_DIR" | awk 'NR == 2 { print $4 }')
    [ "${free_mb:-0}" -ge "$MIN_FREE_MB" ] || die "not enough disk: ${free_mb} MiB free under $STATE_DIR, need ${MIN_FREE_MB} MiB"
}

apt_install() { # package...
    command -v apt-get >/dev/null || die "$* not installed and there is no apt-get to install it"
    say "installing $* (apt-get) ..."
    if [ ! -f "$STATE_DIR/.apt-updated" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$STATE_DIR/apt.log" 2>&1 && touch "$STATE_DIR/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$STATE_DIR/apt.log" 2>&1 ||
        die "apt-get install $* failed (see $STATE_DIR/apt.log)"
}

mvnw() { "$LATCHKEY_ROOT/mvnw" "$@"; }

# Builds a module and what it needs from this checkout (-am: never whatever another checkout installed in ~/.m2),
# packaged, with its test classpath written to OUT/classpath.txt. Output goes to OUT/build.log; a failure says why
# in one line (Maven's first error) and stops.
build_for_bench() { # module out
    local module=$1 out=$2 why
    mkdir -p "$out"
    pick_jdk
    say "building $module (log: $out/build.log) ..."
    if ! (cd "$LATCHKEY_ROOT" && ./mvnw -B -ntp -pl "$module" -am package dependency:build-classpath -DskipTests \
        -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt") >"$out/build.log" 2>&1; then
        why=$(grep -m1 -E '^\[ERROR\] ' "$out/build.log" | cut -c9-300)
        die "building $module failed: ${why:-see $out/build.log} (log: $out/build.log)"
    fi
}

# Fails in one line unless the local servers a benchmark needs answer.
require_servers() {
    [ "$(redis-cli -u "$LATCHKEY_REDIS_URL" ping 2>/dev/null)" = PONG ] ||
        die "Redis does not answer at $LATCHKEY_REDIS_URL: run deploy/local/servers.sh up"
    port_open "${LATCHKEY_KAFKA_BOOTSTRAP##*:}" ||
        die "Kafka does not answer at $LATCHKEY_KAFKA_BOOTSTRAP: run deploy/local/servers.sh up"
}
