package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.cdi.RateLimiter;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.ExceptionMapper;
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
        RateLimiter limiter = CDI.current().select(RateLimiter.class).get().instance().get();
        RateLimitExceptionMapper mapper = new RateLimitExceptionMapper(limiter);
        context.register(new CallerCaptureFilter());
        context.register(new LimitFilters(limiter, mapsBreaches(context.getConfiguration()) ? null : mapper));
        context.register(new RateLimitResponseFilter(limiter));
        context.register(mapper);
        context.register(new RateLimitUnavailableMapper());
        return true;
    }

    /**
     * Whether the application registered a mapper of its own for {@link RateLimitExceededException} (or one whose
     * exception type cannot be told, to be safe): a mapper for a supertype never wins over the library's.
     */
    static boolean mapsBreaches(Configuration configuration) {
        for (Class<?> type : configuration.getClasses()) {
            if (mapsBreaches(type)) {
                return true;
            }
        }
        for (Object instance : configuration.getInstances()) {
            if (!(instance instanceof RateLimitExceptionMapper) && mapsBreaches(instance.getClass())) {
                return true;
            }
        }
        return false;
    }

    static boolean mapsBreaches(Class<?> type) {
        if (!ExceptionMapper.class.isAssignableFrom(type) || type == RateLimitExceptionMapper.class) {
            return false;
        }
        Type mapped = mappedType(type);
        return !(mapped instanceof Class<?>) || mapped == RateLimitExceededException.class;
    }

    /** The {@code E} of {@code ExceptionMapper<E>} as the class or a superclass declares it; {@code null} if none. */
    private static Type mappedType(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type implemented : c.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType generic && generic.getRawType() == ExceptionMapper.class) {
                    return generic.getActualTypeArguments()[0];
                }
            }
        }
        return null;
    }
}
