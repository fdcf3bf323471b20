package io.github.jakartaratelimit;

/**
 * Rate limits for code without an annotation: servlet filters, message listeners, batch jobs, administration
 * endpoints, tests. Inject it:
 *
 * <pre>{@code
 * @Inject RateLimits limits;
 *
 * RateLimitPolicy exports = limits.policy("exports", "10 per hour");
 * if (!exports.tryAcquire(tenantId)) { ... }
 * limits.policy("greeting").reset(); // a @RateLimited(name = "greeting") policy, for every caller
 * }</pre>
 *
 * Counters live in the same store, and are checked with the same atomic entry processors, as the annotation's.
 */
public interface RateLimits {

    /**
     * The policy that {@code @RateLimited(name = name)} methods share: their counters, their limits and tiers as
     * configured.
     *
     * @throws IllegalArgumentException when no method of the application names a policy {@code name}
     */
    RateLimitPolicy policy(String name);

    /**
     * A policy defined by code, with {@code limits} in the syntax of {@link RateLimited#value()} (fixed window, unless
     * {@code ratelimit.algorithm} says otherwise), overridden by {@code ratelimit.limits.<name>} when configured. Asked
     * again for the same name, it is the same policy. A name that methods use is their policy, if the limits are
     * the same.
     *
     * @throws IllegalArgumentException for an invalid name or limit, or limits other than the name's existing ones
     */
    RateLimitPolicy policy(String name, String limits);
}
