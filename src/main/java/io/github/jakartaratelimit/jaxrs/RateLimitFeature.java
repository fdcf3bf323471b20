package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimiter;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

/**
 * Everything the library adds to a JAX-RS application: the {@code 429} and {@code 503} answers, the rate limit
 * headers, the checks of limited resource methods and of {@code ratelimit.default}, and the JAX-RS caller.
 *
 * <p>It registers itself: found by scanning, and, in applications that list their classes, through the service
 * files of Jersey ({@code ForcedAutoDiscoverable}) and RESTEasy ({@code jakarta.ws.rs.ext.Providers}). Register it
 * yourself ({@code classes.add(RateLimitFeature.class)}) only on another JAX-RS implementation; registering it
 * more than once does no harm.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class RateLimitFeature implements Feature {

    @Override
    public boolean configure(FeatureContext context) {
        if (context.getConfiguration().getRuntimeType() != RuntimeType.SERVER
                || context.getConfiguration().isRegistered(LimitFilters.class)) {
            return false;
        }
        // Looked up once, while the application starts: providers are not CDI beans everywhere, and a response
        // completed on another thread (an asynchronous resource method) may have no CDI context to look them up.
        RateLimiter limiter = CDI.current().select(RateLimiter.class).get().instance();
        context.register(new CallerCaptureFilter());
        context.register(new LimitFilters(limiter));
        context.register(new RateLimitResponseFilter(limiter));
        context.register(new RateLimitExceptionMapper(limiter));
        context.register(new RateLimitUnavailableMapper());
        return true;
    }
}
