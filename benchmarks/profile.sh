#!/usr/bin/env bash
# Where the quickstart's time goes: JDK Flight Recorder execution samples of the exempt, the limited and the exhausted
# endpoint (the three that benchmarks/http.sh measures), each under wrk on loopback, and the library's frames with
# their inclusive share of each endpoint's samples. Not a test: never part of mvn verify. About 4 minutes.
#
#   benchmarks/profile.sh                                  Payara, its default store
#   STORE=ehcache SERVER=liberty benchmarks/profile.sh     SERVER=payara|wildfly|liberty, STORE=auto|ehcache
#   FRAMES='jakartaratelimit|ehcache' benchmarks/profile.sh   which frames to list (a regular expression)
#
# Starting a recording deoptimizes the server's compiled code for about a minute, so a throwaway recording comes
# first, then the warm-up, then the recordings (samples every 2 ms, no other event). Recordings stay in
# examples/quickstart/target/profile-<endpoint>.jfr for `jfr print` or JDK Mission Control.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-18690}
server=${SERVER:-payara}
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
jcmd "$pid" JFR.start name=throwaway settings="$settings" >/dev/null
jcmd "$pid" JFR.stop name=throwaway >/dev/null
for round in 1 2; do
    for endpoint in unlimited limited exhausted; do
        wrk -t1 -c8 -d15s "http://127.0.0.1:$port/${path_of[$endpoint]}" >/dev/null
    done
done
for endpoint in unlimited limited exhausted; do
    recording=$out/profile-$endpoint.jfr
    jcmd "$pid" JFR.start name="$endpoint" settings="$settings" filename="$recording" >/dev/null
    rps=$(wrk -t1 -c8 -d20s "http://127.0.0.1:$port/${path_of[$endpoint]}" | awk '/Requests\/sec/ {print $2}')
    jcmd "$pid" JFR.stop name="$endpoint" >/dev/null
    echo "== $endpoint (/${path_of[$endpoint]}, $rps requests a second while recording)"
    jfr print --events jdk.ExecutionSample --stack-depth 128 "$recording" | python3 -c '
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
done
