package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimiter;
import io.github.jakartaratelimit.cdi.RequestState;
import io.github.jakartaratelimit.cdi.Settings;

import java.util.ArrayList;
import java.util.List;

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
        // A new list put in one lookup, where putSingle makes two (it looks for the header's list, then puts a new one).
        RateLimitHeaders.write(state.statuses(), style, (name, value) -> headers.put(name, single(value)));
    }

    /** Mutable, as a header's list in the runtime's map may be added to by whatever writes the response next. */
    private static List<Object> single(Object value) {
        List<Object> values = new ArrayList<>(1);
        values.add(value);
        return values;
    }
}
