package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimited;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
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

    /** The bean's own class: an inherited method is limited as its subclass declares, not as its superclass. */
    @Inject
    @Intercepted
    Bean<?> bean;

    @AroundInvoke
    Object limit(InvocationContext call) throws Exception {
        limiter.check(bean.getBeanClass(), call.getMethod(), call.getParameters());
        return call.proceed();
    }
}
