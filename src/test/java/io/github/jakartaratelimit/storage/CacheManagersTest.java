package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.cache.CacheException;

import org.junit.jupiter.api.Test;

class CacheManagersTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void anUnknownProviderClassIsNamedInTheError() {
        CacheException e = assertThrows(CacheException.class,
                () -> CacheManagers.open("com.example.NoSuchCachingProvider", null, () -> null, loader));
        assertTrue(e.getMessage().startsWith("cannot load the JCache provider com.example.NoSuchCachingProvider named by "
                + "ratelimit.cache.provider: "), e.getMessage());
    }

    @Test
    void containerWithoutAServerCacheManagerSaysWhatToDoInstead() {
        CacheException e = assertThrows(CacheException.class, () -> CacheManagers.open("container", null, () -> null, loader));
        assertEquals("ratelimit.cache.provider is \"container\" but this server offers no injectable javax.cache.CacheManager; "
                + "use \"auto\" or \"ehcache\"", e.getMessage());
    }
}
