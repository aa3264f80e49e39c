#!/usr/bin/env bash
# Makes sure the servers Latchkey needs are installed and running on this machine, and stops the ones it started.
#
#   deploy/local/servers.sh up       Redis, PostgreSQL (Debian packages; running ones are used as they are),
#                                    Kafka (KRaft, jars from Maven Central), GreenMail (SMTP sink); creates the
#                                    database, role and Kafka topics. Safe to run again.
#   deploy/local/servers.sh up --cluster
#                                    the same, and beside them a Redis Cluster (3 primaries + 3 replicas) and a
#                                    three-node Kafka (replication factor 3, min.insync.replicas 2): clusters.sh.
#   deploy/local/servers.sh down     stops only what "up" started (the clusters too).
#   deploy/local/servers.sh status
#
# State (downloads, Kafka data, logs, pid files) lives under .local/ at the top of the repository.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KAFKA_DIR=$STATE_DIR/kafka
GREENMAIL_DIR=$STATE_DIR/greenmail
STARTED=$STATE_DIR/started # one line per server that "up" started and "down" must stop

PG_ROLE=latchkey
PG_PASSWORD=latchkey
PG_DATABASES="latchkey_token$PG_DB_SUFFIX latchkey_admin$PG_DB_SUFFIX"

mark_started() { grep -qx "$1" "$STARTED" 2>/dev/null || echo "$1" >>"$STARTED"; }
was_started() { grep -qx "$1" "$STARTED" 2>/dev/null; }
unmark() { [ -f "$STARTED" ] && sed -i "/^$1\$/d" "$STARTED"; }


# ---- Redis ------------------------------------------------------------------------------------------------
redis_up() {
    if port_open "$REDIS_PORT"; then
        [ "$(redis_cli ping 2>/dev/null)" = PONG ] ||
            die "port $REDIS_PORT is taken by something that is not Redis: $(port_owner_short "$REDIS_PORT")"
        say "redis      127.0.0.1:$REDIS_PORT  (already running)"
        return
    fi
    command -v redis-server >/dev/null || apt_install redis-server
    mkdir -p "$STATE_DIR/redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir "$STATE_DIR/redis" --logfile "$STATE_DIR/redis/redis.log" --pidfile "$STATE_DIR/redis/redis.pid" \
        >/dev/null 2>&1 || die "redis-server did not start (see $STATE_DIR/redis/redis.log)"
    wait_port "$REDIS_PORT" 15 || die "redis-server did not open port $REDIS_PORT (see $STATE_DIR/redis/redis.log)"
    mark_started redis
    say "redis      127.0.0.1:$REDIS_PORT  (started)"
}
redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
redis_down() {
    was_started redis || return 0
    redis_cli shutdown nosave >/dev/null 2>&1 || stop_pid "$STATE_DIR/redis/redis.pid" redis
    unmark redis
    say "stopped redis"
}

# ---- PostgreSQL -------------------------------------------------------------------------------------------
pg_cluster() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n1; }
psql_admin() { # sql
    if id postgres >/dev/null 2>&1 && command -v runuser >/dev/null; then
        runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtAc "$1"
    else
        psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtAc "$1"
    fi
}
pg_up() {
    if port_open "$PG_PORT"; then
        pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null ||
            die "port $PG_PORT is taken by something that is not PostgreSQL: $(port_owner_short "$PG_PORT")"
        say "postgres   127.0.0.1:$PG_PORT  (already running)"
    else
        command -v pg_ctlcluster >/dev/null && [ -n "$(pg_cluster)" ] || apt_install postgresql
        local v
        v=$(pg_cluster)
        [ -n "$v" ] || die "PostgreSQL is installed but has no cluster under /etc/postgresql"
        pg_ctlcluster --skip-systemctl-redirect "$v" main start >"$STATE_DIR/postgres.log" 2>&1 ||
            die "PostgreSQL $v did not start (see $STATE_DIR/postgres.log)"
        wait_port "$PG_PORT" 30 || die "PostgreSQL $v did not open port $PG_PORT"
        mark_started "postgres $v"
        say "postgres   127.0.0.1:$PG_PORT  (started cluster $v/main)"
    fi
    # The project's role and databases (one database per owning service).
    [ "$(psql_admin "select 1 from pg_roles where rolname = '$PG_ROLE'" 2>/dev/null)" = 1 ] ||
        psql_admin "create role $PG_ROLE login password '$PG_PASSWORD'" >/dev/null ||
        die "could not create PostgreSQL role $PG_ROLE"
    local db
    for db in $PG_DATABASES; do
        [ "$(psql_admin "select 1 from pg_database where datname = '$db'")" = 1 ] ||
            psql_admin "create database $db owner $PG_ROLE" >/dev/null || die "could not create database $db"
    done
    say "           role $PG_ROLE, databases: $PG_DATABASES"
}
pg_down() {
    local line v
    line=$(grep '^postgres ' "$STARTED" 2>/dev/null) || return 0
    v=${line#postgres }
    pg_ctlcluster --skip-systemctl-redirect "$v" main stop >/dev/null 2>&1
    unmark "$line"
    say "stopped postgres $v"
}

# ---- Kafka (KRaft, single node) ---------------------------------------------------------------------------
kafka_install() {
    [ -f "$KAFKA_DIR/libs/.complete-$KAFKA_VERSION" ] && return 0
    say "fetching Kafka $KAFKA_VERSION jars from Maven Central ..."
    rm -rf "$KAFKA_DIR/libs"
    mkdir -p "$KAFKA_DIR"
    mvnw -B -ntp -q -f "$LATCHKEY_ROOT/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$KAFKA_DIR/libs" >"$KAFKA_DIR/fetch.log" 2>&1 ||
        die "could not fetch the Kafka jars (see $KAFKA_DIR/fetch.log)"
    touch "$KAFKA_DIR/libs/.complete-$KAFKA_VERSION"
}
kafka_java() { "$JAVA" -Xms256m -Xmx768m -cp "$KAFKA_DIR/libs/*" -Dlog4j2.configurationFile="$LATCHKEY_ROOT/deploy/local/kafka/log4j2.properties" "$@"; }
kafka_up() {
    if pid_alive "$KAFKA_DIR/kafka.pid"; then
        wait_port "$KAFKA_PORT" 60 || die "Kafka (pid $(cat "$KAFKA_DIR/kafka.pid")) is running but port $KAFKA_PORT is closed (see $KAFKA_DIR/kafka.log)"
        say "kafka      127.0.0.1:$KAFKA_PORT  (already running, started here)"
    elif port_open "$KAFKA_PORT"; then
        local owner
        owner=$(port_owner "$KAFKA_PORT")
        case "$owner" in
        *kafka.Kafka* | *kafka.docker* | "") say "kafka      127.0.0.1:$KAFKA_PORT  (already running)" ;;
        *) die "port $KAFKA_PORT is taken by something that is not Kafka: ${owner:0:160}" ;;
        esac
    else
        port_open "$KAFKA_CONTROLLER_PORT" &&
            die "Kafka controller port $KAFKA_CONTROLLER_PORT is taken: $(port_owner_short "$KAFKA_CONTROLLER_PORT")"
        kafka_install
        sed -e "s#@STATE@#$KAFKA_DIR#" -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
            "$LATCHKEY_ROOT/deploy/local/kafka/server.properties" >"$KAFKA_DIR/server.properties"
        if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
            local id
            id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$KAFKA_DIR/kafka.log") ||
                die "Kafka storage tool failed (see $KAFKA_DIR/kafka.log)"
            kafka_java kafka.tools.StorageTool format --standalone -t "$id" -c "$KAFKA_DIR/server.properties" \
                >>"$KAFKA_DIR/kafka.log" 2>&1 || die "could not format Kafka storage (see $KAFKA_DIR/kafka.log)"
        fi
        nohup "$JAVA" -Xms256m -Xmx768m -XX:+UseG1GC -cp "$KAFKA_DIR/libs/*" \
            -Dlog4j2.configurationFile="$LATCHKEY_ROOT/deploy/local/kafka/log4j2.properties" \
            kafka.Kafka "$KAFKA_DIR/server.properties" >>"$KAFKA_DIR/kafka.log" 2>&1 </dev/null &
        echo $! >"$KAFKA_DIR/kafka.pid"
        if ! wait_port "$KAFKA_PORT" 90; then
            stop_pid "$KAFKA_DIR/kafka.pid" kafka >/dev/null
            die "Kafka did not open port $KAFKA_PORT within 90 s (see $KAFKA_DIR/kafka.log)"
        fi
        mark_started kafka
        say "kafka      127.0.0.1:$KAFKA_PORT  (started, KRaft, data in $KAFKA_DIR/data)"
    fi
    kafka_install
    kafka_java "$LATCHKEY_ROOT/deploy/local/kafka/CreateTopics.java" "127.0.0.1:$KAFKA_PORT" \
        "$LATCHKEY_ROOT/deploy/local/kafka/topics.txt" 2>>"$KAFKA_DIR/topics.log" | sed 's/^/           /' ||
        die "could not create the Kafka topics (see $KAFKA_DIR/topics.log)"
}
kafka_down() {
    was_started kafka || return 0
    stop_pid "$KAFKA_DIR/kafka.pid" kafka
    unmark kafka
}

# ---- GreenMail (SMTP sink) --------------------------------------------------------------------------------
greenmail_up() {
    local jar=$GREENMAIL_DIR/greenmail-standalone-$GREENMAIL_VERSION.jar
    if pid_alive "$GREENMAIL_DIR/greenmail.pid"; then
        say "smtp sink  127.0.0.1:$SMTP_PORT, messages at http://127.0.0.1:$SMTP_API_PORT/api/user  (already running)"
        return
    fi
    local p
    for p in "$SMTP_PORT" "$SMTP_API_PORT"; do
        if port_open "$p"; then
            case "$(port_owner "$p")" in
            *greenmail*) say "smtp sink  127.0.0.1:$SMTP_PORT  (already running)"; return ;;
            *) die "port $p (SMTP sink) is taken by something else: $(port_owner_short "$p")" ;;
            esac
        fi
    done
    if [ ! -f "$jar" ]; then
        say "fetching GreenMail $GREENMAIL_VERSION from Maven Central ..."
        mkdir -p "$GREENMAIL_DIR"
        mvnw -B -ntp -q dependency:copy -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION" \
            -DoutputDirectory="$GREENMAIL_DIR" >"$GREENMAIL_DIR/fetch.log" 2>&1 ||
            die "could not fetch GreenMail (see $GREENMAIL_DIR/fetch.log)"
    fi
    nohup "$JAVA" -Xmx256m -Dgreenmail.smtp.hostname=127.0.0.1 \
        -Dgreenmail.smtp.port="$SMTP_PORT" -Dgreenmail.auth.disabled \
        -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$SMTP_API_PORT" \
        -jar "$jar" >"$GREENMAIL_DIR/greenmail.log" 2>&1 </dev/null &
    echo $! >"$GREENMAIL_DIR/greenmail.pid"
    if ! wait_port "$SMTP_API_PORT" 30; then
        stop_pid "$GREENMAIL_DIR/greenmail.pid" greenmail >/dev/null
        die "GreenMail did not start (see $GREENMAIL_DIR/greenmail.log)"
    fi
    mark_started greenmail
    say "smtp sink  127.0.0.1:$SMTP_PORT, messages at http://127.0.0.1:$SMTP_API_PORT/api/user  (started)"
}
greenmail_down() {
    was_started greenmail || return 0
    stop_pid "$GREENMAIL_DIR/greenmail.pid" greenmail
    unmark greenmail
}

. "$(dirname "$0")/clusters.sh"

status() {
    local name port
    for name in redis:$REDIS_PORT postgres:$PG_PORT kafka:$KAFKA_PORT smtp:$SMTP_PORT; do
        port=${name#*:}
        if port_open "$port"; then say "${name%%:*} up on $port"; else say "${name%%:*} down ($port)"; fi
    done
    port_open "$REDIS_CLUSTER_PORT" && say "redis cluster up on $REDIS_CLUSTER_PORT-$((REDIS_CLUSTER_PORT + 5))"
    port_open "$KAFKA_CLUSTER_PORT" && say "kafka cluster up on $LATCHKEY_KAFKA_CLUSTER_BOOTSTRAP"
    [ -s "$STARTED" ] && say "started by this script: $(tr '\n' ' ' <"$STARTED")"
    return 0
}

case "${1:-up}" in
up)
    check_disk
    pick_jdk
    say "JDK $JAVA_HOME"
    redis_up
    pg_up
    kafka_up
    greenmail_up
    case "${2:-}" in
    "") ;;
    --cluster)
        redis_cluster_up
        kafka_cluster_up
        ;;
    *) die "usage: $0 up [--cluster]" ;;
    esac
    ;;
down)
    pick_jdk
    kafka_cluster_down
    redis_cluster_down
    greenmail_down
    kafka_down
    pg_down
    redis_down
    ;;
status) status ;;
*) die "usage: $0 up [--cluster] | down | status" ;;
esac
