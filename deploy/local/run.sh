#!/usr/bin/env bash
# Runs the whole suite on this machine: the servers, then the four services, packaged (not dev mode).
#
#   deploy/local/run.sh          start (servers, build, services in the background), wait until all are ready
#   deploy/local/run.sh stop     stop the services, then the servers this project started
#   deploy/local/run.sh status
#
# Logs: .local/logs/<service>.log. The platform key is generated once into .local/secret-key (never committed).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

SERVICES="otp:8101 token:8102 delivery:8103 admin:8104"
ORIGIN_PORT=${LATCHKEY_ORIGIN_PORT:-8080}
NGINX_DIR=$STATE_DIR/nginx
MANAGEMENT_CLIENT_ID=latchkey-bootstrap
LOG_DIR=$STATE_DIR/logs
RUN_DIR=$STATE_DIR/run

service_env() {
    export LATCHKEY_SECRET_KEY
    LATCHKEY_SECRET_KEY=$(cat "$STATE_DIR/secret-key")
    export LATCHKEY_REDIS_URL=${LATCHKEY_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}
    export LATCHKEY_KAFKA_BOOTSTRAP=${LATCHKEY_KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}
    export LATCHKEY_SMTP_HOST=${LATCHKEY_SMTP_HOST:-127.0.0.1} LATCHKEY_SMTP_PORT=$SMTP_PORT
    # No Twilio credentials locally: SMS go to delivery-service's outbox (readable at /dev/outbox/messages).
    export LATCHKEY_DELIVERY_OUTBOX=${LATCHKEY_DELIVERY_OUTBOX:-true}
    export LATCHKEY_PUBLIC_URL=http://127.0.0.1:$ORIGIN_PORT LATCHKEY_AUTH_ISSUER=http://127.0.0.1:$ORIGIN_PORT/
    # Plain log lines in .local/logs (JSON is for clusters). Tracing only when a collector is named: no OTLP
    # collector runs here (LATCHKEY_OTEL_ENDPOINT=http://127.0.0.1:4317 with one of your own).
    export LATCHKEY_LOG_JSON=${LATCHKEY_LOG_JSON:-false}
    if [ -z "${LATCHKEY_OTEL_ENDPOINT:-}" ]; then export LATCHKEY_TRACING_DISABLED=${LATCHKEY_TRACING_DISABLED:-true}; fi
    # admin-service applies the seed (demo client, sms and email connections) at start, creating only what is missing,
    # and creates the bootstrap management client.
    export LATCHKEY_SEED_FILE=$LATCHKEY_ROOT/deploy/local/seed/latchkey-seed.json
    export LATCHKEY_MANAGEMENT_CLIENT_ID=$MANAGEMENT_CLIENT_ID
    LATCHKEY_MANAGEMENT_CLIENT_SECRET=$(cat "$STATE_DIR/management-secret")
    export LATCHKEY_MANAGEMENT_CLIENT_SECRET
}

secret_key() {
    if [ ! -s "$STATE_DIR/secret-key" ]; then
        (umask 077 && head -c 32 /dev/urandom | base64 >"$STATE_DIR/secret-key")
        say "generated a platform key in $STATE_DIR/secret-key"
    fi
    if [ ! -s "$STATE_DIR/management-secret" ]; then
        (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$STATE_DIR/management-secret")
    fi
}

# The single public origin: nginx (Debian package) routing the public paths to the services.
origin_up() {
    if pid_alive "$NGINX_DIR/nginx.pid"; then
        return 0
    fi
    port_open "$ORIGIN_PORT" && die "port $ORIGIN_PORT (public origin) is taken by something else: $(port_owner_short "$ORIGIN_PORT")"
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx-light
    mkdir -p "$NGINX_DIR/tmp"
    sed -e "s#@STATE@#$NGINX_DIR#g" -e "s#@PORT@#$ORIGIN_PORT#g" "$LATCHKEY_ROOT/deploy/local/nginx/nginx.conf" \
        >"$NGINX_DIR/nginx.conf"
    /usr/sbin/nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" 2>"$NGINX_DIR/start.log" ||
        die "nginx did not start: $(head -n1 "$NGINX_DIR/start.log")"
    wait_port "$ORIGIN_PORT" 10 || die "nginx did not open port $ORIGIN_PORT (see $NGINX_DIR/error.log)"
}
origin_down() { stop_pid "$NGINX_DIR/nginx.pid" nginx; }

start_service() { # name port
    local name=$1 port=$2 jar=$LATCHKEY_ROOT/$1-service/target/quarkus-app/quarkus-run.jar
    local pidfile=$RUN_DIR/$name.pid
    if pid_alive "$pidfile"; then
        say "$name-service already running (pid $(cat "$pidfile"))"
        return 0
    fi
    port_open "$port" && die "port $port ($name-service) is taken by something else: $(port_owner_short "$port")"
    [ -f "$jar" ] || die "$jar is missing: the build did not produce it"
    nohup "$JAVA" -Xms64m -Xmx384m -jar "$jar" \
        >"$LOG_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
}

wait_ready() { # name port
    local i
    for ((i = 0; i < 240; i++)); do
        curl -sf -o /dev/null "http://127.0.0.1:$2/q/health/ready" && return 0
        pid_alive "$RUN_DIR/$1.pid" || die "$1-service exited during start; last log lines: $(tail -n 3 "$LOG_DIR/$1.log" | tr '\n' ' ' | cut -c1-400)"
        sleep 0.5
    done
    die "$1-service not ready after 120 s: $(curl -s "http://127.0.0.1:$2/q/health/ready" | tr -d ' \n' | cut -c1-300) (log: $LOG_DIR/$1.log)"
}

start() {
    "$LATCHKEY_ROOT/deploy/local/servers.sh" up || exit 1
    pick_jdk
    secret_key
    say "building (./mvnw -B -ntp package -DskipTests) ..."
    (cd "$LATCHKEY_ROOT" && ./mvnw -B -ntp package -DskipTests >"$STATE_DIR/build.log" 2>&1) ||
        die "build failed: $(grep -m1 -E '^\[ERROR\] .*(\.java|Failed)' "$STATE_DIR/build.log" | cut -c1-300) (full log: $STATE_DIR/build.log)"
    mkdir -p "$LOG_DIR" "$RUN_DIR"
    service_env
    local s
    for s in $SERVICES; do start_service "${s%%:*}" "${s#*:}"; done
    for s in $SERVICES; do wait_ready "${s%%:*}" "${s#*:}"; done
    origin_up
    local origin=http://127.0.0.1:$ORIGIN_PORT
    say ""
    say "Latchkey is running on $origin (logs in $LOG_DIR; stop with deploy/local/run.sh stop)"
    say "  demo app:          $origin/demo   (client id: demo-app)"
    say "  login page:        $origin/demo/login?connection=sms   (or connection=email: /authorize with PKCE, state, nonce)"
    say "  SMS (no Twilio):   $origin/dev/outbox/messages?to=%2B14155550100"
    say "  email:             http://127.0.0.1:$SMTP_API_PORT/api/user/<address>/messages/"
    say "  console:           $origin/console"
    say "  management token:  curl -s $origin/oauth/token -d grant_type=client_credentials -d client_id=$MANAGEMENT_CLIENT_ID \\"
    say "                       -d client_secret=\$(cat $STATE_DIR/management-secret) -d audience=$origin/api/v2/"
    for s in $SERVICES; do
        printf '  %-17s  http://127.0.0.1:%s  (/q/health/ready, /q/metrics, /q/openapi)\n' "${s%%:*}-service" "${s#*:}"
    done
}

stop() {
    local s
    origin_down
    for s in $SERVICES; do stop_pid "$RUN_DIR/${s%%:*}.pid" "${s%%:*}-service"; done
    "$LATCHKEY_ROOT/deploy/local/servers.sh" down
}

status() {
    local s
    for s in $SERVICES; do
        if pid_alive "$RUN_DIR/${s%%:*}.pid"; then
            printf '%-17s pid %s, ready: %s\n' "${s%%:*}-service" "$(cat "$RUN_DIR/${s%%:*}.pid")" \
                "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${s#*:}/q/health/ready")"
        else
            printf '%-17s stopped\n' "${s%%:*}-service"
        fi
    done
    "$LATCHKEY_ROOT/deploy/local/servers.sh" status
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
status) status ;;
*) die "usage: $0 [start|stop|status]" ;;
esac
