package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.core.Decision;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.RequestScoped;

/**
 * What the limiter knows about the current request: the limits applied so far, in order, so that the HTTP
 * layer can report them however deep in the call they were checked (an EJB behind a resource); and the
 * JAX-RS view of the caller, which may come from an authentication filter unknown to the servlet layer.
 */
@RequestScoped
public class RequestState {

    private final Decisions decisions = new Decisions();
    private Supplier<Principal> restPrincipal = () -> null;
    private Method checked;

    /**
     * The decisions of this request, as a plain object that stays valid off the request's thread: a response that
     * an asynchronous resource method completes on another thread has no request context, yet must report the
     * limits its request met. Opaque to callers; {@link RateLimiter#requestStatuses(Object)} reads it.
     */
    public Object decisions() {
        return decisions;
    }

    /** Records a decision; its statuses are built only if the response reports them. */
    void add(Guard guard, Decision decision) {
        decisions.add(guard, decision);
    }

    /** The statuses recorded so far in this request. */
    List<RateLimitStatus> statuses() {
        return decisions.statuses();
    }

    /** The JAX-RS layer counted a call to this resource method: the interceptor, if it runs for it, must not. */
    synchronized void markChecked(Method method) {
        checked = method;
    }

    /**
     * Whether the JAX-RS layer already counted this call. The mark is consumed by the first intercepted call of the
     * request whatever its method, so that a limited bean called by a resource that CDI did not intercept is counted.
     */
    synchronized boolean consumeChecked(Method method) {
        Method marked = checked;
        if (marked == null) {
            return false;
        }
        checked = null;
        // By signature: JAX-RS may report the method where its annotations are (an interface), CDI the class's.
        return marked.getName().equals(method.getName()) && Arrays.equals(marked.getParameterTypes(), method.getParameterTypes());
    }

    /** Sets where the JAX-RS principal of this request is read from; read when a key is needed, not now. */
    public synchronized void restPrincipal(Supplier<Principal> principal) {
        this.restPrincipal = principal;
    }

    synchronized Principal restPrincipal() {
        return restPrincipal.get();
    }

    /** The limits a request met, with their decisions. */
    static final class Decisions {

        private final List<Guard> guards = new ArrayList<>(2);
        private final List<Decision> decisions = new ArrayList<>(2);

        synchronized void add(Guard guard, Decision decision) {
            guards.add(guard);
            decisions.add(decision);
        }

        synchronized List<RateLimitStatus> statuses() {
            List<RateLimitStatus> statuses = new ArrayList<>(guards.size());
            for (int i = 0; i < guards.size(); i++) {
                statuses.addAll(guards.get(i).statuses(decisions.get(i)));
            }
            return statuses;
        }
    }
}
