package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimiter;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

/**
 * Applies {@code ratelimit.default} to every resource method without {@code @RateLimited} or
 * {@code @RateLimitExempt}: a filter bound to that method alone, so each method counts separately, as
 * Flask-Limiter's default limits do. Decided once per method when the application starts.
 */
@Provider
public class DefaultLimitFeature implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (resource.getResourceClass() == null || resource.getResourceMethod() == null) {
            return;
        }
        RateLimiter limiter = CDI.current().select(RateLimiter.class).get();
        Runnable check = limiter.defaultCheck(resource.getResourceClass(), resource.getResourceMethod());
        if (check != null) {
            context.register(new DefaultLimitFilter(check));
        }
    }

    /** Runs after authentication, so that the principal is known. */
    @Priority(Priorities.AUTHORIZATION + 100)
    static final class DefaultLimitFilter implements ContainerRequestFilter {

        private final Runnable check;

        DefaultLimitFilter(Runnable check) {
            this.check = check;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            check.run();
        }
    }
}
