package io.github.jakartaratelimit.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark with 1 and 2 threads in one go, then prints each result as a ratio to the floor of
 * the same run: a raw {@code Cache.invoke} of a minimal processor on the same store, path, keys and threads.
 * Absolute numbers on a shared machine are noisy; ratios measured side by side are what to compare.
 *
 * <p>System properties: {@code include} (a regular expression, default all), {@code threads} (default
 * {@code 1,2}), {@code warmup} and {@code measure} (iterations of one second, default 3 and 5), {@code forks}, and
 * {@code param.<name>} (a comma-separated subset of a parameter's values; a floor's store is the first part of the
 * library's, {@code hazelcast} for {@code hazelcast-leased}).
 */
public final class Run {

    public static void main(String[] args) throws Exception {
        List<RunResult> results = new ArrayList<>();
        for (String threads : System.getProperty("threads", "1,2").split(",")) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(System.getProperty("include", "io.github.jakartaratelimit.benchmarks.*"))
                    .mode(Mode.AverageTime).timeUnit(TimeUnit.NANOSECONDS)
                    .forks(Integer.getInteger("forks", 1))
                    .warmupIterations(Integer.getInteger("warmup", 3)).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(Integer.getInteger("measure", 5)).measurementTime(TimeValue.seconds(1))
                    .threads(Integer.parseInt(threads.trim()))
                    .jvmArgsAppend("-Xmx2g");
            for (String name : System.getProperties().stringPropertyNames()) {
                if (name.startsWith("param.")) { // a subset of a parameter's values, such as param.store=redis,redis-leased
                    options.param(name.substring("param.".length()), System.getProperty(name).split(","));
                }
            }
            results.addAll(new Runner(options.build()).run());
        }
        print(results);
    }

    private static void print(Collection<RunResult> results) {
        Map<String, Double> floors = new LinkedHashMap<>();
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            if (params.getBenchmark().endsWith("FloorBenchmark.invoke")) {
                floors.put(context(params, params.getParam("store").replaceFirst("-.*", "")), result.getPrimaryResult().getScore());
            }
        }
        System.out.println();
        System.out.println("Summary: ns per check-and-count (mean ± 99.9% error), and the ratio to the raw-invoke floor");
        System.out.println("of the same run on the same store (Ehcache for the in-memory and Bucket4j rows).");
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-26s | %-16s | %-14s | %-6s | %-5s | %-7s | %15s | %9s |%n",
                "benchmark", "store", "algorithm", "path", "keys", "threads", "ns/op", "vs floor");
        System.out.println("|----------------------------|------------------|----------------|--------|-------|---------|-----------------|-----------|");
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            String name = params.getBenchmark().replace("io.github.jakartaratelimit.benchmarks.", "");
            String store = params.getParam("store") != null ? params.getParam("store") : "ehcache";
            String algorithm = params.getParam("algorithm") != null ? params.getParam("algorithm").toLowerCase(Locale.ROOT)
                    : name.startsWith("Floor") ? "fixed_window" : "-";
            Double floor = floors.get(context(params, store.replaceFirst("-.*", ""))); // every variant of a store against its raw invoke
            double score = result.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "| %-26s | %-16s | %-14s | %-6s | %-5s | %-7d | %8.0f ± %-5.0f | %9s |%n",
                    name, name.startsWith("Library") || name.startsWith("Floor") ? store : "-", algorithm,
                    params.getParam("path"), params.getParam("keys"), params.getThreads(), score,
                    result.getPrimaryResult().getScoreError(),
                    floor == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", score / floor));
        }
    }

    private static String context(BenchmarkParams params, String store) {
        // Bucket4j and the in-memory limiters are compared with the Ehcache floor.
        return store + "/" + params.getParam("path") + "/" + params.getParam("keys") + "/" + params.getThreads();
    }
}
