package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimited;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Checks the limit, then proceeds; the limiter throws when the call is over it. */
@RateLimited
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 100)
class RateLimitInterceptor {

    @Inject
    RateLimiter limiter;

    @AroundInvoke
    Object limit(InvocationContext call) throws Exception {
        limiter.check(call.getTarget(), call.getMethod(), call.getParameters());
        return call.proceed();
    }
}
