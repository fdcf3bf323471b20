package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.core.Decision;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What the limiter knows about the current request: the limits applied so far, in order, so that the HTTP layer can
 * report them however deep in the call they were checked (an EJB behind a resource), the resource method the JAX-RS
 * layer already counted, and where the caller's identity and address are read.
 *
 * <p>A plain object, created as each servlet request starts (by the library's request listener, else by the first
 * JAX-RS filter or limit that needs it): it is the request attribute {@link #ATTRIBUTE}, which is also the JAX-RS
 * request property of that name (JAX-RS keeps the two in sync in a servlet container), so the JAX-RS filters and
 * CDI's interceptor find the same one without a CDI bean per request and with one attribute for all they keep, and a
 * response completed on another thread (an asynchronous resource method) still reads it. Other request contexts (an
 * EJB timer, an asynchronous EJB method) keep it in a {@link Holder}.
 */
public final class RequestState {

    /** The request attribute (and JAX-RS request property) that holds the request's state. */
    public static final String ATTRIBUTE = RequestState.class.getName();

    /** The caller as JAX-RS knows it (see {@link #caller()}). */
    public interface Caller extends Supplier<Principal> {

        /** Whether the caller is in the role, as JAX-RS's {@code SecurityContext.isUserInRole} says. */
        boolean inRole(String role);
    }

    /** Guarded by this; made on the first charge, as every servlet request has a state and most meet no limit. */
    private List<Charge> charges = List.of();
    private Class<?> checkedClass;
    private Method checked;
    /**
     * The servlet request itself, kept by the library's request listener: it spares the limiter the container's proxy
     * of the current request, whose contextual lookup was most of the cost of keying a caller by address (Weld on
     * Payara); {@code null} in a state created otherwise.
     */
    private final HttpServletRequest servletRequest;
    /**
     * The caller as JAX-RS sees it, set by the library's first JAX-RS filter: an authentication filter may replace
     * the request's {@code SecurityContext} without the servlet layer knowing. Read when a key or tier is needed, so
     * that authentication filters that run later are seen.
     */
    private volatile Caller caller;

    /** The state of a request outside a servlet container's listener (an EJB timer, a request seen first by code). */
    public RequestState() {
        this(null);
    }

    /** The state of the servlet request {@code servletRequest}, kept with it. */
    public RequestState(HttpServletRequest servletRequest) {
        this.servletRequest = servletRequest;
    }

    /** The servlet request itself, if this state was created with it. */
    public HttpServletRequest servletRequest() {
        return servletRequest;
    }

    /** The caller as JAX-RS sees it; {@code null} before the JAX-RS filters ran, or outside JAX-RS. */
    public Caller caller() {
        return caller;
    }

    /** Kept by the library's JAX-RS filter as the request reaches JAX-RS. */
    public void caller(Caller caller) {
        this.caller = caller;
    }

    /** Whether the request met a limit so far: else its response has nothing to report. */
    public synchronized boolean metLimits() {
        return !charges.isEmpty();
    }

    /** Records a decision; its statuses are built only if the response reports them. */
    synchronized void add(Charge charge) {
        if (charges.isEmpty()) {
            charges = new ArrayList<>(2);
        }
        charges.add(charge);
    }

    /** The calls of this request that were admitted and not taken back yet; they count as taken back from now. */
    synchronized List<Charge> takeBack() {
        List<Charge> admitted = new ArrayList<>(charges.size());
        for (Charge charge : charges) {
            if (charge.takeBack()) {
                admitted.add(charge);
            }
        }
        return admitted;
    }

    /** Whether this call's charge is to be given back now (it was admitted and not given back yet). */
    synchronized boolean giveBack(Charge charge) {
        return charge.takeBack();
    }

    /** The outcome of this conditional call counts: nothing may give it back any more but a refusal of the request. */
    synchronized void keep(Charge charge) {
        charge.settled = true;
    }

    /**
     * Settles the conditional calls still waiting for the response's status: those whose outcome does not count are
     * returned, to be given back.
     */
    synchronized List<Charge> settle(int status) {
        List<Charge> notCounted = List.of();
        for (Charge charge : charges) {
            if (!charge.settled) {
                charge.settled = true;
                if (!charge.guard.outcomes.countsStatus(status) && charge.takeBack()) {
                    notCounted = notCounted.isEmpty() ? new ArrayList<>(1) : notCounted;
                    notCounted.add(charge);
                }
            }
        }
        return notCounted;
    }

    /** The statuses of the limits this request met so far, for its response; unmodifiable. */
    public synchronized List<RateLimitStatus> statuses() {
        if (charges.size() == 1) { // the usual request, one limit: its statuses as they are, without a copy
            Charge charge = charges.get(0);
            return charge.plan.statuses(charge.decision, charge.refunded, charge.guard.cost);
        }
        List<RateLimitStatus> statuses = new ArrayList<>(charges.size());
        for (Charge charge : charges) {
            statuses.addAll(charge.plan.statuses(charge.decision, charge.refunded, charge.guard.cost));
        }
        return Collections.unmodifiableList(statuses);
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

    /**
     * One limit met by a call: for whom it counted, what it decided, whether the call was given back, and whether its
     * outcome is settled (a call whose limit counts only some outcomes is not, until they are known). Guarded by the
     * request state that holds it, if any.
     */
    static final class Charge {
        final Guard guard;
        /** The limits it was counted under: what its headers show and its refund takes back from. */
        final Guard.Plan plan;
        final String key;
        final Decision decision;
        /** What the call is told when it is refused; {@code null} when it was admitted. */
        final RateLimitExceededException refusal;
        private boolean refunded;
        private boolean settled;

        Charge(Guard guard, Guard.Plan plan, String key, Decision decision, RateLimitExceededException refusal) {
            this.guard = guard;
            this.plan = plan;
            this.key = key;
            this.decision = decision;
            this.refusal = refusal;
            this.settled = !guard.outcomes.conditional();
        }

        /** Marks an admitted call given back; false if it was refused or given back already. */
        boolean takeBack() {
            if (!decision.allowed() || refunded) {
                return false;
            }
            refunded = true;
            settled = true;
            return true;
        }

        /** The state of each limit after the call, as counted. */
        List<RateLimitStatus> statuses() {
            return plan.statuses(decision, false, guard.cost);
        }

        /** Whether its outcome no longer matters: it counts whatever happens, or was kept or given back. */
        boolean settled() {
            return settled;
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
