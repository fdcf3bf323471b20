package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RequestState;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * Lets the limiter see the caller as JAX-RS does: an authentication filter (JWT, API keys) may replace the
 * request's {@code SecurityContext} without the servlet layer knowing. The principal is read when a key is
 * needed, so filters that run after this one are seen too. Also keeps the request's limiter state with the
 * request, for a response that an asynchronous resource method completes on another thread.
 */
@Priority(Priorities.AUTHENTICATION - 100)
final class CallerCaptureFilter implements ContainerRequestFilter {

    private final RequestState state;

    /** @param state the container's proxy of the request-scoped state */
    CallerCaptureFilter(RequestState state) {
        this.state = state;
    }

    /** The request property that holds the request's {@link RequestState#decisions()}. */
    static final String DECISIONS = RequestState.class.getName() + ".decisions";

    @Override
    public void filter(ContainerRequestContext request) {
        state.restPrincipal(() -> request.getSecurityContext().getUserPrincipal());
        request.setProperty(DECISIONS, state.decisions());
    }
}
