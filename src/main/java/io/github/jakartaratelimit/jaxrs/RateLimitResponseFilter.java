package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimiter;
import io.github.jakartaratelimit.cdi.RequestState;
import io.github.jakartaratelimit.cdi.Settings;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * Adds the rate limit headers to every response of a request that met a limit, admitted or not, once the calls whose
 * limits count only some statuses are settled by the response's.
 */
@Priority(Priorities.HEADER_DECORATOR)
final class RateLimitResponseFilter implements ContainerResponseFilter {

    private final RateLimiter limiter;

    RateLimitResponseFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        // The state is a request property, so it is found also when an asynchronous response completes on another
        // thread; a request that met no limit costs nothing more here.
        if (!(request.getProperty(RequestState.ATTRIBUTE) instanceof RequestState state) || !state.metLimits()) {
            return;
        }
        limiter.settle(state, response.getStatus()); // calls counted only for some statuses, before headers report them
        Settings.Headers style = limiter.headers();
        MultivaluedMap<String, Object> headers = response.getHeaders();
        // Headers of the family sent already there (a mapper wrote them) stay as they are; only that family is looked
        // for, as each lookup is a case-blind one.
        if (style.ietf() && headers.containsKey(RateLimitHeaders.POLICY)
                || style.legacy() && headers.containsKey(RateLimitHeaders.LEGACY_LIMIT)) {
            return;
        }
        RateLimitHeaders.write(state.statuses(), style, headers::putSingle);
    }
}
