package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;

import java.time.Duration;
import java.util.function.Supplier;

import javax.cache.Cache;

import javax.cache.CacheManager;

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
}
