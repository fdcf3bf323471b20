package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimited;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Checks the limit, then proceeds; the limiter throws when the call is over it. Early in the platform range: before
 * Jakarta Concurrency's {@code @Asynchronous} (at {@code PLATFORM_BEFORE + 5} on the servers measured) hands the call
 * to another thread, where the caller is unknown, and before {@code @Transactional} opens a transaction for a call
 * that is refused.
 */
@RateLimited
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 1)
class RateLimitInterceptor {

    @Inject
    RateLimiter limiter;

    /**
     * The bean's own class: an inherited method is limited as its subclass declares, not as its superclass.
     * {@code null} when the container intercepts an instance that is not a bean (a JAX-RS resource without a scope).
     */
    @Inject
    @Intercepted
    Bean<?> bean;

    private volatile RateLimiter direct;

    @AroundInvoke
    Object limit(InvocationContext call) throws Exception {
        RateLimiter target = direct;
        if (target == null) {
            target = limiter.instance(); // the application-scoped instance, without its proxy's lookup per call
            direct = target;
        }
        target.check(bean, call);
        return call.proceed();
    }
}
