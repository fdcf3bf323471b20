package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.KeyResolver;
import io.github.jakartaratelimit.core.ClientAddress;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds who is calling: on an HTTP request, the principal JAX-RS sees (an authentication filter may have set it),
 * else the servlet request's, and the client address from the connection; off HTTP requests, the principal from
 * Jakarta Security. Forwarding headers are read only from trusted proxies. A plain object of the limiter, not a bean:
 * its calls are on every limited request's path, and a container's client proxy would add a lookup to each.
 */
final class CallerKeys {

    /** The key of all calls that have neither principal nor HTTP request (timers, messaging). */
    static final String NO_CALLER = "-";

    /** The key of calls whose resolver failed: they share one counter, so they stay limited. */
    static final String UNRESOLVED = "k!unresolved";

    private static final Logger LOG = Logger.getLogger(CallerKeys.class.getName());
    private final AtomicLong lastResolverWarning = new AtomicLong(Long.MIN_VALUE / 2);

    private final Instance<SecurityContext> security;
    private final ClientAddress clients;

    CallerKeys(Instance<SecurityContext> security, ClientAddress clients) {
        this.security = security;
        this.clients = clients;
    }

    /**
     * The key the caller's counter is stored under, for this guard.
     *
     * @param http the current HTTP request, {@code null} off HTTP requests
     * @param rest the JAX-RS view of the caller, {@code null} where JAX-RS has none
     */
    String resolve(Guard guard, Method method, Object[] parameters, HttpServletRequest http, Supplier<Principal> rest) {
        if (guard.resolver != null) {
            return custom(guard, new Call(method, parameters, http, rest));
        }
        switch (guard.key) {
            case GLOBAL:
                return guard.counterKey("*", "");
            case IP:
                return addressKey(guard, http);
            case PRINCIPAL: {
                String name = principalName(http, rest);
                return guard.counterKey("u:", name == null ? "" : name);
            }
            default: {
                String name = principalName(http, rest);
                return name != null ? guard.counterKey("u:", name) : addressKey(guard, http);
            }
        }
    }

    /** The caller's name; a principal without one counts as anonymous. */
    private String principalName(HttpServletRequest http, Supplier<Principal> rest) {
        Principal principal = principal(http, rest);
        return principal == null ? null : principal.getName();
    }

    private String addressKey(Guard guard, HttpServletRequest http) {
        String address = address(http);
        return address != null ? guard.counterKey("ip:", address) : guard.counterKey(NO_CALLER, "");
    }

    /**
     * The cheapest source that knows first: JAX-RS (an authentication filter may have set it; without one it reports
     * the servlet request's), else the servlet request, and Jakarta Security only off HTTP requests (an EJB timer or asynchronous method, which carry the
     * caller's identity), since on Payara it walks the security subject and, in a war without EJBs, logs an error.
     */
    Principal principal(HttpServletRequest http, Supplier<Principal> rest) {
        if (rest != null) {
            return rest.get(); // JAX-RS's answer is final: by default it is the servlet request's, else a filter's
        }
        if (http != null) {
            return http.getUserPrincipal();
        }
        return security.isResolvable() ? security.get().getCallerPrincipal() : null;
    }

    /**
     * Whether the caller is in the role, asked of the source its principal came from (see {@link #principal}); an
     * anonymous caller is in none.
     */
    boolean inRole(String role, HttpServletRequest http, Supplier<Principal> rest) {
        if (rest instanceof RequestState.Caller caller) {
            return caller.inRole(role);
        }
        if (http != null) {
            return http.isUserInRole(role);
        }
        return security.isResolvable() && security.get().isCallerInRole(role);
    }

    /**
     * A custom resolver's key. A resolver that throws or returns nothing must not turn the call into an
     * HTTP 500 (nor let it through unlimited): the call is counted under one key shared by all such calls.
     */
    private String custom(Guard guard, Call call) {
        String key;
        try {
            key = guard.resolveKey(call, () -> CDI.current().select(guard.resolver));
        } catch (RuntimeException failure) {
            warnResolver(guard, "threw " + failure.getClass().getName());
            return guard.counterKey(UNRESOLVED, "");
        }
        if (key == null || key.isBlank()) {
            warnResolver(guard, "returned " + (key == null ? "null" : "a blank key"));
            return guard.counterKey(UNRESOLVED, "");
        }
        return guard.counterKey("k:", key);
    }

    private void warnResolver(Guard guard, String what) {
        long now = System.currentTimeMillis();
        long last = lastResolverWarning.get();
        if (now - last >= 60_000 && lastResolverWarning.compareAndSet(last, now)) {
            // The key itself is never logged: it may be a credential.
            LOG.warning("jakarta-ratelimit: the key resolver " + guard.resolver.getName() + " of " + guard.where + " "
                    + what + "; such calls share one counter (this warning repeats at most once a minute)");
        }
    }

    /**
     * The client's address: the connection's, or what trusted proxies forwarded (ratelimit.trusted-proxies);
     * {@code null} off HTTP requests.
     */
    String address(HttpServletRequest http) {
        if (http == null) {
            return null;
        }
        String peer = http.getRemoteAddr();
        return !clients.readsHeaders() ? clients.resolve(peer, List.of(), List.of())
                : clients.header() == ClientAddress.Header.FORWARDED
                ? clients.resolve(peer, Collections.list(http.getHeaders("Forwarded")), List.of())
                : clients.resolve(peer, List.of(), Collections.list(http.getHeaders("X-Forwarded-For")));
    }

    private final class Call implements KeyResolver.Call {

        private final Method method;
        private final Object[] parameters;
        private final HttpServletRequest http;
        private final Supplier<Principal> rest;

        Call(Method method, Object[] parameters, HttpServletRequest http, Supplier<Principal> rest) {
            this.method = method;
            this.parameters = parameters;
            this.http = http;
            this.rest = rest;
        }

        @Override
        public Method method() {
            return method;
        }

        @Override
        public Object[] parameters() {
            return parameters;
        }

        @Override
        public Optional<Principal> principal() {
            return Optional.ofNullable(CallerKeys.this.principal(http, rest));
        }

        @Override
        public Optional<String> clientAddress() {
            return Optional.ofNullable(address(http));
        }
    }
}
