package io.github.jakartaratelimit.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Checks the limit, then proceeds; the limiter throws when the call is over it. Early in the platform range: before
 * Jakarta Concurrency's {@code @Asynchronous} (at {@code PLATFORM_BEFORE + 5} on the servers measured) hands the call
 * to another thread, where the caller is unknown, and before {@code @Transactional} opens a transaction for a call
 * that is refused. Bound by the extension to the methods it must count (see {@link Counted}).
 */
@Counted
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 1)
class RateLimitInterceptor {

    /** Its only injection point: on Payara, every injection point costs each instance, one per request for resources. */
    @Inject
    RateLimiter limiter;

    private volatile RateLimiter direct;

    @AroundInvoke
    Object limit(InvocationContext call) throws Exception {
        RateLimiter target = direct;
        if (target == null) {
            target = limiter.instance().get(); // the application-scoped instance, without its proxy's lookup per call
            direct = target;
        }
        return target.proceed(call);
    }
}
