package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RequestState;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Lets the limiter see the caller as JAX-RS does: an authentication filter (JWT, API keys) may replace the
 * request's {@code SecurityContext} without the servlet layer knowing. The principal is read when a key is
 * needed, so filters that run after this one are seen too.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public class CallerCaptureFilter implements ContainerRequestFilter {

    private final LazyBean<RequestState> state = new LazyBean<>(RequestState.class);

    @Override
    public void filter(ContainerRequestContext request) {
        state.get().restPrincipal(() -> request.getSecurityContext().getUserPrincipal());
    }
}
