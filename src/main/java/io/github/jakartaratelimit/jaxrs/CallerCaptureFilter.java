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
 * needed, so filters that run after this one are seen too; a bean called by the resource (an EJB) finds it as the
 * servlet request attribute of the same name. It runs for every request, limited or not: it stores one small object
 * and creates nothing else.
 */
@Priority(Priorities.AUTHENTICATION - 100)
final class CallerCaptureFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(RequestState.REST_PRINCIPAL, new RestCaller(request));
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
