package io.github.jakartaratelimit.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;

/**
 * A real Ehcache with faults on demand, for the breaker: the whole store down (every call throws), or one key stuck,
 * its calls waiting (as under a store's lock per key, Redisson's) until the test releases them.
 */
final class FaultyStore {

    private final CacheManager manager;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Semaphore stuck = new Semaphore(0);
    volatile boolean down;
    volatile String stuckKey;

    FaultyStore(CacheManager ehcache) {
        manager = proxy(CacheManager.class, ehcache, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Cache<?, ?> cache ? proxy(Cache.class, cache, this::cacheCall) : result;
        });
    }

    CacheManager manager() {
        return manager;
    }

    /** Waits until {@code calls} calls are stuck on the stuck key (each counted once). */
    void awaitStuck(int calls) throws InterruptedException {
        if (!stuck.tryAcquire(calls, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("fewer than " + calls + " calls reached the stuck key");
        }
    }

    /** Lets every call on the stuck key through, from now on. */
    void release() {
        released.countDown();
    }

    private Object cacheCall(Object cache, java.lang.reflect.Method method, Object[] args) throws Exception {
        if (method.getName().equals("invoke")) {
            if (down) {
                throw new CacheException("the store is down");
            }
            String key = stuckKey;
            if (key != null && String.valueOf(args[0]).endsWith(key)) {
                stuck.release();
                released.await();
            }
        }
        return method.invoke(cache, args);
    }

    @FunctionalInterface
    private interface Call {
        Object on(Object target, java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Call call) {
        InvocationHandler handler = (self, method, args) -> {
            try {
                return call.on(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(FaultyStore.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
