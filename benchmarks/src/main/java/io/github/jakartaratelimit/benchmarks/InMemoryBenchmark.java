package io.github.jakartaratelimit.benchmarks;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * For scale, limiters that keep their state in this JVM only: Resilience4j's {@code AtomicRateLimiter},
 * and the absolute floor, a compare-and-set counter per key.
 */
@State(Scope.Benchmark)
public class InMemoryBenchmark {

    @Param({"admit", "reject"})
    public String path;

    @Param({"1", "10000"})
    public int keys;

    private RateLimiter[] limiters;
    private AtomicLong[] counters;
    private long quota;

    @Setup
    public void setUp() {
        quota = path.equals("admit") ? Long.MAX_VALUE : 1;
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(path.equals("admit") ? Integer.MAX_VALUE : 1)
                .limitRefreshPeriod(Duration.ofDays(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        limiters = new RateLimiter[keys];
        counters = new AtomicLong[keys];
        for (int i = 0; i < keys; i++) {
            limiters[i] = RateLimiter.of("key-" + i, config);
            limiters[i].acquirePermission();
            counters[i] = new AtomicLong(1);
        }
    }

    @Benchmark
    public boolean resilience4j() {
        return limiters[Fixtures.pick(keys)].acquirePermission();
    }

    @Benchmark
    public boolean compareAndSet() {
        AtomicLong counter = counters[Fixtures.pick(keys)];
        long count;
        do {
            count = counter.get();
            if (count >= quota) {
                return false;
            }
        } while (!counter.compareAndSet(count, count + 1));
        return true;
    }
}
