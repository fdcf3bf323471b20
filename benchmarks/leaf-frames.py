#!/usr/bin/env python3
"""Where the CPU between two endpoints goes, by the frame each sample ended in, from benchmarks/profile.sh's
async-profiler stacks (PROFILER=async): µs per request by part of the process, then the leaf frames that differ most.

    benchmarks/leaf-frames.py examples/quickstart/target <exempt req/s> <limited req/s>

The rates are the means of the rounds' rates that profile.sh prints for each endpoint; each round ran wrk for 20 s
and each sample is 1 ms of CPU. Parts: the kernel, the JVM's own code, the JDK's classes, and by package prefix.
"""
import collections
import glob
import sys

PARTS = (("io/github/jakartaratelimit/", "the library"), ("org/ehcache/", "Ehcache"), ("com/ibm/", "Liberty"),
         ("org/jboss/resteasy/", "RESTEasy"), ("org/jboss/weld/", "Weld"), ("io/undertow/", "Undertow"),
         ("org/glassfish/", "GlassFish/Jersey"), ("java/", "JDK"), ("jdk/", "JDK"), ("sun/", "JDK"))


def part(frame):
    if frame.endswith("_[k]"):
        return "kernel"
    name = frame[:-4] if frame[-4:] in ("_[j]", "_[i]", "_[0]") else frame
    for prefix, label in PARTS:
        if name.startswith(prefix):
            return label
    return "JVM" if "/" not in name else "other Java"


def per_request(directory, endpoint, rate):
    files = sorted(glob.glob(f"{directory}/profile-{endpoint}-*.collapsed"))
    requests = rate * 20 * len(files)
    parts, leaves = collections.Counter(), collections.Counter()
    for path in files:
        for line in open(path, encoding="utf-8"):
            stack, _, samples = line.rstrip().rpartition(" ")
            leaf = stack.rsplit(";", 1)[-1]
            parts[part(leaf)] += int(samples)
            leaves[leaf] += int(samples)
    scale = 1000 / requests  # µs per request
    return {k: v * scale for k, v in parts.items()}, {k: v * scale for k, v in leaves.items()}


directory, exempt_rate, limited_rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
exempt, limited = per_request(directory, "unlimited", exempt_rate), per_request(directory, "limited", limited_rate)
for title, a, b, count in (("part", exempt[0], limited[0], None), ("leaf frame", exempt[1], limited[1], 15)):
    keys = sorted(set(a) | set(b), key=lambda k: a.get(k, 0) - b.get(k, 0))[:count]
    print(f"by {title}, µs of CPU per request, exempt → limited (total {sum(a.values()):.1f} → {sum(b.values()):.1f}):")
    for key in keys:
        print(f"  {b.get(key, 0) - a.get(key, 0):+6.2f}  {a.get(key, 0):7.2f} → {b.get(key, 0):7.2f}  {key}")
