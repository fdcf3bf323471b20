package io.github.jakartaratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Limits how often a method may be called, per caller. On a class, it applies to every business method;
 * an annotation on the method wins over the class's. A stereotype or another interceptor binding may carry it.
 *
 * <p>Works on JAX-RS resource methods (whatever the resource's scope), EJB methods and any CDI bean method. A call
 * over the limit throws {@link RateLimitExceededException}, which JAX-RS turns into {@code 429 Too Many Requests}.
 * Every limit is validated when the application deploys: an invalid one fails the deployment.
 *
 * <p>The limit can be overridden through MicroProfile Config, most specific first:
 * {@code <fully.qualified.Class>/<method>/RateLimited/value} (for a method-level annotation),
 * {@code <fully.qualified.Class>/RateLimited/value} (for a class-level one), then
 * {@code ratelimit.limits.<name>}.
 */
@Inherited
@Documented
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {

    /**
     * The limits, for example {@code "10 per minute"}, {@code "10/minute"}, {@code "5/2 seconds"} or
     * {@code "10/second;1000/hour"} (several limits all apply). Units: second, minute, hour, day, singular,
     * plural or as their first letter. May be empty only when configuration supplies the limit.
     */
    @Nonbinding
    String value() default "";

    /**
     * The policy's name: methods with the same name share one counter per caller, and it is the name in
     * the {@code RateLimit-Policy} header and in {@code ratelimit.limits.<name>}. Printable ASCII. Default:
     * the method's own counter, named after the method.
     */
    @Nonbinding
    String name() default "";

    /** Whose calls are counted together. Default: the authenticated principal, else the client address. */
    @Nonbinding
    Key key() default Key.PRINCIPAL_OR_IP;

    /**
     * A CDI bean that computes the caller's key; when set, it replaces {@link #key()}. The bean's type
     * must be resolvable when the application deploys.
     */
    @Nonbinding
    Class<? extends KeyResolver> keyResolver() default KeyResolver.class;

    /** Units of quota one call consumes, from 1 up to the smallest quota of the limit. Default 1. */
    @Nonbinding
    int cost() default 1;

    /**
     * Count only calls whose JAX-RS response has one of these statuses, for example {@code {401, 403}} for failed
     * logins (JAX-RS resource methods only). With {@link #countExceptions()}, a call counts when either matches.
     * Every call is still checked, and charged, before it runs, so that concurrent calls can never pass the limit;
     * one whose outcome does not count is given back atomically when it ends. Default: every call counts.
     */
    @Nonbinding
    int[] countStatuses() default {};

    /**
     * Count only calls that throw one of these exceptions (or a subclass), as {@link #countStatuses()} does for
     * statuses. On a JAX-RS resource method, its class must be a CDI bean (a scope such as {@code @RequestScoped}): the
     * exception is seen by the interceptor. Default: every call counts.
     */
    @Nonbinding
    Class<? extends Throwable>[] countExceptions() default {};

    /**
     * Other limits for callers in given roles, for example {@code @Tier(role = "premium", value = "20 per minute")}:
     * a caller gets the first tier whose role they have, else {@link #value()}. Each tier counts apart, and the
     * headers report the tier the caller got. With a {@link #name()}, {@code ratelimit.limits.<name>.<role>}
     * overrides a tier's limit, or adds a tier. Roles are asked of the caller as JAX-RS, the servlet request or
     * Jakarta Security knows them; an anonymous caller has none.
     */
    @Nonbinding
    Tier[] tiers() default {};

    /** The counting algorithm. Default: {@code ratelimit.algorithm}, itself fixed window by default. */
    @Nonbinding
    Algorithm algorithm() default Algorithm.DEFAULT;

    /** A limit for callers in a role (see {@link RateLimited#tiers()}). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({})
    @interface Tier {

        /** The role, as {@code isUserInRole} knows it. */
        String role();

        /** The limits for this role, in the syntax of {@link RateLimited#value()}. */
        String value();
    }

    /** The built-in ways to key callers. */
    enum Key {
        /** The authenticated principal's name; for anonymous callers, the client address. */
        PRINCIPAL_OR_IP,
        /** The client address, from the connection (forwarding headers are not believed). */
        IP,
        /** The authenticated principal's name; all anonymous callers share one counter. */
        PRINCIPAL,
        /** One counter for everybody. */
        GLOBAL
    }

    /** The counting algorithms. */
    enum Algorithm {
        /** Whatever {@code ratelimit.algorithm} says. */
        DEFAULT,
        /** A counter per window, reset when the window ends: cheap and exact, but allows bursts at window edges. */
        FIXED_WINDOW,
        /** The previous window's count weighted by its overlap plus the current count: smooths window edges. */
        SLIDING_WINDOW,
        /** A bucket of {@code quota} tokens refilled continuously: bursts up to the quota, then a steady rate. */
        TOKEN_BUCKET
    }
}
