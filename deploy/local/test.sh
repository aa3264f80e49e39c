#!/usr/bin/env bash
# Runs every module's tests against real servers on this machine:
#   deploy/local/test.sh [extra maven args]
# brings up Redis, PostgreSQL, Kafka and the SMTP sink (installing what is missing), then ./mvnw -B -ntp verify.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$LATCHKEY_ROOT/deploy/local/servers.sh" up || exit 1
pick_jdk
say "JDK: $JAVA_HOME"
cd "$LATCHKEY_ROOT" && exec ./mvnw -B -ntp verify "$@"
