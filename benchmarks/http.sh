#!/usr/bin/env bash
# The cost of the limiter over HTTP: a server on loopback, wrk against three identical endpoints,
# one without a limit, one under a limit it never reaches, one whose limit is exhausted (every answer a 429).
# Each round runs the three endpoints in turn, in an order that puts each in each place as often over six rounds
# (benchmarks/rounds.sh), so that drift on a noisy machine hits all three alike. Bounded: about 6 minutes per launch
# of a server; it stops the server itself. It fails, rather than print a table, when the application did not deploy
# or when a run received any status but the endpoint's own (200, or 429 from the exhausted endpoint with the limiter
# on).
#
#   benchmarks/http.sh                      Payara's data grid (the default store) and the bundled Ehcache
#   STORES=ehcache ROUNDS=12 benchmarks/http.sh
#   SERVER=liberty benchmarks/http.sh       the same application on WildFly or Open Liberty (through examples/run.sh,
#                                           set up as for the quickstart), with the bundled Ehcache
#
# SPIN=6000 puts in the exhausted endpoint's place one without a limit that computes for 6000 ns before it answers
# (the benchmark application only; the server reads the time from BENCH_SPIN_NANOS, so the endpoint takes no
# parameter): what that much plain work costs a request on that server, beside what the limiter costs it.
#   SPIN=6000 SERVER=liberty LAUNCHES=3 benchmarks/http.sh
#
# APP=quickstart measures the quickstart as users run it (examples/run.sh), on SERVER=payara (default), wildfly or
# liberty: the exempt GET /api/health, GET /api/greeting with its limit raised out of reach, and GET /api/items
# under a default of 1 per day (every answer a 429). WildFly and Open Liberty have no JCache of their own: their
# default store is the bundled Ehcache, measured once.
#   APP=quickstart SERVER=wildfly benchmarks/http.sh
#
# LAUNCHES=3 starts the server three times per store and reports each launch's ratios and their median: what the JIT
# makes of the same code moves a launch's baseline by several percent, more than rounds within one launch vary.
#
# LIMITER=off is the control: the same application and runs with the limiter off (ratelimit.enabled=false), so that
# the endpoints differ only in their paths and a few bytes of body; every answer must be a 200, and the limited
# endpoint must send no rate limit headers. Its ratios show how far from 1.000 this machine reads endpoints that cost
# the same: the noise any other reading is to be judged against.
#
# Payara traces every JAX-RS request (MicroProfile Telemetry, on by default) except a few paths, /health among them:
# the quickstart's exempt endpoint would be spared work the other two do whatever the limiter costs. So on Payara the
# script spares /greeting and /items too (MP_OPENTRACING_SERVER_SKIP_PATTERN), so that the three endpoints differ
# only by the limiter; TRACING=as-is measures them as they come (the bench app's paths are all traced alike).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=$root/benchmarks/http
port=${PORT:-18680}
rounds=${ROUNDS:-6} # a multiple of six, so that each endpoint runs as often in each place of a round
((rounds % 6 == 0)) || echo "ROUNDS=$rounds is not a multiple of 6: the endpoints do not run as often in each place" >&2
launches=${LAUNCHES:-1}
limiter=${LIMITER:-on}
[[ $limiter == on || $limiter == off ]] || { echo "LIMITER must be on or off, not '$limiter'" >&2; exit 2; }
seconds=${SECONDS_PER_RUN:-10}
server=${SERVER:-payara}
if [[ ${APP:-bench} == quickstart ]]; then
    [[ -z ${SPIN:-} ]] || { echo "SPIN needs the benchmark application, not APP=quickstart" >&2; exit 2; }
    paths=(api/health api/greeting api/items)
else
    paths=(bench/unlimited bench/limited bench/exhausted)
fi
[[ $server == payara ]] && stores=${STORES:-auto ehcache} || stores=${STORES:-ehcache}
# The endpoints measured, the exempt (unlimited) one first: the others are read against it.
endpoints=(unlimited limited exhausted)
declare -A path_of=([unlimited]=${paths[0]} [limited]=${paths[1]} [exhausted]=${paths[2]})
if [[ -n ${SPIN:-} ]]; then
    [[ $SPIN =~ ^[1-9][0-9]{0,8}$ ]] \
        || { echo "SPIN must be a number of nanoseconds under a second, not '$SPIN'" >&2; exit 2; }
    endpoints=(unlimited limited spin)
    path_of[spin]=bench/spin
fi

if ! command -v wrk >/dev/null; then
    echo "wrk is missing: installing it from Debian's packages" >&2
    apt-get install -y wrk >/dev/null
fi
mvn -q -B -f "$root/pom.xml" install -DskipTests
# Payara provides the JCache API to applications; elsewhere the war carries it, as the quickstart's does
[[ $server == payara ]] && jcache_scope=provided || jcache_scope=compile
[[ ${APP:-bench} == quickstart ]] || mvn -q -B -f "$app/pom.xml" package -Djcache.scope=$jcache_scope
payara_version=$(sed -n 's:.*<payara.version>\(.*\)</payara.version>.*:\1:p' "$app/pom.xml" | head -1)

pid=
# The server runs in a process group of its own (setsid): WildFly's and Liberty's scripts start the JVM as a child,
# which must go too, or the next server finds the port taken and the run measures the wrong one.
stop() { [[ -n $pid ]] && kill -- -"$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; pid=; }
trap stop EXIT INT TERM

fail() { echo "benchmarks/http.sh: $*" >&2; exit 1; }
. "$root/benchmarks/rounds.sh"

rps() { # one wrk run against loopback, after checking every status it received: its requests per second, then the
    # machine's CPU time per request in µs (every process and the kernel: the server, wrk, the network) and the share
    # of the machine left idle, in %, both from /proc/stat
    local out before after
    before=$(head -1 /proc/stat)
    out=$(wrk -t1 -c8 -d"${1}s" -s "$root/benchmarks/statuses.lua" "http://127.0.0.1:$port/${path_of[$2]}")
    after=$(head -1 /proc/stat)
    expected_statuses "$(expected "$2")" "$out" || fail "$2 answered other than it should: $(grep '^statuses ' <<<"$out" || echo "no status counts")"
    awk -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" '
        /Requests\/sec/ {rate = $2}
        / requests in / {requests = $1}
        END { # user nice system idle iowait irq softirq steal
            split(before, b); split(after, a)
            for (i = 2; i <= 9; i++) d[i] = a[i] - b[i]
            busy = d[2] + d[3] + d[4] + d[7] + d[8]; idle = d[5] + d[6]
            printf "%s %.1f %.1f\n", rate, busy / hz * 1e6 / requests, 100 * idle / (busy + idle + d[9])
        }' <<<"$out"
}

# Which answers an endpoint is meant to give: the exhausted one's are 429s, unless the limiter is off; 200 elsewhere.
expected() { [[ $1 == exhausted && $limiter == on ]] && echo exhausted || echo unlimited; }

status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/${path_of[$1]}"; }

# The application deployed and each endpoint answers what it is meant to measure.
check_deployed() {
    local log=$1
    ! grep -q "Exception while loading the app" "$log" || fail "the application failed to deploy; see $log"
    [[ $(status unlimited) == 200 && $(status limited) == 200 ]] || fail "the endpoints do not answer 200; see $log"
    if [[ ${endpoints[2]} == spin ]]; then
        [[ $(curl -s "http://127.0.0.1:$port/${path_of[spin]}") == "$SPIN" ]] \
            || fail "the spinning endpoint does not answer the time it was given, $SPIN ns; see $log"
    else
        local refused=429
        [[ $limiter == on ]] || refused=200
        status exhausted >/dev/null # spends its one call a day
        [[ $(status exhausted) == "$refused" ]] || fail "the exhausted endpoint does not answer $refused; see $log"
    fi
    if [[ $limiter == off ]]; then
        local headers
        headers=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$port/${path_of[limited]}") \
            || fail "the limited endpoint does not answer; see $log"
        ! grep -qiE '^(x-)?ratelimit' <<<"$headers" \
            || fail "the limited endpoint sends rate limit headers with the limiter off; see $log"
    fi
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
values() { tr ' ' '\n' <<<"$1" | grep .; } # a space-separated list, one value a line
median_of() { values "$1" | median; }
later() { values "$1" | tail -n +2 | median; } # the median of a launch's runs after its first

tracing=
[[ ${APP:-bench} == quickstart && $server == payara ]] && tracing=" (tracing ${TRACING:-equal})"
[[ $limiter == off ]] && tracing+=" (limiter off)"
if ((launches == 1)); then
    echo "| ${APP:-bench} on $server$tracing: store | endpoint | req/s (median of $rounds × ${seconds}s) | vs unlimited |"
    echo "|---|---|---|---|"
else
    echo "| ${APP:-bench} on $server$tracing: store | endpoint | req/s, each launch (median of $rounds × ${seconds}s) | vs unlimited, each launch | median |"
    echo "|---|---|---|---|---|"
fi

measure() { # one launch of the server with this store: its rounds, each endpoint's median and ratio
    local store=$1 endpoint round base value ratio enabled=true
    [[ $limiter == on ]] || enabled=false
    local patience=30 # seconds: the previous launch's server may still be shutting down
    while curl -s -o /dev/null "http://127.0.0.1:$port/" && ((patience-- > 0)); do sleep 1; done
    ((patience >= 0)) || fail "port $port answers already: another server would be measured"
    if [[ ${APP:-bench} == quickstart || $server != payara ]]; then
        # examples/run.sh: the quickstart, or in its place the benchmark application on WildFly or Open Liberty
        local settings=(RATELIMIT_ENABLED=$enabled RATELIMIT_CACHE_PROVIDER=$store BENCH_SPIN_NANOS=${SPIN:-0})
        if [[ ${APP:-bench} == quickstart ]]; then
            log=$root/examples/quickstart/target/http-$server-$store.log
            skip=/greeting\|/items
            [[ ${TRACING:-equal} == as-is ]] && skip=
            settings+=(MP_OPENTRACING_SERVER_SKIP_PATTERN=$skip RATELIMIT_LIMITS_GREETING="1000000000 per day"
                       RATELIMIT_DEFAULT="1 per day")
        else
            log=$app/target/http-$server-$store.log
            settings+=(WAR="$app/target/http-benchmark.war")
        fi
        mkdir -p "$(dirname "$log")" # a fresh clone has not built the example yet
        env "${settings[@]}" SERVER="$server" PORT="$port" setsid "$root/examples/run.sh" quickstart >"$log" 2>&1 &
        pid=$!
        until grep -q "Quickstart ready" "$log" 2>/dev/null; do kill -0 "$pid" || { tail -30 "$log"; exit 1; }; sleep 1; done
    else
        log=$app/target/payara-$store.log
        RATELIMIT_ENABLED=$enabled RATELIMIT_CACHE_PROVIDER=$store BENCH_SPIN_NANOS=${SPIN:-0} \
            setsid java -jar "$app/target/payara-micro-$payara_version.jar" --nocluster \
            --deploy "$app/target/http-benchmark.war" --contextroot / --port "$port" >"$log" 2>&1 &
        pid=$!
        until grep -q "ready in" "$log" 2>/dev/null; do kill -0 "$pid" || { tail -30 "$log"; exit 1; }; sleep 1; done
    fi
    check_deployed "$log"
    # Warm up so that the JIT settles: 15 s per endpoint left the first round cold (half to three quarters of the later
    # rate) in four launches of six on Open Liberty and two on WildFly, which lifted the limited endpoint's ratio;
    # 40 s left it in one launch of six on Open Liberty (and one of four with the limiter off), and milder on WildFly.
    for endpoint in "${endpoints[@]}"; do rps "${WARMUP_SECONDS:-40}" "$endpoint" >/dev/null; done
    local -A runs=() cpus=() idles=()
    local result rate cpu idle
    for ((round = 0; round < rounds; round++)); do
        for endpoint in $(round_order "$round" "${endpoints[@]}"); do
            result=$(rps "$seconds" "$endpoint")
            read -r rate cpu idle <<<"$result"
            runs[$endpoint]+="$rate " cpus[$endpoint]+="$cpu " idles[$endpoint]+="$idle "
        done
    done
    base=$(median_of "${runs[unlimited]}")
    for endpoint in "${endpoints[@]}"; do
        value=$(median_of "${runs[$endpoint]}")
        ratio=$(awk -v a="$value" -v b="$base" 'BEGIN {printf "%.3f", a / b}')
        if ((rounds > 1)); then # the same without the first round, which a server still settling can make cold
            later_ratios[$endpoint]+="$(awk -v a="$(later "${runs[$endpoint]}")" -v b="$(later "${runs[unlimited]}")" \
                'BEGIN {printf "%.3f", a / b}') "
        fi
        if ((launches == 1)); then
            printf '| %s | %s | %.0f (runs: %s) | %s |\n' "$store" "$endpoint" "$value" "${runs[$endpoint]% }" "$ratio"
        fi
        rates[$endpoint]+="$(printf '%.0f' "$value") "
        ratios[$endpoint]+="$ratio "
        ((launches == 1)) || echo "$store, launch $((launch + 1)), $endpoint: runs ${runs[$endpoint]% }" >&2
        # Whether the throughput lost is CPU the machine spent (per request, in any process) or time it sat idle.
        echo "$store, launch $((launch + 1)), $endpoint: machine CPU µs per request ${cpus[$endpoint]% }," \
            "idle % ${idles[$endpoint]% }" >&2
        cpu_ratios[$endpoint]+="$(awk -v a="$(median_of "${cpus[$endpoint]}")" \
            -v b="$(median_of "${cpus[unlimited]}")" 'BEGIN {printf "%.3f", a / b}') "
    done
    stop
}

declare -A rates ratios later_ratios cpu_ratios
for store in $stores; do
    rates=() ratios=() later_ratios=() cpu_ratios=()
    for ((launch = 0; launch < launches; launch++)); do measure "$store"; done
    for endpoint in "${endpoints[@]:1}"; do
        echo "$store, $endpoint vs unlimited in machine CPU per request: ${cpu_ratios[$endpoint]% }," \
            "median $(median_of "${cpu_ratios[$endpoint]}" | xargs printf '%.3f')" >&2
    done
    if ((rounds > 1)); then
        for endpoint in "${endpoints[@]:1}"; do
            echo "$store, $endpoint vs unlimited without each launch's first round: ${later_ratios[$endpoint]% }," \
                "median $(median_of "${later_ratios[$endpoint]}" | xargs printf '%.3f')" >&2
        done
    fi
    if ((launches > 1)); then
        for endpoint in "${endpoints[@]}"; do
            printf '| %s | %s | %s | %s | %.3f |\n' "$store" "$endpoint" "${rates[$endpoint]% }" "${ratios[$endpoint]% }" \
                "$(median_of "${ratios[$endpoint]}")"
        done
    fi
done
