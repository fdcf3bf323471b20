#!/usr/bin/env python3
"""Each endpoint's throughput by its place in the round, from what benchmarks/http.sh prints on standard error.

    benchmarks/http.sh 2> runs.txt; benchmarks/by-place.py runs.txt

Each run is divided by the median of its launch's exempt runs, averaged by place within the launch, then over the
launches: whether the place an endpoint runs in lifts or lowers it. The order of the rounds comes from rounds.sh; the
third endpoint is the exhausted one, or the spinning one of a run with SPIN.
"""
import re
import statistics
import subprocess
import sys
from pathlib import Path

launches = {}  # (store, launch) -> endpoint -> runs in round order
for line in open(sys.argv[1], encoding="utf-8"):
    found = re.match(r"(\S+), launch (\d+), (\w+): runs (.*)", line.strip())
    if found:
        launches.setdefault((found[1], int(found[2])), {})[found[3]] = [float(v) for v in found[4].split()]

spin = any("spin" in runs for runs in launches.values())
ENDPOINTS = ("unlimited", "limited", "spin" if spin else "exhausted")
rounds_sh = Path(__file__).with_name("rounds.sh")
orders = [subprocess.run(["bash", "-c", f'. "{rounds_sh}"; round_order {n} {" ".join(ENDPOINTS)}'],
                         capture_output=True, text=True, check=True).stdout.split() for n in range(6)]

by_store = {}  # store -> endpoint -> place -> each launch's mean
for (store, _), runs in sorted(launches.items()):
    base = statistics.median(runs["unlimited"])
    for endpoint in ENDPOINTS:
        places = [[], [], []]
        for n, rate in enumerate(runs[endpoint]):
            places[orders[n % 6].index(endpoint)].append(rate / base)
        for place, values in enumerate(places):
            if values:
                by_store.setdefault(store, {}).setdefault(endpoint, [[], [], []])[place].append(statistics.mean(values))
for store, endpoints in by_store.items():
    for endpoint in ENDPOINTS:
        print(f"{store}, {endpoint} by place (first, second, third), vs the exempt median:",
              " ".join(f"{statistics.mean(p):.3f}" for p in endpoints[endpoint]))
