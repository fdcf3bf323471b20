package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RequestState;

import java.security.Principal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * Lets the limiter see the caller as JAX-RS does: an authentication filter (JWT, API keys) may replace the
 * request's {@code SecurityContext} without the servlet layer knowing. The principal is read when a key is
 * needed, so filters that run after this one are seen too; a bean called by the resource (an EJB) finds it in the
 * request's {@link RequestState}. It runs for every request, limited or not: it keeps one small object in the state
 * the request listener created, and creates the state only where there is none.
 */
@Priority(Priorities.AUTHENTICATION - 100)
final class CallerCaptureFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        state(request).caller(new RestCaller(request));
    }

    /**
     * The request's state: the one the request listener created, else a new one kept as the request property (no
     * listener saw the request, or an application's filter removed it; the call is counted all the same).
     */
    static RequestState state(ContainerRequestContext request) {
        if (request.getProperty(RequestState.ATTRIBUTE) instanceof RequestState state) {
            return state;
        }
        RequestState state = new RequestState();
        request.setProperty(RequestState.ATTRIBUTE, state);
        return state;
    }

    /** The caller as the request's {@code SecurityContext} says, whichever filter set it. */
    private record RestCaller(ContainerRequestContext request) implements RequestState.Caller {

        @Override
        public Principal get() {
            return request.getSecurityContext().getUserPrincipal();
        }

        @Override
        public boolean inRole(String role) {
            return request.getSecurityContext().isUserInRole(role);
        }
    }
}
