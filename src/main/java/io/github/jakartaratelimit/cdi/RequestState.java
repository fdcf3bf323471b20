package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.core.Decision;

import java.security.Principal;
import java.util.ArrayList;
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

    private final List<Guard> guards = new ArrayList<>(2);
    private final List<Decision> decisions = new ArrayList<>(2);
    private Supplier<Principal> restPrincipal = () -> null;

    /** Records a decision; its statuses are built only if the response reports them. */
    synchronized void add(Guard guard, Decision decision) {
        guards.add(guard);
        decisions.add(decision);
    }

    /** The statuses recorded so far in this request. */
    public synchronized List<RateLimitStatus> statuses() {
        List<RateLimitStatus> statuses = new ArrayList<>(guards.size());
        for (int i = 0; i < guards.size(); i++) {
            statuses.addAll(guards.get(i).statuses(decisions.get(i)));
        }
        return statuses;
    }

    /** Sets where the JAX-RS principal of this request is read from; read when a key is needed, not now. */
    public synchronized void restPrincipal(Supplier<Principal> principal) {
        this.restPrincipal = principal;
    }

    synchronized Principal restPrincipal() {
        return restPrincipal.get();
    }
}
