# Keycloak as the peer of token-service/bench/run.sh (sourced by it): the same client_credentials request, the same
# wrk settings and warm-up, on the same machine in the same run. Keycloak 26 from Maven Central
# (org.keycloak:keycloak-quarkus-dist, the server distribution), production mode (`kc.sh start`), its embedded
# dev-file database, plain HTTP on loopback, a realm of its own with one confidential client whose service account
# gets RS256 access tokens (Keycloak's default). Nothing of it is kept outside .local/keycloak and $OUT.
# shellcheck shell=bash

KEYCLOAK_VERSION=${KEYCLOAK_VERSION:-26.7.3}
KEYCLOAK_PORT=${KEYCLOAK_PORT:-18180}
KEYCLOAK_HOME=$STATE_DIR/keycloak/keycloak-$KEYCLOAK_VERSION
KEYCLOAK_PID=

keycloak_fetch() {
    [ -x "$KEYCLOAK_HOME/bin/kc.sh" ] && return 0
    local zip=$STATE_DIR/keycloak/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip
    local url=https://repo.maven.apache.org/maven2/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip
    mkdir -p "$STATE_DIR/keycloak"
    if [ ! -s "$zip" ]; then
        say "fetching Keycloak $KEYCLOAK_VERSION from Maven Central (about 170 MB) ..."
        curl -fsSL -o "$zip.part" "$url" || die "could not download $url"
        mv "$zip.part" "$zip"
    fi
    (cd "$STATE_DIR/keycloak" && unzip -qo "$zip") || die "could not unpack $zip"
    [ -x "$KEYCLOAK_HOME/bin/kc.sh" ] || die "no bin/kc.sh in $zip"
}

# Starts Keycloak in production mode with a fresh dev-file database; admin credentials are made up for this run.
keycloak_up() { # out
    local out=$1
    keycloak_fetch
    port_open "$KEYCLOAK_PORT" && die "port $KEYCLOAK_PORT is taken (set KEYCLOAK_PORT)"
    rm -rf "$KEYCLOAK_HOME/data"
    KEYCLOAK_ADMIN_SECRET=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    say "starting Keycloak $KEYCLOAK_VERSION on :$KEYCLOAK_PORT (log: $out/keycloak.log)"
    JAVA_HOME=$JAVA_HOME KC_BOOTSTRAP_ADMIN_USERNAME=bench-admin KC_BOOTSTRAP_ADMIN_PASSWORD=$KEYCLOAK_ADMIN_SECRET \
        JAVA_OPTS_KC_HEAP="-Xms512m -Xmx1g" \
        setsid "$KEYCLOAK_HOME/bin/kc.sh" start --db=dev-file --http-enabled=true --http-host=127.0.0.1 \
        --http-port="$KEYCLOAK_PORT" --hostname="http://127.0.0.1:$KEYCLOAK_PORT" --cache=local \
        --health-enabled=true --http-management-port=$((KEYCLOAK_PORT + 1)) >"$out/keycloak.log" 2>&1 &
    KEYCLOAK_PID=$!
    local i
    for i in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$((KEYCLOAK_PORT + 1))/health/ready" >/dev/null 2>&1 && return 0
        kill -0 "$KEYCLOAK_PID" 2>/dev/null || die "Keycloak exited during start-up; see $out/keycloak.log"
        sleep 1
    done
    die "Keycloak was not ready after 300 s; see $out/keycloak.log"
}

keycloak_down() {
    [ -n "$KEYCLOAK_PID" ] || return 0
    # kc.sh runs java as a child (after an automatic re-build, as a grandchild): stop its whole process group.
    kill -TERM -- "-$KEYCLOAK_PID" 2>/dev/null
    local i
    for i in $(seq 1 30); do
        kill -0 -- "-$KEYCLOAK_PID" 2>/dev/null || break
        sleep 1
    done
    kill -KILL -- "-$KEYCLOAK_PID" 2>/dev/null
    wait "$KEYCLOAK_PID" 2>/dev/null || true
    KEYCLOAK_PID=
}

# A realm "bench" with a confidential client whose service account mints access tokens; writes $dir/bench.env in
# the format client-credentials.lua reads.
keycloak_client() { # dir
    local dir=$1 base=http://127.0.0.1:$KEYCLOAK_PORT admin secret code
    mkdir -p "$dir"
    admin=$(curl -fs -d grant_type=password -d client_id=admin-cli -d username=bench-admin \
        --data-urlencode "password=$KEYCLOAK_ADMIN_SECRET" "$base/realms/master/protocol/openid-connect/token" |
        sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    [ -n "$admin" ] || die "Keycloak refused its bootstrap admin; see the log in $OUT"
    secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d '{"realm":"bench","enabled":true,"accessTokenLifespan":300}' "$base/admin/realms")
    [ "$code" = 201 ] || [ "$code" = 409 ] || die "Keycloak did not create the bench realm (HTTP $code)"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d "{\"clientId\":\"bench-m2m\",\"enabled\":true,\"publicClient\":false,\"secret\":\"$secret\",
             \"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":false}" \
        "$base/admin/realms/bench/clients")
    [ "$code" = 201 ] || die "Keycloak did not create the bench client (HTTP $code)"
    printf 'CLIENT_ID=bench-m2m\nCLIENT_SECRET=%s\n' "$secret" >"$dir/bench.env"
    code=$(curl -s -o /dev/null -w '%{http_code}' -d grant_type=client_credentials -d client_id=bench-m2m \
        --data-urlencode "client_secret=$secret" "$base/realms/bench/protocol/openid-connect/token")
    [ "$code" = 200 ] || die "Keycloak's client_credentials answered HTTP $code"
}

keycloak_mint() { # file label dir duration
    BENCH_DIR=$3 BENCH_AUDIENCE= BENCH_PATH=/realms/bench/protocol/openid-connect/token \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --timeout 10s -s token-service/bench/client-credentials.lua \
        "http://127.0.0.1:$KEYCLOAK_PORT" >"$OUT/$1.txt" 2>&1
    echo "$2 $(grep RESULT "$OUT/$1.txt")"
}
