package io.github.jakartaratelimit;

import java.io.Serializable;
import java.time.Duration;

/**
 * The state of one limit for one caller after a call: what the {@code RateLimit-Policy} and
 * {@code RateLimit} headers report.
 *
 * @param policy     the policy's name as shown to clients
 * @param quota      units admitted per window
 * @param window     the window
 * @param remaining  units left
 * @param reset      until the quota is back; for a limit that rejected the call, until it could pass
 * @param exceeded   whether this limit rejected the call
 */
public record RateLimitStatus(String policy, long quota, Duration window, long remaining, Duration reset,
                              boolean exceeded) implements Serializable {

    /** {@link #reset()} in whole seconds, rounded up: the {@code t} of the {@code RateLimit} header. */
    public long resetSeconds() {
        return (reset.toMillis() + 999) / 1000;
    }
}
