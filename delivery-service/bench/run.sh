#!/usr/bin/env bash
# Delivery benchmark (by hand, never in the test suite). Needs the local servers (deploy/local/servers.sh up).
#
#   delivery-service/bench/run.sh [--sms=20000] [--email=2000] [--rate=500] [--seconds=10] [--warm=0] [--jfr=service.jfr]
#                                 [--twilio-latency=0]
#
# --twilio-latency=MS makes the Twilio fake answer each call MS milliseconds late, as the real API does (100-300 ms):
# what then bounds throughput is how many calls the service keeps open at once, not its CPU.
#
# BENCH_JAVA_OPTS are options of the benchmark's own JVM (the driver and the Twilio fake), BENCH_SERVICE_JAVA_OPTS
# those of the service's JVM (e.g. a profiler agent).
#
# Packages the service, pre-loads N SMS and M email events on topics of its own, starts the packaged service against
# a Twilio fake (in the benchmark's process) and the local SMTP sink, and prints messages/s and the time from each
# event's issued_at to its provider call; then measures that latency under a steady load. See DeliveryBench.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$PWD/delivery-service/target/bench
. deploy/local/lib.sh
require_servers
build_for_bench delivery-service "$out"
cp="delivery-service/target/test-classes:delivery-service/target/classes:$(cat "$out/classpath.txt")"
# The driver and the fake run on C1 only: their JIT compilation would otherwise take CPU from the measured service.
"$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.latchkey.delivery.bench.DeliveryBench "$@" 2>"$out/driver.log"
