package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.core.Decision;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;

/**
 * What the limiter knows about the current request: the limits applied so far, in order, so that the HTTP layer can
 * report them however deep in the call they were checked (an EJB behind a resource), and the resource method the
 * JAX-RS layer already counted.
 *
 * <p>A plain object, created only when a request meets a limit: on HTTP requests it is the servlet request attribute
 * {@link #ATTRIBUTE}, which is also the JAX-RS request property of that name (JAX-RS keeps the two in sync in a
 * servlet container), so the JAX-RS filters and CDI's interceptor find the same one without a CDI bean per request,
 * and a response completed on another thread (an asynchronous resource method) still reads it. Other request
 * contexts (an EJB timer, an asynchronous EJB method) keep it in a {@link Holder}.
 */
public final class RequestState {

    /** The request attribute (and JAX-RS request property) that holds the request's state. */
    public static final String ATTRIBUTE = RequestState.class.getName();

    /**
     * The request attribute (and JAX-RS request property) that holds a {@code Supplier<Principal>} of the JAX-RS
     * caller: an authentication filter may replace the request's {@code SecurityContext} without the servlet layer
     * knowing, so the principal is read from JAX-RS when a key is needed.
     */
    public static final String REST_PRINCIPAL = RequestState.class.getName() + ".principal";

    private final List<Charge> charges = new ArrayList<>(2);
    private Class<?> checkedClass;
    private Method checked;

    /** Records a decision; its statuses are built only if the response reports them. */
    synchronized void add(Guard guard, String key, Decision decision) {
        charges.add(new Charge(guard, key, decision));
    }

    /** The calls of this request that were admitted and not taken back yet; they count as taken back from now. */
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

    /** The statuses of the limits this request met so far, for its response. */
    public synchronized List<RateLimitStatus> statuses() {
        List<RateLimitStatus> statuses = new ArrayList<>(charges.size());
        for (Charge charge : charges) {
            statuses.addAll(charge.guard().statuses(charge.decision(), charge.refunded()));
        }
        return statuses;
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

    /** One limit met by the request: for whom it counted, what it decided, whether the call was taken back. */
    record Charge(Guard guard, String key, Decision decision, boolean refunded) {
        Charge(Guard guard, String key, Decision decision) {
            this(guard, key, decision, false);
        }

        Charge asRefunded() {
            return new Charge(guard, key, decision, true);
        }
    }

    /** The state of a request context that is no HTTP request (an EJB timer, an asynchronous EJB method). */
    @RequestScoped
    static class Holder {

        private RequestState state;

        /** @param create whether to create the state if the request has none yet */
        RequestState state(boolean create) {
            if (state == null && create) {
                state = new RequestState();
            }
            return state;
        }
    }
}
