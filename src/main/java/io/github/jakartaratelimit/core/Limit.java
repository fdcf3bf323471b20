package io.github.jakartaratelimit.core;

import java.io.Serializable;

/**
 * One limit: at most {@code quota} units of cost per {@code windowMillis}.
 *
 * @param quota        the units admitted per window, at least 1
 * @param windowMillis the window length in milliseconds, a whole number of seconds
 */
public record Limit(long quota, long windowMillis) implements Serializable {

    /** Largest {@code quota × windowMillis}: the algorithms compute in count-milliseconds and must not overflow. */
    static final long MAX_PRODUCT = Long.MAX_VALUE / 4;

    public Limit {
        if (quota < 1) {
            throw new IllegalArgumentException("quota must be at least 1, was " + quota);
        }
        if (windowMillis < 1000 || windowMillis % 1000 != 0) {
            throw new IllegalArgumentException("window must be a whole number of seconds, was " + windowMillis + " ms");
        }
        if (quota > MAX_PRODUCT / windowMillis) {
            throw new IllegalArgumentException("quota " + quota + " per " + windowMillis + " ms is too large");
        }
    }

    /** The window in whole seconds, as the {@code w} parameter of {@code RateLimit-Policy}. */
    public long windowSeconds() {
        return windowMillis / 1000;
    }

    @Override
    public String toString() {
        return quota + " per " + windowSeconds() + " s";
    }
}
