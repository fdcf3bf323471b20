package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitClock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.Dependent;

/**
 * The clock of the test applications: the system clock plus an offset that a test moves forward through
 * {@code POST /api/clock}, instead of waiting. Dependent (no proxy) and stateless per instance: it travels
 * inside entry processors, and whichever JVM evaluates one reads that JVM's offset.
 */
@Dependent
public class AdjustableClock implements RateLimitClock {

    private static final long serialVersionUID = 1L;
    private static final AtomicLong OFFSET_MILLIS = new AtomicLong();

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis() + OFFSET_MILLIS.get();
    }

    static void advance(Duration duration) {
        OFFSET_MILLIS.addAndGet(duration.toMillis());
    }
}
