package io.github.jakartaratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a JAX-RS resource method (or every method of a resource class) from the application-wide
 * default limit, {@code ratelimit.default}. Health checks and static assets are typical uses.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimitExempt {
}
