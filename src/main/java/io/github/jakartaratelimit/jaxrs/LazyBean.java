package io.github.jakartaratelimit.jaxrs;

import jakarta.enterprise.inject.spi.CDI;

/**
 * A CDI bean looked up on first use. JAX-RS providers are not always CDI-managed, so they cannot rely on
 * injection; the beans they need are application-scoped or request-scoped, so the looked-up client proxy
 * stays valid for every later request.
 */
final class LazyBean<T> {

    private final Class<T> type;
    private volatile T instance;

    LazyBean(Class<T> type) {
        this.type = type;
    }

    T get() {
        T current = instance;
        if (current == null) {
            current = CDI.current().select(type).get();
            instance = current;
        }
        return current;
    }
}
