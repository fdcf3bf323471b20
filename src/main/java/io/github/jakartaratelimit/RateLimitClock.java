package io.github.jakartaratelimit;

import java.io.Serializable;

/**
 * The time the library counts by, in epoch milliseconds. An application (usually its test deployment) that has a CDI
 * bean implementing it drives the counters' windows and the storage breaker's waits with it, so that a test moves
 * time forward instead of sleeping; the startup log names it. Without one, the system clock.
 *
 * <p>Make the bean {@code @Dependent} and keep any adjustment in a static field: the clock travels inside the entry
 * processors to the node that owns a counter and is read there, so it must serialize without its state.
 */
@FunctionalInterface
public interface RateLimitClock extends Serializable {

    /** The current time, in milliseconds since the epoch. */
    long currentTimeMillis();
}
