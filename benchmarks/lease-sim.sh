#!/usr/bin/env bash
# Leases at internet scale, by deterministic simulation: a hot key of 100,000 per minute offered at 1.5x, 5,000
# cold per-user keys, N nodes with clocks skewed by up to 200 ms, a simulated grid with 0.25-0.75 ms one way,
# running the library's own entry processors. One line per node count:
#   lease-sim nodes=N ops-per-admitted=X over-admission=K under-admission-pct=Y
# X: grid operations of every kind per admitted call on the hot key; K: calls admitted beyond the limit, summed
# over all windows; Y: the worst saturated window's under-admission, in % of the quota. Seconds, not minutes.
#
#   benchmarks/lease-sim.sh            nodes 2, 10 and 100
#   benchmarks/lease-sim.sh 3 50       other node counts
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mvn -q -B -f "$root/pom.xml" test-compile dependency:build-classpath -Dmdep.outputFile="$root/target/lease-sim.classpath"
java -cp "$root/target/classes:$root/target/test-classes:$(cat "$root/target/lease-sim.classpath")" \
    io.github.jakartaratelimit.storage.LeaseSimulation "$@"
