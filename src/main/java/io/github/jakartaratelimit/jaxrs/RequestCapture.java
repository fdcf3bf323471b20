package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RequestState;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;

/**
 * Makes each servlet request its own attribute {@link RequestState#SERVLET_REQUEST}, which JAX-RS shows as a request
 * property: the limit filter reads the caller's address from the request itself instead of through the container's
 * proxy of the current request. An attribute, not a thread-local: it cannot outlive its request on a pooled thread.
 */
final class RequestCapture implements ServletRequestListener {

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        event.getServletRequest().setAttribute(RequestState.SERVLET_REQUEST, event.getServletRequest());
    }
}
