package io.github.jakartaratelimit.benchmarks;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;
import io.github.jakartaratelimit.storage.CounterStore;

import java.util.Locale;

import javax.cache.CacheManager;

/**
 * Heap per counter on the default Ehcache store, for each algorithm: 100,000 callers counted once, the
 * heap measured after a full collection before and after. The payload (the state itself) is a long[] of
 * 2 or 3 elements: 16 bytes of array header and 8 per element. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar io.github.jakartaratelimit.benchmarks.HeapPerKey}.
 */
public final class HeapPerKey {

    private static final int CALLERS = 100_000;

    public static void main(String[] args) throws Exception {
        System.out.println("| algorithm | state payload (bytes) | heap per counter, key and cache entry included (bytes) |");
        System.out.println("|---|---|---|");
        for (Algorithm algorithm : Algorithm.values()) {
            CacheManager manager = Fixtures.ehcache();
            CounterStore store = new CounterStore(manager, "heap-" + algorithm, TimeSource.SYSTEM, 1_000_000);
            Policy policy = new Policy(algorithm, LimitExpression.parse("100 per minute"));
            store.prepare(policy);
            String[] addresses = Fixtures.addresses(CALLERS);
            String[] keys = new String[CALLERS];
            for (int i = 0; i < CALLERS; i++) {
                keys[i] = "2:m:x/ip:" + addresses[i]; // key strings built before the baseline: not counted twice
            }
            long before = usedAfterGc();
            for (String key : keys) {
                store.acquire(policy, key, 1);
            }
            long after = usedAfterGc();
            int payload = 16 + 8 * policy.limits().size() * (algorithm == Algorithm.FIXED_WINDOW ? 2 : 3);
            System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", algorithm.name().toLowerCase(Locale.ROOT), payload,
                    (after - before) / CALLERS);
            manager.close();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // let the collector finish: a measurement, not a test
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
