package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitClock;
import io.github.jakartaratelimit.core.TimeSource;

/** The application's {@link RateLimitClock} as the core reads time; serializable with it. */
record ApplicationClock(RateLimitClock clock) implements TimeSource {

    @Override
    public long currentTimeMillis() {
        return clock.currentTimeMillis();
    }
}
