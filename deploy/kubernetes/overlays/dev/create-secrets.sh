#!/usr/bin/env bash
# Creates the Secrets the dev overlay needs, with random values, in namespace latchkey (or $1). Values go from
# openssl straight to the cluster: nothing is written to disk or printed. Secrets that already exist are kept, so a
# rerun never changes the platform key under running services.
# Both databases live in the one in-cluster PostgreSQL (postgres.yaml), so they share one user and password.
set -euo pipefail
ns="${1:-latchkey}"

exists() { kubectl -n "$ns" get secret "$1" >/dev/null 2>&1; }
create() {
    local name="$1"; shift
    if exists "$name"; then
        echo "create-secrets.sh: $name exists, kept"
    else
        kubectl -n "$ns" create secret generic "$name" "$@" >/dev/null
        echo "create-secrets.sh: $name created"
    fi
}

kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns" >/dev/null

create latchkey-platform --from-literal=secret-key="$(openssl rand -base64 32)"
create latchkey-management --from-literal=client-secret="$(openssl rand -base64 32)"

if exists latchkey-token-db; then
    echo "create-secrets.sh: latchkey-token-db exists, kept"
else
    db_password="$(openssl rand -hex 24)"
    create latchkey-token-db --from-literal=username=latchkey --from-literal=password="$db_password"
    create latchkey-admin-db --from-literal=username=latchkey --from-literal=password="$db_password"
    unset db_password
fi
exists latchkey-admin-db || echo "create-secrets.sh: latchkey-admin-db is missing; copy latchkey-token-db's user and password into it" >&2
