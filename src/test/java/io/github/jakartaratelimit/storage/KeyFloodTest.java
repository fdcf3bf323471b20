package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.FakeClock;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;

import javax.cache.CacheManager;

import org.junit.jupiter.api.Test;

/**
 * A key flood against the default store, in a JVM of 256 MB (its own surefire run, see pom.xml): one
 * million distinct callers must not exhaust memory, and a caller who keeps calling during the flood must
 * keep their count, or the flood would be a way to reset anybody's limit.
 */
class KeyFloodTest {

    private static final int FLOOD = 1_000_000;
    private static final int ACTIVE_CALLER_EVERY = 1_000;

    @Test
    void aMillionKeysStayWithinTheBoundAndTheActiveCallerKeepsTheirCount() {
        assertTrue(Runtime.getRuntime().maxMemory() <= 300L * 1024 * 1024, "run with -Xmx256m (see pom.xml)");
        CacheManager manager = CacheManagers.open("ehcache", null, () -> null, getClass().getClassLoader());
        try {
            CounterStore store = new CounterStore(manager, "flood", new FakeClock(), 100_000);
            Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("5 per minute"));
            int activeAdmitted = 0;
            int activeCalls = 0;
            for (int i = 0; i < FLOOD; i++) {
                // Distinct keys, as from a botnet or a sweep of IPv4 addresses.
                store.acquire(policy, "ip:10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "-" + (i >> 24), 1);
                if (i % ACTIVE_CALLER_EVERY == 0) {
                    activeCalls++;
                    if (store.acquire(policy, "u:alice", 1).allowed()) {
                        activeAdmitted++;
                    }
                }
            }
            assertEquals(1_000, activeCalls);
            assertEquals(5, activeAdmitted, "alice's counter was evicted by the flood: she got fresh quota");
            int entries = 0;
            for (Object ignored : manager.getCache(store.prepare(policy))) {
                entries++;
            }
            assertTrue(entries <= 100_000, entries + " counters kept");
        } finally {
            manager.close();
        }
    }
}
