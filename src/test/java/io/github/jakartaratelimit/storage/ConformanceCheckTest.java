package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.Executors;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The startup self-test accepts a conforming provider and refuses one whose {@code invoke} is a plain
 * read-then-write: real Ehcache underneath, with {@code invoke} re-implemented the way a careless JCache
 * implementation (or a client-side emulation over a remote store) would.
 */
class ConformanceCheckTest {

    private static CacheManager ehcache;

    @BeforeAll
    static void open() {
        ehcache = CacheManagers.open("ehcache", null, () -> null, ConformanceCheckTest.class.getClassLoader());
    }

    @AfterAll
    static void close() {
        ehcache.close();
    }

    @Test
    void aConformingProviderPasses() {
        ConformanceCheck.verify(ehcache, "ratelimit-selftest", Executors.defaultThreadFactory());
    }

    @Test
    void aProviderWhoseInvokeIsNotAtomicIsRefused() {
        CacheException refused = assertThrows(CacheException.class,
                () -> ConformanceCheck.verify(nonAtomic(ehcache), "ratelimit-selftest", Executors.defaultThreadFactory()));
        assertTrue(refused.getMessage().contains("does not apply Cache.invoke atomically: 4 threads admitted "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("against a limit of 100"), refused.getMessage());
    }

    /** The same caches, but invoke reads, processes and writes without holding the entry. */
    private static CacheManager nonAtomic(CacheManager real) {
        return (CacheManager) Proxy.newProxyInstance(CacheManager.class.getClassLoader(), new Class<?>[] {CacheManager.class},
                (proxy, method, args) -> {
                    Object result = call(real, method, args);
                    return result instanceof Cache<?, ?> cache ? nonAtomic(cache) : result;
                });
    }

    @SuppressWarnings("unchecked")
    private static Cache<Object, Object> nonAtomic(Cache<?, ?> real) {
        Cache<Object, Object> cache = (Cache<Object, Object>) real;
        return (Cache<Object, Object>) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("invoke")) {
                        return call(cache, method, args);
                    }
                    Object key = args[0];
                    Object[] value = {cache.get(key)};
                    Thread.yield(); // widen the window a real network round trip would open
                    Object answer = ((EntryProcessor<Object, Object, Object>) args[1]).process(new Entry(key, value), (Object[]) args[2]);
                    cache.put(key, value[0]);
                    return answer;
                });
    }

    private static Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private record Entry(Object key, Object[] value) implements MutableEntry<Object, Object> {
        @Override
        public Object getKey() {
            return key;
        }

        @Override
        public Object getValue() {
            return value[0];
        }

        @Override
        public boolean exists() {
            return value[0] != null;
        }

        @Override
        public void remove() {
            value[0] = null;
        }

        @Override
        public void setValue(Object newValue) {
            value[0] = newValue;
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new IllegalArgumentException();
        }
    }
}
