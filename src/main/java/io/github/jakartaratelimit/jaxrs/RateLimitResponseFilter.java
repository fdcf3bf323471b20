package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimiter;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/** Adds the rate limit headers to every response of a request that met a limit, admitted or not. */
@Provider
@Priority(Priorities.HEADER_DECORATOR)
public class RateLimitResponseFilter implements ContainerResponseFilter {

    private final LazyBean<RateLimiter> limiter = new LazyBean<>(RateLimiter.class);

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        RateLimiter rateLimiter = limiter.get();
        if (!rateLimiter.enabled() || response.getHeaders().containsKey(RateLimitHeaders.POLICY)
                || response.getHeaders().containsKey("X-RateLimit-Limit")) {
            return;
        }
        RateLimitHeaders.write(rateLimiter.requestStatuses(), rateLimiter.headers(), response.getHeaders()::putSingle);
    }
}
