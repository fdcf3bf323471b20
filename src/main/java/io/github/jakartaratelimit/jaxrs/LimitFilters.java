package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimiter;

import java.lang.reflect.Method;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Binds a filter to every resource method that is limited: by its own {@code @RateLimited}, in force whether or not
 * CDI intercepts the resource class (servers do not all make a resource without a scope a bean), or by
 * {@code ratelimit.default}, counted per method as Flask-Limiter's default limits are. The call is checked on the
 * request's thread before its parameters are read, so an asynchronous resource method is counted for its caller.
 * Decided once per method when the application starts.
 */
final class LimitFilters implements DynamicFeature {

    private final RateLimiter limiter;

    LimitFilters(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Class<?> resourceClass = resource.getResourceClass();
        Method method = resource.getResourceMethod();
        if (resourceClass == null || method == null) {
            return;
        }
        Runnable check = limiter.resourceCheck(resourceClass, implementation(resourceClass, method));
        if (check != null) {
            context.register(new LimitFilter(check));
        }
    }

    /** The class's own method where JAX-RS reports the interface that carries the resource's annotations. */
    private static Method implementation(Class<?> resourceClass, Method method) {
        if (!method.getDeclaringClass().isInterface()) {
            return method;
        }
        try {
            return resourceClass.getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return method;
        }
    }

    /** Runs after authentication and authorization, so that the caller is known and unauthorized calls never count. */
    @Priority(Priorities.AUTHORIZATION + 100)
    static final class LimitFilter implements ContainerRequestFilter {

        private final Runnable check;

        LimitFilter(Runnable check) {
            this.check = check;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            check.run();
        }
    }
}
