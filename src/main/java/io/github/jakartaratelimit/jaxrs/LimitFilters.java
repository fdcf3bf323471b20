package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.cdi.RateLimiter;

import java.lang.reflect.Method;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Providers;

/**
 * Binds a filter to every resource method that is limited: by its own {@code @RateLimited}, in force whether or not
 * CDI intercepts the resource class (servers do not all make a resource without a scope a bean), or by
 * {@code ratelimit.default}, counted per method as Flask-Limiter's default limits are. The call is checked on the
 * request's thread before its parameters are read, so an asynchronous resource method is counted for its caller.
 * Decided once per method when the application starts.
 */
final class LimitFilters implements DynamicFeature {

    private final RateLimiter limiter;
    private final RateLimitExceptionMapper answer;

    /** @param answer the library's mapper, unless the application registered its own for breaches */
    LimitFilters(RateLimiter limiter, RateLimitExceptionMapper answer) {
        this.limiter = limiter;
        this.answer = answer;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Class<?> resourceClass = resource.getResourceClass();
        Method method = resource.getResourceMethod();
        if (resourceClass == null || method == null) {
            return;
        }
        RateLimiter.ResourceCheck check = limiter.resourceCheck(resourceClass, implementation(resourceClass, method));
        if (check != null) {
            context.register(new LimitFilter(check, answer));
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

        private final RateLimiter.ResourceCheck check;

        /**
         * Injected by the JAX-RS runtime where it injects the instances a {@link DynamicFeature} registers (RESTEasy
         * does): then it says which mapper answers a breach. Jersey does not; there the application's configuration,
         * read when it started, said it.
         */
        @Context
        Providers providers;

        /** The library's mapper, if it is the one that answers a breach; decided by the first refusal. */
        private volatile Optional<RateLimitExceptionMapper> ownMapper;
        private final RateLimitExceptionMapper configured;

        LimitFilter(RateLimiter.ResourceCheck check, RateLimitExceptionMapper configured) {
            this.check = check;
            this.configured = configured;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            RateLimitExceededException refused = check.check(CallerCaptureFilter.state(request));
            if (refused == null) {
                return;
            }
            // The same 429 the mapper would give, without the runtime's search for it and its exception handling
            // (a fifth of the cost of a refusal); only while the application has no mapper of its own for it.
            RateLimitExceptionMapper mapper = ownMapper();
            if (mapper == null) {
                throw refused;
            }
            request.abortWith(mapper.refusalWithoutLimits(refused)); // the response filter adds the request's limits
        }

        private RateLimitExceptionMapper ownMapper() {
            Optional<RateLimitExceptionMapper> known = ownMapper;
            if (known == null) {
                ExceptionMapper<RateLimitExceededException> chosen =
                        providers == null ? configured : providers.getExceptionMapper(RateLimitExceededException.class);
                known = Optional.ofNullable(chosen instanceof RateLimitExceptionMapper own ? own : null);
                ownMapper = known;
            }
            return known.orElse(null);
        }
    }
}
