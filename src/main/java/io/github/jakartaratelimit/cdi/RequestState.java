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
    void add(Guard guard, String key, Decision decision) {
        decisions.add(guard, key, decision);
    }

    /** The calls of this request that were admitted and not taken back yet; they count as taken back from now. */
    List<Charge> takeBack() {
        return decisions.takeBack();
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

    /** The limits a request met, with their decisions, and the calls taken back since. */
    static final class Decisions {

        private final List<Charge> charges = new ArrayList<>(2);

        synchronized void add(Guard guard, String key, Decision decision) {
            charges.add(new Charge(guard, key, decision));
        }

        /** The admitted calls of the request not taken back yet; they are taken back now. */
        synchronized List<Charge> takeBack() {
            List<Charge> admitted = new ArrayList<>(charges.size());
            for (int i = 0; i < charges.size(); i++) {
                Charge charge = charges.get(i);
                if (charge.decision().allowed() && !charge.refunded()) {
                    admitted.add(charge);
                    charges.set(i, charge.asRefunded());
                }
            }
            return admitted;
        }

        synchronized List<RateLimitStatus> statuses() {
            List<RateLimitStatus> statuses = new ArrayList<>(charges.size());
            for (Charge charge : charges) {
                statuses.addAll(charge.guard().statuses(charge.decision(), charge.refunded()));
            }
            return statuses;
        }
    }

    /** One limit met by the request: for whom it counted, what it decided, whether the call was taken back. */
    record Charge(Guard guard, String key, Decision decision, boolean refunded) {
        Charge(Guard guard, String key, Decision decision) {
            this(guard, key, decision, false);
        }

        Charge asRefunded() {
            return new Charge(guard, key, decision, true);
        }
    }
}
