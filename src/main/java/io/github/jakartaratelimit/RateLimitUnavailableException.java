package io.github.jakartaratelimit;

import java.time.Duration;

import jakarta.ejb.ApplicationException;

/**
 * Thrown, under {@code ratelimit.on-storage-failure=deny}, when the counter store cannot be reached: the call
 * is refused rather than let through uncounted. JAX-RS turns it into {@code 503 Service Unavailable} with
 * {@code Retry-After}. Stackless and an EJB application exception, like {@link RateLimitExceededException}.
 */
@ApplicationException(rollback = false)
public class RateLimitUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** @param retryAfter until the store will be tried again; rounded up to whole seconds, at least one */
    public RateLimitUnavailableException(Duration retryAfter) {
        super("Rate limiting is temporarily unavailable", null, false, false);
        this.retryAfter = Duration.ofSeconds(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    /** When to try again: whole seconds, at least one. */
    public Duration getRetryAfter() {
        return retryAfter;
    }
}
