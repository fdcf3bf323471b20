package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.CacheException;
import javax.cache.CacheManager;

/**
 * A startup self-test of the configured JCache provider: a limit hammered from several threads must admit
 * exactly its quota, and a counted call must be remembered. A provider whose {@code invoke} is not atomic
 * would over-admit silently, in production, under load; this check refuses it at startup instead.
 */
public final class ConformanceCheck {

    static final int THREADS = 4;
    static final int QUOTA = 100;
    static final int ATTEMPTS_PER_THREAD = 60;

    private ConformanceCheck() {
    }

    /**
     * @param cacheName base name of the test's own cache: one per application, since a client such as Hazelcast's,
     *                  shared by two applications of one server, binds a cache to one application's manager
     * @param threads   creates the threads that hammer the test key
     * @throws CacheException naming what failed when the provider is unfit to hold counters
     */
    public static void verify(CacheManager manager, String cacheName, ThreadFactory threads) {
        String provider = manager.getCachingProvider().getClass().getName();
        CounterStore store = new CounterStore(manager, cacheName, TimeSource.SYSTEM, 10_000);
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse(QUOTA + " per hour"));
        String key = "selftest-" + UUID.randomUUID();

        if (!store.acquire(policy, key + "-memory", 1).allowed()
                || store.acquire(policy, key + "-memory", QUOTA).allowed()) {
            throw new MisconfiguredStoreException("The JCache provider " + provider + " does not remember what an entry "
                    + "processor stores (MutableEntry.setValue): it cannot hold rate limit counters", null);
        }
        int admitted = hammer(store, policy, key, threads);
        // Only this check's own keys: another node may be running its own check in the same cache.
        store.remove(policy, key);
        store.remove(policy, key + "-memory");
        if (admitted != QUOTA) {
            throw new MisconfiguredStoreException("The JCache provider " + provider + " does not apply Cache.invoke atomically: "
                    + THREADS + " threads admitted " + admitted + " calls against a limit of " + QUOTA
                    + ". Rate limits would be exceeded silently; use a provider whose entry processors run under "
                    + "the entry's lock (Ehcache, Hazelcast, Payara's data grid)", null);
        }
    }

    private static int hammer(CounterStore store, Policy policy, String key, ThreadFactory threads) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger admitted = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
                        if (store.acquire(policy, key, 1).allowed()) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            return admitted.get();
        } catch (Exception e) {
            throw new CacheException("The self-test of the JCache provider failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
