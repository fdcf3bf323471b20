package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.KeyResolver;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
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
    Instance<Object> lookup;

    @Inject
    RequestState requestState;

    String resolve(Guard guard, Method method, Object[] parameters) {
        if (guard.resolver != null) {
            String key = lookup.select(guard.resolver).get().resolve(new Call(method, parameters));
            return "k:" + key;
        }
        return switch (guard.key) {
            case GLOBAL -> "*";
            case IP -> address().map(a -> "ip:" + a).orElse(NO_CALLER);
            case PRINCIPAL -> principal().map(p -> "u:" + p.getName()).orElse("u:");
            case PRINCIPAL_OR_IP -> principal().map(p -> "u:" + p.getName())
                    .orElseGet(() -> address().map(a -> "ip:" + a).orElse(NO_CALLER));
        };
    }

    /** JAX-RS first (an authentication filter may have set it), then Jakarta Security, then the servlet request. */
    Optional<Principal> principal() {
        boolean inRequest = requestActive();
        Principal principal = inRequest ? requestState.restPrincipal() : null;
        if (principal == null && security.isResolvable()) {
            principal = security.get().getCallerPrincipal();
        }
        if (principal == null && inRequest) {
            principal = httpRequest().map(HttpServletRequest::getUserPrincipal).orElse(null);
        }
        return Optional.ofNullable(principal);
    }

    Optional<String> address() {
        return requestActive() ? httpRequest().map(HttpServletRequest::getRemoteAddr) : Optional.empty();
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
            return CallerKeys.this.principal();
        }

        @Override
        public Optional<String> clientAddress() {
            return address();
        }
    }
}
