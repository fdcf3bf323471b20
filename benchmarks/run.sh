#!/usr/bin/env bash
# Builds the library and the JMH benchmarks, then runs them all (1 and 2 threads) and prints a summary of
# ratios to the raw Cache.invoke floor of the same run. Not a test: never part of mvn verify.
#
#   benchmarks/run.sh                         everything (about 40 minutes on 2 cores): Ehcache, an embedded
#                                             Hazelcast member, a redis-server child process (Redisson), each
#                                             exact and (distributed stores) with leases
#   PARAMS='store=redis,redis-leased algorithm=FIXED_WINDOW' INCLUDE='Floor|Library' benchmarks/run.sh
#                                             some values of the benchmarks' parameters only
#   INCLUDE='Floor|Library' benchmarks/run.sh  a subset (a regular expression on benchmark names)
#   QUICK=1 benchmarks/run.sh                 1 warm-up and 2 measured iterations (a smoke run)
#   WARMUP=2 MEASURE=4 benchmarks/run.sh      other iteration counts (of one second each)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mvn -q -B -f "$root/pom.xml" install -DskipTests
mvn -q -B -f "$root/benchmarks/pom.xml" package
warmup=${WARMUP:-3} measure=${MEASURE:-5}
if [[ -n ${QUICK:-} ]]; then warmup=1 measure=2; fi
params=()
for param in ${PARAMS:-}; do params+=("-Dparam.$param"); done
exec java "${params[@]}" -Dinclude="${INCLUDE:-io.github.jakartaratelimit.benchmarks.*}" -Dthreads="${THREADS:-1,2}" \
    -Dwarmup=$warmup -Dmeasure=$measure -jar "$root/benchmarks/target/benchmarks.jar"
