package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.function.Supplier;

import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;

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

    @Test
    void autoChoosesEhcacheWithoutAServerCacheAndStoresByReference() {
        assertEquals(CacheManagers.EHCACHE, manager.getCachingProvider().getClass().getName());
        String name = new CounterStore(manager, "by-reference", System::currentTimeMillis)
                .prepare(new io.github.jakartaratelimit.core.Policy(io.github.jakartaratelimit.core.Algorithm.FIXED_WINDOW,
                        io.github.jakartaratelimit.core.LimitExpression.parse("1/s")));
        @SuppressWarnings("unchecked")
        CompleteConfiguration<Object, Object> config = manager.getCache(name).getConfiguration(CompleteConfiguration.class);
        assertFalse(config.isStoreByValue());
    }
}
