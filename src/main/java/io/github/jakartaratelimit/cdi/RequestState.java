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
    private Class<?> checkedClass;
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
    synchronized void markChecked(Class<?> resourceClass, Method method) {
        checkedClass = resourceClass;
        checked = method;
    }

    /**
     * Whether the JAX-RS layer already counted this intercepted call: the resource method it marked, on the resource's
     * class (or the subclass the container generated for it). Any other intercepted call leaves the mark alone, so
     * that neither a bean with a method of the same name called by a resource that CDI does not intercept, nor a bean
     * called before the resource method's own interceptor runs (a filter, a {@code @PostConstruct}), is mistaken
     * for it.
     */
    synchronized boolean consumeChecked(Class<?> beanClass, Method method) {
        Method marked = checked;
        if (marked == null || !(checkedClass.isAssignableFrom(beanClass) || beanClass.isAssignableFrom(checkedClass))
                // By signature: JAX-RS may report the method where its annotations are (an interface), CDI the class's.
                || !marked.getName().equals(method.getName()) || !Arrays.equals(marked.getParameterTypes(), method.getParameterTypes())) {
            return false;
        }
        checked = null;
        checkedClass = null;
        return true;
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
