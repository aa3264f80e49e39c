#!/usr/bin/env bash
# Renders every kustomize overlay and checks the output offline:
#   - against the Kubernetes API schemas (npm kubernetes-models, Kubernetes 1.34) and KEDA's (npm
#     @kubernetes-models/keda); Strimzi's Kafka, KafkaNodePool and KafkaTopic get a structural check
#     (validate/checks.mjs) as no registry we can reach ships their schemas;
#   - policies: liveness and readiness probes on every long-running container, images pinned (a tag that is not
#     "latest", or a digest), no secret value in any manifest, KEDA never above the partitions of its topics, the
#     dev overlay's KafkaTopics equal to deploy/local/kafka/topics.txt, references that resolve, and environment
#     variables that the services read, the manifests set and deploy/README.md documents agreeing.
# The checks prove themselves first: each policy must reject its negative fixture (validate/test/).
# Usage: deploy/kubernetes/validate.sh        (exit 0 when everything passes)
# Needs kubectl with kustomize v5 and Node.js >= 20; installs the npm packages of validate/ with npm ci when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
say() { printf 'validate.sh: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

need_apt() {
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        fail "$1 is missing; install it (Debian: apt-get install $2)"
    fi
    say "installing $2 (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null || fail "apt-get install $2 failed"
}

# kubectl with kustomize v5 (the overlays use labels, replacements and patches with targets).
if ! command -v kubectl >/dev/null; then
    need_apt kubectl "kubectl" 2>/dev/null || true
    command -v kubectl >/dev/null || need_apt kubectl kubernetes-client
fi
kustomize_version="$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')"
[ "${kustomize_version:-0}" -ge 5 ] \
    || fail "kubectl's kustomize is older than v5 ($(kubectl version --client 2>&1 | tr '\n' ' ')); install a kubectl >= 1.27"

command -v node >/dev/null && command -v npm >/dev/null || need_apt node "nodejs npm"

# The npm packages, exactly as package-lock.json pins them; node_modules stays out of git.
if [ ! -f "$here/validate/node_modules/.package-lock.json" ] \
    || [ "$here/validate/package-lock.json" -nt "$here/validate/node_modules/.package-lock.json" ]; then
    say "installing the validator's npm packages (npm ci)"
    (cd "$here/validate" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || fail "npm ci in $here/validate failed"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. The checks themselves: every policy rejects its negative fixture, and the good fixture passes.
if ! (cd "$here/validate" && node --test --test-reporter=dot test/policies.test.mjs >"$work/selftest.log" 2>&1); then
    cat "$work/selftest.log"
    fail "the validator's own tests failed (deploy/kubernetes/validate/test)"
fi
say "self-test: every policy rejects its negative fixture ($(cat "$here"/validate/test/*.test.mjs | grep -c '^test(') cases)"

# 2. Render every overlay (and the base), then check the output.
renders=()
for dir in base overlays/dev overlays/prod; do
    name="${dir#overlays/}"
    if ! kubectl kustomize "$here/$dir" >"$work/$name.yaml" 2>"$work/$name.err"; then
        cat "$work/$name.err"
        fail "kubectl kustomize $dir"
    fi
    renders+=("$name=$work/$name.yaml")
done
node "$here/validate/validate.mjs" --root "$root" "${renders[@]}" || fail "see the FAIL lines above"
