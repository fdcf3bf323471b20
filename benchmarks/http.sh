#!/usr/bin/env bash
# The cost of the limiter over HTTP: Payara Micro on loopback, wrk against three identical endpoints,
# one without a limit, one under a limit it never reaches, one whose limit is exhausted (every answer a 429).
# Rounds alternate the endpoints so that drift on a noisy machine hits all three alike. Bounded: about
# 2 minutes per store; it stops the server itself.
#
#   benchmarks/http.sh                      Payara's data grid (the default store) and the bundled Ehcache
#   STORES=ehcache ROUNDS=5 benchmarks/http.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=$root/benchmarks/http
port=${PORT:-18680}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_RUN:-10}
stores=${STORES:-auto ehcache}

if ! command -v wrk >/dev/null; then
    echo "wrk is missing: installing it from Debian's packages" >&2
    apt-get install -y wrk >/dev/null
fi
mvn -q -B -f "$root/pom.xml" install -DskipTests
mvn -q -B -f "$app/pom.xml" package
payara_version=$(sed -n 's:.*<payara.version>\(.*\)</payara.version>.*:\1:p' "$app/pom.xml" | head -1)

pid=
stop() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; pid=; }
trap stop EXIT INT TERM

rps() { # requests per second of one wrk run against loopback
    wrk -t1 -c8 -d"${1}s" "http://127.0.0.1:$port/bench/$2" | awk '/Requests\/sec/ {print $2}'
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

echo "| store | endpoint | req/s (median of $rounds × ${seconds}s) | vs unlimited |"
echo "|---|---|---|---|"
for store in $stores; do
    log=$app/target/payara-$store.log
    RATELIMIT_CACHE_PROVIDER=$store java -jar "$app/target/payara-micro-$payara_version.jar" --nocluster \
        --deploy "$app/target/http-benchmark.war" --contextroot / --port "$port" >"$log" 2>&1 &
    pid=$!
    until grep -q "ready in" "$log"; do kill -0 "$pid" || { tail -30 "$log"; exit 1; }; sleep 1; done
    for endpoint in unlimited limited exhausted; do rps 5 "$endpoint" >/dev/null; done # warm up
    declare -A runs=()
    for ((round = 0; round < rounds; round++)); do
        for endpoint in unlimited limited exhausted; do
            runs[$endpoint]+="$(rps "$seconds" "$endpoint") "
        done
    done
    base=$(tr ' ' '\n' <<<"${runs[unlimited]}" | grep . | median)
    for endpoint in unlimited limited exhausted; do
        value=$(tr ' ' '\n' <<<"${runs[$endpoint]}" | grep . | median)
        printf '| %s | %s | %.0f (runs: %s) | %.2f |\n' "$store" "$endpoint" "$value" "${runs[$endpoint]% }" \
            "$(awk -v a="$value" -v b="$base" 'BEGIN {print a / b}')"
    done
    unset runs
    stop
done
