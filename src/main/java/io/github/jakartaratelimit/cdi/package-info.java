/**
 * The CDI layer: {@link io.github.jakartaratelimit.cdi.RateLimitExtension} validates every {@code @RateLimited}
 * and setting while the application deploys; a thin interceptor then asks
 * {@link io.github.jakartaratelimit.cdi.RateLimiter} to check each call, keyed by the caller.
 */
package io.github.jakartaratelimit.cdi;
