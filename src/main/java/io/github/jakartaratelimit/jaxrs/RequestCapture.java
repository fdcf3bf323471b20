package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RequestState;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Gives each servlet request its {@link RequestState} as it starts, holding the request itself: the limit filter reads
 * the caller's address from the request instead of through the container's proxy of the current request, and the
 * JAX-RS filters keep what they know in it without another attribute. An attribute, not a thread-local: it cannot
 * outlive its request on a pooled thread. A request that has a state already (a dispatch of it again, or a limited
 * bean called by an earlier listener) keeps it, and the limits it met.
 */
final class RequestCapture implements ServletRequestListener {

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        ServletRequest request = event.getServletRequest();
        if (request instanceof HttpServletRequest http && !(request.getAttribute(RequestState.ATTRIBUTE) instanceof RequestState)) {
            request.setAttribute(RequestState.ATTRIBUTE, new RequestState(http));
        }
    }
}
