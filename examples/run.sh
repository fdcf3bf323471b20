#!/usr/bin/env bash
# Builds the library and the quickstart example, fetches Payara Micro through Maven, and runs it.
#
#   examples/run.sh quickstart   one instance on http://localhost:${PORT:-8080}/
#   examples/run.sh cluster      two clustered instances on PORT and PORT+1, sharing counters
#
# Environment variables reach the application's MicroProfile Config, for example
#   RATELIMIT_LIMITS_GREETING=3/minute examples/run.sh quickstart
set -euo pipefail

mode=${1:-quickstart}
port=${PORT:-8080}
root=$(cd "$(dirname "$0")/.." && pwd)
example=$root/examples/quickstart
payara_version=$(sed -n 's:.*<payara.version>\(.*\)</payara.version>.*:\1:p' "$example/pom.xml" | head -1)

case $mode in
    quickstart | cluster) ;;
    *) echo "usage: $0 quickstart|cluster" >&2; exit 2 ;;
esac

echo "Building the library and the example (first run downloads dependencies and Payara Micro)..."
mvn -q -B -f "$root/pom.xml" install -DskipTests
mvn -q -B -f "$example/pom.xml" package

pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

# Starts one Payara Micro; its log goes to examples/quickstart/target/payara-<port>.log.
start() {
    local http_port=$1; shift
    local log=$example/target/payara-$http_port.log
    java -jar "$example/target/payara-micro-$payara_version.jar" \
        --deploy "$example/target/quickstart.war" --contextroot / --port "$http_port" "$@" >"$log" 2>&1 &
    pids+=($!)
    echo "Starting Payara Micro on port $http_port (log: $log)"
}

# Waits until the log says the server is ready; fails when the JVM dies first.
await_ready() {
    local http_port=$1 pid=$2 log=$example/target/payara-$1.log
    until grep -q "ready in" "$log" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "Payara Micro on port $http_port stopped; its log:" >&2
            tail -50 "$log" >&2
            exit 1
        fi
        sleep 1
    done
    if grep -q "Exception while loading the app" "$log"; then
        echo "The application failed to deploy on port $http_port:" >&2
        grep -A3 "Exception while loading the app :" "$log" >&2
        exit 1
    fi
}

if [[ $mode == quickstart ]]; then
    start "$port" --nocluster
    await_ready "$port" "${pids[0]}"
    echo
    echo "Quickstart ready: http://localhost:$port/"
    echo "  curl -i http://localhost:$port/api/greeting      (5 per minute, then 429)"
    echo "  curl -i -u alice:alice-pw http://localhost:$port/api/account"
    echo "Press Ctrl-C to stop."
else
    # The data grid on loopback, found over TCP (multicast is not available everywhere), under a cluster
    # name of our own so that these two never join another Payara on the network.
    cluster="jakarta-ratelimit-${USER:-user}-$port"
    grid=(--clusterName "$cluster" --interfaces 127.0.0.1 --startport 5900
          --clusterMode "tcpip:127.0.0.1:5900,127.0.0.1:5901,127.0.0.1:5902,127.0.0.1:5903")
    start "$port" "${grid[@]}" --name node1
    start "$((port + 1))" "${grid[@]}" --name node2
    await_ready "$port" "${pids[0]}"
    await_ready "$((port + 1))" "${pids[1]}"
    echo "Waiting for the data grid to have two members..."
    until grep -q "DG Size: 2" "$example/target/payara-$port.log" "$example/target/payara-$((port + 1)).log" 2>/dev/null; do
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A node stopped" >&2; exit 1; }; done
        sleep 1
    done
    echo
    echo "Cluster ready, counters shared through Payara's data grid:"
    echo "  http://localhost:$port/"
    echo "  http://localhost:$((port + 1))/"
    echo "Press Ctrl-C to stop."
fi
wait "${pids[@]}"
