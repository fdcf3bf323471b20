#!/usr/bin/env bash
# Where the quickstart's time goes: JDK Flight Recorder execution samples of the exempt, the limited and the exhausted
# endpoint (the three that benchmarks/http.sh measures), each under wrk on loopback, and the library's frames with
# their inclusive share of each endpoint's samples. Not a test: never part of mvn verify. About 4 minutes, and 1 more
# per extra round.
#
#   benchmarks/profile.sh                                  Payara, its default store
#   STORE=ehcache SERVER=liberty benchmarks/profile.sh     SERVER=payara|wildfly|liberty, STORE=auto|ehcache
#   FRAMES='jakartaratelimit|ehcache' benchmarks/profile.sh   which frames to list (a regular expression)
#   PROFILER=async benchmarks/profile.sh                   async-profiler instead (CPU time of every thread, with
#                                                          the JVM's and the kernel's frames), in microseconds per request
#   ROUNDS=6 PROFILER=async benchmarks/profile.sh          the three endpoints profiled in turn six times, each twice
#                                                          in each place (benchmarks/rounds.sh), so that a machine
#                                                          slowing down during the run weighs on each of them
#                                                          alike; with PROFILER=async the figures are the mean of
#                                                          the rounds, each round's beside it (µs per request); JFR
#                                                          pools the rounds' samples
#
# Starting a recording deoptimizes the server's compiled code for about a minute, so a throwaway recording comes
# first, then the warm-up, then the recordings (samples every 2 ms, no other event). Recordings stay in
# examples/quickstart/target/profile-<endpoint>-<round>.jfr for `jfr print` or JDK Mission Control.
# With PROFILER=async, async-profiler (fetched through Maven) samples each millisecond of CPU any thread of the server
# spends, in Java, in the JVM or in the kernel, without JFR's bias towards safepoints; its collapsed stacks stay in
# examples/quickstart/target/profile-<endpoint>-<round>.collapsed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/benchmarks/rounds.sh"
port=${PORT:-18690}
server=${SERVER:-payara}
rounds=${ROUNDS:-1}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number, not '$rounds'" >&2; exit 2; }
out=$root/examples/quickstart/target
declare -A path_of=([unlimited]=api/health [limited]=api/greeting [exhausted]=api/items)

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
! curl -s -o /dev/null "http://127.0.0.1:$port/" || { echo "port $port answers already" >&2; exit 1; }
mkdir -p "$out"
log=$out/profile-$server.log
MP_OPENTRACING_SERVER_SKIP_PATTERN="/greeting|/items" RATELIMIT_CACHE_PROVIDER=${STORE:-auto} \
RATELIMIT_LIMITS_GREETING="1000000000 per day" RATELIMIT_DEFAULT="1 per day" \
    SERVER=$server PORT=$port setsid "$root/examples/run.sh" quickstart >"$log" 2>&1 &
runner=$!
trap 'kill -- -$runner 2>/dev/null; wait $runner 2>/dev/null || true' EXIT
until grep -q "Quickstart ready" "$log" 2>/dev/null; do kill -0 $runner || { tail -30 "$log"; exit 1; }; sleep 1; done
pid=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)

status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/${path_of[$1]}"; }
status exhausted >/dev/null # spends its one call a day
[[ $(status unlimited) == 200 && $(status limited) == 200 && $(status exhausted) == 429 ]] \
    || { echo "the endpoints do not answer 200, 200, 429; see $log" >&2; exit 1; }

if [[ ${PROFILER:-jfr} == async ]]; then
    mvn -q -B -f "$root/pom.xml" dependency:copy -Dartifact=tools.profiler:async-profiler:4.0 -DoutputDirectory="$out" -Dmdep.overWriteReleases
    arch=$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
    unzip -o -q "$out/async-profiler-4.0.jar" "linux-$arch/libasyncProfiler.so" -d "$out/async-profiler"
    agent=$out/async-profiler/linux-$arch/libasyncProfiler.so
    javac -d "$out/attach" "$root/benchmarks/Attach.java" # compiled once, not while the profiler runs
    profiler() { java -cp "$out/attach" Attach "$pid" "$agent" "$1" >/dev/null; }
    start() { profiler start,event=cpu,interval=1ms,threads; }
    stop() { profiler "stop,collapsed,file=$out/profile-$1.collapsed"; }
    extension=collapsed
else
    # Only execution samples, every 2 ms: the JDK's default settings with every other event off.
    settings=$out/profile-samples.jfc
    python3 - "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/default.jfc" "$settings" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'(<setting name="enabled"[^>]*>)true<', r'\1false<', text)
text = re.sub(r'(<event name="jdk.ExecutionSample">\s*<setting name="enabled"[^>]*>)false', r'\1true', text)
text = re.sub(r'(<event name="jdk.ExecutionSample">.*?<setting name="period"[^>]*>)[^<]*', r'\g<1>2 ms', text, flags=re.S)
open(sys.argv[2], 'w').write(text)
EOF
    start() { jcmd "$pid" JFR.start name="$1" settings="$settings" filename="$out/profile-$1.jfr" >/dev/null; }
    stop() { jcmd "$pid" JFR.stop name="$1" >/dev/null; }
    extension=jfr
    start throwaway
    stop throwaway
fi
for round in 1 2; do
    for endpoint in unlimited limited exhausted; do
        wrk -t1 -c8 -d15s "http://127.0.0.1:$port/${path_of[$endpoint]}" >/dev/null
    done
done
declare -A requests_of rate_of
for round in $(seq "$rounds"); do
    for endpoint in $(round_order $((round - 1))); do
        start "$endpoint-$round"
        report=$(wrk -t1 -c8 -d20s -s "$root/benchmarks/statuses.lua" "http://127.0.0.1:$port/${path_of[$endpoint]}")
        stop "$endpoint-$round"
        expected_statuses "$endpoint" "$report" \
            || { echo "the $endpoint endpoint answered other statuses while profiled: $report" >&2; exit 1; }
        requests_of[$endpoint-$round]=$(awk '/requests in/ {print $1}' <<<"$report")
        rate_of[$endpoint]+="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$report") "
    done
done
for endpoint in unlimited limited exhausted; do
    echo "== $endpoint (/${path_of[$endpoint]}, ${rate_of[$endpoint]% } requests a second while profiled)"
    runs=() # each round's file, then its request count
    for round in $(seq "$rounds"); do runs+=("$out/profile-$endpoint-$round.$extension" "${requests_of[$endpoint-$round]}"); done
    if [[ ${PROFILER:-jfr} == async ]]; then
        python3 -c '
import collections, re, sys
pattern, top, runs = re.compile(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
threads, frames, totals = collections.Counter(), [], []  # frames and totals: one entry per round
for path, requests in zip(runs[::2], map(int, runs[1::2])):
    round_frames, total = collections.Counter(), 0
    for line in open(path):
        stack, count = line.rsplit(" ", 1)
        names, count = stack.split(";"), int(count)
        total += count
        threads[re.sub(r"[0-9]+", "#", re.sub(r" tid=[0-9]+\]$", "]", names[0]))] += count / requests
        for frame in {re.sub(r"0x[0-9a-f]+", "", name).replace("/", ".") for name in names[1:]}:
            if pattern.search(frame):
                round_frames[frame] += count
    frames.append({frame: 1000 * count / requests for frame, count in round_frames.items()})  # a sample is 1 ms of CPU
    totals.append(1000 * total / requests)
rounds = len(totals)
mean = lambda values: sum(values) / rounds
each = lambda values: "" if rounds == 1 else "  (" + " ".join(f"{value:.2f}" for value in values) + ")"
print(f"{mean(totals):.1f} µs of CPU in the server per request{each(totals)}; by thread:", ", ".join(
    f"{name} {1000 * count / rounds:.1f}" for name, count in threads.most_common(3)))
print(f"frames matching {sys.argv[1]!r}, inclusive µs per request" + ("" if rounds == 1 else ", the mean of the rounds (each round)") + ":")
names = collections.Counter()
for round_frames in frames:
    names.update(round_frames)
for frame, _ in names.most_common(top):
    values = [round_frames.get(frame, 0) for round_frames in frames]
    print(f"{mean(values):7.2f}  {frame}{each(values)}")
' "${FRAMES:-jakartaratelimit}" "${TOP:-20}" "${runs[@]}"
    else
        for ((i = 0; i < ${#runs[@]}; i += 2)); do
            jfr print --events jdk.ExecutionSample --stack-depth 128 "${runs[i]}"
        done | python3 -c '
import collections, re, sys
pattern = re.compile(sys.argv[1])
samples, frames = 0, collections.Counter()
for sample in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
    stack = set(re.findall(r"^\s+([\w$.<>]+)\(", sample, re.M))
    if stack:
        samples += 1
        frames.update(frame for frame in stack if pattern.search(frame))
print(f"{samples} samples; frames matching {sys.argv[1]!r}, inclusive % of them:")
for frame, count in frames.most_common(int(sys.argv[2])):
    print(f"{100 * count / samples:6.1f}  {frame}")
' "${FRAMES:-jakartaratelimit}" "${TOP:-20}"
    fi
done
