package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.FakeClock;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.ObjectName;

import org.ehcache.config.CacheRuntimeConfiguration;
import org.ehcache.jsr107.Eh107Configuration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on the bundled Ehcache, chosen the way {@code ratelimit.cache.provider=auto} chooses it. */
class EhcacheCounterStoreTest extends CounterStoreContract {

    private static final Supplier<CacheManager> NO_SERVER_CACHE = () -> null;
    private static CacheManager manager;

    @BeforeAll
    static void open() {
        manager = CacheManagers.open("auto", null, NO_SERVER_CACHE, EhcacheCounterStoreTest.class.getClassLoader());
    }

    @AfterAll
    static void close() {
        manager.getCachingProvider().close();
    }

    @Override
    CacheManager cacheManager() {
        return manager;
    }

    @Override
    Duration expiryAfterUpdate(Cache<Object, Object> cache) {
        @SuppressWarnings("unchecked")
        Eh107Configuration<String, long[]> configuration = cache.getConfiguration(Eh107Configuration.class);
        @SuppressWarnings("unchecked")
        CacheRuntimeConfiguration<String, long[]> runtime = configuration.unwrap(CacheRuntimeConfiguration.class);
        assertEquals(runtime.getExpiryPolicy().getExpiryForCreation("k", new long[0]),
                runtime.getExpiryPolicy().getExpiryForUpdate("k", () -> new long[0], new long[0]));
        assertNull(runtime.getExpiryPolicy().getExpiryForAccess("k", () -> new long[0]), "a read must not extend a counter");
        return runtime.getExpiryPolicy().getExpiryForUpdate("k", () -> new long[0], new long[0]);
    }

    @Test
    void autoChoosesEhcacheWithoutAServerCacheAndStoresByReference() {
        assertEquals(CacheManagers.EHCACHE, manager.getCachingProvider().getClass().getName());
        CounterStore store = new CounterStore(manager, "by-reference", System::currentTimeMillis, 10_000);
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("2/s"));
        store.acquire(policy, "k", 1);
        Cache<String, long[]> cache = manager.getCache(store.prepare(policy));
        assertSame(cache.get("k"), cache.get("k"), "states must be held by reference, not copied on every read");
    }

    /**
     * The 429 path of the in-process store: once a caller is refused, its next refusals are decided on the state its
     * refusal found and run no entry processor (which locks the key, and which a hot key's admitted calls wait for);
     * its next admitted call does. Refused counters are kept up to a bound, whatever the number of callers.
     */
    @Test
    void repeatedRefusalsRunNoEntryProcessor() {
        FakeClock clock = new FakeClock();
        CounterStore store = new CounterStore(manager, "refusals-" + UUID.randomUUID(), clock, 100_000);
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("2 per minute"));
        store.acquire(policy, "k", 1);
        store.acquire(policy, "k", 1);
        assertFalse(store.acquire(policy, "k", 1).allowed());
        long invokes = store.invokes();
        for (int i = 0; i < 100; i++) {
            assertFalse(store.acquire(policy, "k", 1).allowed());
        }
        assertEquals(invokes, store.invokes(), "refusals answered from the kept state");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(store.acquire(policy, "k", 1).allowed());
        assertEquals(invokes + 1, store.invokes(), "an admitted call counted by the entry processor");

        Policy once = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("1 per hour"));
        for (int i = 0; i < 3 * CounterStore.MAX_REFUSED; i++) {
            store.acquire(once, "caller-" + i, 1);
            assertFalse(store.acquire(once, "caller-" + i, 1).allowed());
            assertTrue(store.refusedKeys() <= CounterStore.MAX_REFUSED);
        }
    }

    /**
     * A refused counter is decided on the state kept from its refusal, not read from the cache again: one the cache
     * drops meanwhile (as an eviction under a key flood would) stays refused until its refusal would have ended, where
     * the cache alone would have started it afresh. A reset through the store forgets it at once.
     */
    @Test
    void aRefusedCounterStaysRefusedUntilItsWaitEndsEvenIfTheCacheDropsIt() {
        FakeClock clock = new FakeClock();
        CounterStore store = new CounterStore(manager, "evicted-" + UUID.randomUUID(), clock, 100_000);
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("1 per minute"));
        assertTrue(store.acquire(policy, "k", 1).allowed());
        long wait = store.acquire(policy, "k", 1).retryAfterMillis(0);
        manager.getCache(store.prepare(policy)).remove("k"); // behind the store's back
        clock.advance(Duration.ofSeconds(20));
        Decision refused = store.acquire(policy, "k", 1);
        assertFalse(refused.allowed());
        assertEquals(wait - 20_000, refused.retryAfterMillis(0), "the wait shrinks with the time passed");
        clock.advance(Duration.ofMillis(refused.retryAfterMillis(0)));
        assertTrue(store.acquire(policy, "k", 1).allowed(), "admitted when the refusal would have ended");

        assertFalse(store.acquire(policy, "k", 1).allowed());
        store.clear();
        assertTrue(store.acquire(policy, "k", 1).allowed(), "a reset through the store is seen at once");
        assertEquals(0, store.refusedKeys());
    }

    /**
     * Ehcache's JSR-107 layer times every get, put and remove of each cache it makes, statistics on or off (thread
     * locals on every call, 1.2 % of a limited request's samples on Payara Micro); the store takes those monitors off
     * its counter caches. Seen through the statistics bean once statistics are switched on: a cache made with the
     * same configuration but not by the store reports its average put time, the store's reports none, and still
     * counts its puts.
     */
    @Test
    void ehcacheTimesNoOperationOnACounterCache() throws Exception {
        CounterStore store = new CounterStore(manager, "untimed-" + UUID.randomUUID(), System::currentTimeMillis, 10_000);
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("1000/s"));
        String counters = store.prepare(policy);
        String byHand = "timed-" + UUID.randomUUID();
        Cache<String, long[]> timed = manager.createCache(byHand, CacheConfigurations.forCounters(manager, 60, 10_000));
        try {
            manager.enableStatistics(counters, true);
            manager.enableStatistics(byHand, true);
            for (int i = 0; i < 200; i++) {
                assertTrue(store.acquire(policy, "k" + i, 1).allowed());
                timed.invoke("k" + i, (entry, arguments) -> {
                    entry.setValue(new long[] {1});
                    return null;
                });
            }
            assertTrue((Float) statistic(byHand, "AveragePutTime") > 0, "Ehcache times a cache it made");
            assertEquals(0f, statistic(counters, "AveragePutTime"), "the store's counter cache is not timed");
            assertEquals(200L, statistic(counters, "CachePuts"), "its operations are still counted");
        } finally {
            manager.destroyCache(byHand);
        }
    }

    private static Object statistic(String cache, String attribute) throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> beans = server.queryNames(new ObjectName("javax.cache:type=CacheStatistics,Cache=" + cache + ",*"), null);
        assertEquals(1, beans.size(), () -> "one statistics bean for " + cache + ": " + beans);
        return server.getAttribute(beans.iterator().next(), attribute);
    }
}
