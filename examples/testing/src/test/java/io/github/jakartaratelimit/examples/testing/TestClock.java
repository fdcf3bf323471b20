package io.github.jakartaratelimit.examples.testing;

import io.github.jakartaratelimit.RateLimitClock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.Dependent;

/** The library's clock in the test deployment: the system's, plus what the test moved it by. */
@Dependent
public class TestClock implements RateLimitClock {

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
