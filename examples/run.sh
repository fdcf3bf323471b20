#!/usr/bin/env bash
# Builds the library and the quickstart example, fetches the server through Maven, and runs it.
#
#   examples/run.sh quickstart                  Payara Micro on http://localhost:${PORT:-8080}/
#   examples/run.sh cluster                     two clustered Payara Micro on PORT and PORT+1, sharing counters
#   SERVER=wildfly examples/run.sh quickstart   the same quickstart on WildFly
#   SERVER=liberty examples/run.sh quickstart   the same quickstart on Open Liberty
#
# Environment variables reach the application's MicroProfile Config, for example
#   RATELIMIT_LIMITS_GREETING=3/minute examples/run.sh quickstart
#
# WAR=<absolute path> deploys that war at / in the quickstart's place, on the server set up as for the quickstart
# (benchmarks/http.sh runs its own application on WildFly and Open Liberty this way).
set -euo pipefail

mode=${1:-quickstart}
server=${SERVER:-payara}
port=${PORT:-8080}
root=$(cd "$(dirname "$0")/.." && pwd)
example=$root/examples/quickstart
war=${WAR:-$example/target/quickstart.war}
version() { sed -n "s:.*<$1.version>\\(.*\\)</$1.version>.*:\\1:p" "$example/pom.xml" | head -1; }

case $mode/$server in
    quickstart/payara | quickstart/wildfly | quickstart/liberty | cluster/payara) ;;
    cluster/*) echo "cluster runs on Payara, whose data grid shares the counters; on $server, share them through" \
                    "a Hazelcast or Redis store (docs/howto/servers.md)" >&2; exit 2 ;;
    *) echo "usage: [SERVER=payara|wildfly|liberty] $0 quickstart|cluster" >&2; exit 2 ;;
esac

echo "Building the library and the example (the first run downloads dependencies and the server)..."
mvn -q -B -f "$root/pom.xml" install -DskipTests
mvn -q -B -f "$example/pom.xml" package -Dserver="$server"
payara_version=$(version payara)

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
        --deploy "$war" --contextroot / --port "$http_port" "$@" >"$log" 2>&1 &
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

ready() {
    echo
    echo "Quickstart ready: http://localhost:$port/"
    echo "  curl -i http://localhost:$port/api/greeting      (5 per minute, then 429)"
    echo "  curl -i -u alice:alice-pw http://localhost:$port/api/account"
    echo "  curl -i -d user=alice -d password=wrong http://localhost:$port/api/login   (3 failures per minute)"
    echo "Press Ctrl-C to stop."
}

# Waits until $2 appears in the log $1 (or a failure $3 does, or the process $4 dies).
await_log() {
    local log=$1 success=$2 failure=$3 pid=$4
    until grep -qE "$success" "$log" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null || grep -qE "$failure" "$log" 2>/dev/null; then
            echo "The server or the application failed to start; the end of $log:" >&2
            tail -40 "$log" >&2
            exit 1
        fi
        sleep 1
    done
}

if [[ $server == wildfly ]]; then
    home=$example/target/wildfly-$(version wildfly)
    log=$home/standalone/log/quickstart.log
    # Jakarta Security's own authentication (the quickstart's HTTP Basic identity store) needs Elytron's JASPI
    # integration off for the default security domain: the server-side setup WildFly's documentation asks for.
    echo "Configuring WildFly for Jakarta Security..."
    "$home/bin/jboss-cli.sh" --commands="embed-server --std-out=discard,/subsystem=undertow/application-security-domain=other:write-attribute(name=integrated-jaspi,value=false),stop-embedded-server" >/dev/null
    rm -rf "$home/standalone/deployments/"*.war*
    cp "$war" "$home/standalone/deployments/ROOT.war"
    mkdir -p "$(dirname "$log")"
    "$home/bin/standalone.sh" -Djboss.http.port="$port" -Djboss.https.port=$((port + 363)) \
        -Djboss.management.http.port=$((port + 1910)) >"$log" 2>&1 &
    pids+=($!)
    echo "Starting WildFly on port $port (log: $log)"
    await_log "$log" "WFLYSRV0025" "WFLYSRV0026|WFLYCTL0013" "${pids[0]}"
    ready
elif [[ $server == liberty ]]; then
    wlp=$example/target/wlp
    dir=$wlp/usr/servers/quickstart
    mkdir -p "$dir/apps"
    cp "$war" "$dir/apps/quickstart.war"
    cat >"$dir/server.xml" <<XML
<server>
    <featureManager>
        <feature>webProfile-10.0</feature>
        <feature>mpConfig-3.1</feature>
    </featureManager>
    <httpEndpoint id="defaultHttpEndpoint" host="*" httpPort="$port" httpsPort="-1"/>
    <webApplication location="quickstart.war" contextRoot="/"/>
</server>
XML
    rm -f "$dir/logs/messages.log"
    "$wlp/bin/server" run quickstart >/dev/null 2>&1 &
    pids+=($!)
    echo "Starting Open Liberty on port $port (log: $dir/logs/messages.log)"
    await_log "$dir/logs/messages.log" "CWWKZ0001I" "CWWKZ0002E|CWWKZ0004E|SRVE0283E" "${pids[0]}"
    ready
elif [[ $mode == quickstart ]]; then
    start "$port" --nocluster
    await_ready "$port" "${pids[0]}"
    ready
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
