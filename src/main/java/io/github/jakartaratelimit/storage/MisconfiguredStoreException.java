package io.github.jakartaratelimit.storage;

import javax.cache.CacheException;

/**
 * The counter store cannot work as configured, whether or not it is reachable: a provider that cannot be loaded,
 * one the server does not have, an {@code invoke} that is not atomic. Unlike an outage, trying again cannot help.
 */
public final class MisconfiguredStoreException extends CacheException {

    private static final long serialVersionUID = 1L;

    MisconfiguredStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
