package io.github.jakartaratelimit.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The one fake clock of the test suite: time moves only when a test advances it. */
public final class FakeClock implements TimeSource {

    private static final long serialVersionUID = 1L;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    @Override
    public long currentTimeMillis() {
        return now.get();
    }

    public FakeClock advance(Duration duration) {
        now.addAndGet(duration.toMillis());
        return this;
    }

    public FakeClock advanceMillis(long millis) {
        now.addAndGet(millis);
        return this;
    }

    /** This clock as another node sees it, {@code offsetMillis} ahead (or behind, when negative). */
    public TimeSource skewed(long offsetMillis) {
        return new Skewed(this, offsetMillis);
    }

    /** Serializable, since it travels in entry processors: a copy carries the time it was sent with. */
    private record Skewed(FakeClock clock, long offsetMillis) implements TimeSource {
        @Override
        public long currentTimeMillis() {
            return clock.currentTimeMillis() + offsetMillis;
        }
    }
}
