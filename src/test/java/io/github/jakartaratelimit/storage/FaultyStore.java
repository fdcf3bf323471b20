package io.github.jakartaratelimit.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;

/**
 * A real Ehcache with faults on demand, for the breaker: the whole store down (every call throws), or one key slow,
 * its calls taking turns as under a store's lock per key (Redisson's), each taking {@code slowMillis}.
 */
final class FaultyStore {

    private final CacheManager manager;
    private final Object keyLock = new Object();
    volatile boolean down;
    volatile String slowKey;
    volatile long slowMillis;

    FaultyStore(CacheManager ehcache) {
        manager = proxy(CacheManager.class, ehcache, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Cache<?, ?> cache ? proxy(Cache.class, cache, this::cacheCall) : result;
        });
    }

    CacheManager manager() {
        return manager;
    }

    private Object cacheCall(Object cache, java.lang.reflect.Method method, Object[] args) throws Exception {
        if (method.getName().equals("invoke")) {
            if (down) {
                throw new CacheException("the store is down");
            }
            String key = slowKey;
            if (key != null && String.valueOf(args[0]).endsWith(key)) {
                synchronized (keyLock) {
                    Thread.sleep(slowMillis);
                    return method.invoke(cache, args);
                }
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
