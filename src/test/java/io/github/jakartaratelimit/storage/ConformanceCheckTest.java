package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** Names the self-test's hammering threads, so that the non-atomic provider knows which calls to hold. */
    private static final String HAMMER = "selftest-hammer-";

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
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory hammer = task -> new Thread(task, HAMMER + threads.incrementAndGet());
        CacheException refused = assertThrows(CacheException.class, () -> ConformanceCheck.verify(
                nonAtomic(ehcache, new CountDownLatch(ConformanceCheck.THREADS)), "ratelimit-selftest", hammer));
        assertTrue(refused.getMessage().contains("does not apply Cache.invoke atomically: 4 threads admitted "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("against a limit of 100"), refused.getMessage());
    }

    /**
     * The same caches, but invoke reads, processes and writes without holding the entry. The hammering threads' first
     * calls wait after their read until every one of them has read: their writes then overwrite one another, as such a
     * provider's do under load, on every run rather than only when the scheduler interleaves them (on two busy cores
     * it once did not, and the check passed the provider).
     */
    private static CacheManager nonAtomic(CacheManager real, CountDownLatch allRead) {
        return (CacheManager) Proxy.newProxyInstance(CacheManager.class.getClassLoader(), new Class<?>[] {CacheManager.class},
                (proxy, method, args) -> {
                    Object result = call(real, method, args);
                    return result instanceof Cache<?, ?> cache ? nonAtomic(cache, allRead) : result;
                });
    }

    @SuppressWarnings("unchecked")
    private static Cache<Object, Object> nonAtomic(Cache<?, ?> real, CountDownLatch allRead) {
        Cache<Object, Object> cache = (Cache<Object, Object>) real;
        return (Cache<Object, Object>) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("invoke")) {
                        return call(cache, method, args);
                    }
                    Object key = args[0];
                    Object[] value = {cache.get(key)};
                    if (Thread.currentThread().getName().startsWith(HAMMER) && allRead.getCount() > 0) {
                        allRead.countDown(); // each hammering thread's first call: no thread makes a second before all read
                        allRead.await(10, TimeUnit.SECONDS);
                    }
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
