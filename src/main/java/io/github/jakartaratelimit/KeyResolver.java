package io.github.jakartaratelimit;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Optional;

/**
 * Computes the key that groups calls into one counter, for {@link RateLimited#keyResolver()}. Implement it
 * as a CDI bean; it may inject whatever it needs (the HTTP request, a tenant context...).
 *
 * <p>Calls with equal keys share a counter (within one policy name). Return a stable, bounded string:
 * an API key's identifier, a tenant id, a combination of principal and address.
 */
@FunctionalInterface
public interface KeyResolver {

    /**
     * @param call the intercepted call
     * @return the caller's key, never {@code null}
     */
    String resolve(Call call);

    /** What is known about the intercepted call. */
    interface Call {

        /** The method being called. */
        Method method();

        /**
         * Its arguments; do not modify them. Empty for a method of a JAX-RS resource that is no CDI bean (no scope),
         * whose limit is checked by a JAX-RS filter before the parameters are read: take what you need from the
         * request there.
         */
        Object[] parameters();

        /** The authenticated caller, if any. */
        Optional<Principal> principal();

        /** The client's address, from the connection, when the call came in over HTTP. */
        Optional<String> clientAddress();
    }
}
