package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.KeyResolver;
import io.github.jakartaratelimit.core.ClientAddress;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds who is calling: the principal from Jakarta Security (which covers servlet, JAX-RS and EJB callers
 * alike), and the client address from the connection of the current HTTP request. Forwarding headers are
 * never read: anybody can send them.
 */
@ApplicationScoped
class CallerKeys {

    /** The key of all calls that have neither principal nor HTTP request (timers, messaging). */
    static final String NO_CALLER = "-";

    @Inject
    BeanManager beans;

    @Inject
    Instance<SecurityContext> security;

    @Inject
    Instance<HttpServletRequest> request;


    @Inject
    RequestState requestState;

    /** The key of calls whose resolver failed: they share one counter, so they stay limited. */
    static final String UNRESOLVED = "k!unresolved";

    private static final Logger LOG = Logger.getLogger(CallerKeys.class.getName());
    private final AtomicLong lastResolverWarning = new AtomicLong(Long.MIN_VALUE / 2);

    @Inject
    RateLimitExtension extension;

    /**
     * The key the caller's counter is stored under, for this guard.
     *
     * @param inRequest whether a request context is active (asked once per call by the caller)
     */
    String resolve(Guard guard, Method method, Object[] parameters, boolean inRequest) {
        if (guard.resolver != null) {
            return custom(guard, method, parameters);
        }
        switch (guard.key) {
            case GLOBAL:
                return guard.counterKey("*", "");
            case IP:
                return addressKey(guard, inRequest);
            case PRINCIPAL: {
                String name = principalName(inRequest);
                return guard.counterKey("u:", name == null ? "" : name);
            }
            default: {
                String name = principalName(inRequest);
                return name != null ? guard.counterKey("u:", name) : addressKey(guard, inRequest);
            }
        }
    }

    /** The caller's name; a principal without one counts as anonymous. */
    private String principalName(boolean inRequest) {
        return principal(inRequest).map(Principal::getName).orElse(null);
    }

    private String addressKey(Guard guard, boolean inRequest) {
        String address = address(inRequest).orElse(null);
        return address != null ? guard.counterKey("ip:", address) : guard.counterKey(NO_CALLER, "");
    }

    /**
     * The cheapest source that knows first: JAX-RS (an authentication filter may have set it), then the servlet
     * request, and Jakarta Security only off HTTP requests (an EJB timer or asynchronous method, which carry the
     * caller's identity), since on Payara it walks the security subject and, in a war without EJBs, logs an error.
     */
    Optional<Principal> principal(boolean inRequest) {
        if (inRequest) {
            Principal rest = requestState.restPrincipal();
            if (rest != null) {
                return Optional.of(rest);
            }
            Optional<HttpServletRequest> http = httpRequest();
            if (http.isPresent()) {
                return Optional.ofNullable(http.get().getUserPrincipal());
            }
        }
        return security.isResolvable() ? Optional.ofNullable(security.get().getCallerPrincipal()) : Optional.empty();
    }

    /**
     * A custom resolver's key. A resolver that throws or returns nothing must not turn the call into an
     * HTTP 500 (nor let it through unlimited): the call is counted under one key shared by all such calls.
     */
    private String custom(Guard guard, Method method, Object[] parameters) {
        String key;
        try {
            key = guard.resolveKey(new Call(method, parameters), () -> CDI.current().select(guard.resolver));
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

    /** The client's address: the connection's, or what trusted proxies forwarded (ratelimit.trusted-proxies). */
    Optional<String> address(boolean inRequest) {
        if (!inRequest) {
            return Optional.empty();
        }
        ClientAddress clients = extension.settings().clientAddress;
        return httpRequest().map(request -> !clients.readsHeaders() ? clients.resolve(request.getRemoteAddr(), List.of(), List.of())
                : clients.header() == ClientAddress.Header.FORWARDED
                ? clients.resolve(request.getRemoteAddr(), Collections.list(request.getHeaders("Forwarded")), List.of())
                : clients.resolve(request.getRemoteAddr(), List.of(), Collections.list(request.getHeaders("X-Forwarded-For"))));
    }

    /**
     * The current HTTP request, if the active request context belongs to one: timers, message listeners and
     * asynchronous EJB calls have a request context but no HTTP request, and the container then refuses it.
     */
    private Optional<HttpServletRequest> httpRequest() {
        try {
            HttpServletRequest current = request.get();
            current.getRemoteAddr(); // the proxy resolves the underlying request only when called
            return Optional.of(current);
        } catch (RuntimeException noHttpRequest) {
            return Optional.empty();
        }
    }

    boolean requestActive() {
        try {
            return beans.getContext(RequestScoped.class).isActive();
        } catch (ContextNotActiveException none) {
            return false;
        }
    }

    private final class Call implements KeyResolver.Call {

        private final Method method;
        private final Object[] parameters;

        Call(Method method, Object[] parameters) {
            this.method = method;
            this.parameters = parameters;
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
            return CallerKeys.this.principal(requestActive());
        }

        @Override
        public Optional<String> clientAddress() {
            return address(requestActive());
        }
    }
}
