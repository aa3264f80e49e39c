#!/usr/bin/env bash
# Runs every module's tests against real servers on this machine:
#   deploy/local/test.sh [extra maven args]
# brings up Redis, PostgreSQL, Kafka and the SMTP sink (installing what is missing) and, beside them, a Redis Cluster
# and a three-node Kafka (servers.sh up --cluster), checks the Kubernetes manifests offline
# (deploy/kubernetes/validate.sh), then runs ./mvnw -B -ntp verify -Pclusters (the Redis-script tests run a second
# time on the Redis Cluster).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$LATCHKEY_ROOT/deploy/local/servers.sh" up --cluster || exit 1
# Browser tests drive Debian's Chromium with playwright-core (npm); node and npm come with the machine.
command -v chromium >/dev/null || apt_install chromium chromium-driver
# The suite-level tests put the services behind nginx on one origin, as the run command does.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx-light
command -v npm >/dev/null || die "npm is missing (browser tests and the manifest check need Node.js >= 20 with npm)"
pick_jdk
say "JDK: $JAVA_HOME"
"$LATCHKEY_ROOT/deploy/kubernetes/validate.sh" || exit 1
cd "$LATCHKEY_ROOT" && exec ./mvnw -B -ntp verify -Pclusters "$@"
