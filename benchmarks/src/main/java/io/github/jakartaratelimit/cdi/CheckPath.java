package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimited;
import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.TimeSource;
import io.github.jakartaratelimit.storage.CounterStore;
import io.github.jakartaratelimit.storage.FailoverStore;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import javax.cache.CacheManager;

/**
 * The library's check path without the CDI container around it: the method's guard is resolved once
 * (as the extension does at deployment), then per call the counter key is built from the caller's
 * address, one check-and-count goes through the store, the statuses for the headers are made, and a
 * rejection is turned into the exception the interceptor throws. In this package only to reach the
 * package-private guard; a benchmark, not part of the library.
 */
public final class CheckPath {

    private final Guard guard;
    private final FailoverStore store;
    private final CounterStore counters;

    /**
     * @param executor {@code null} for an in-process store (as the library does for Ehcache); an executor
     *                 to bound every call with a timeout (as it does for distributed stores)
     * @param lease    whether to take leases ({@code ratelimit.lease=auto} on a distributed store)
     */
    public CheckPath(CacheManager manager, Algorithm algorithm, String limit, ExecutorService executor, boolean lease) {
        Policy policy = new Policy(algorithm, LimitExpression.parse(limit));
        guard = new Guard("Bench#check", "bench", "m:Bench#check()", policy, RateLimited.Key.IP, null, 1);
        counters = new CounterStore(manager, "bench-" + algorithm.name().toLowerCase() + "-" + System.nanoTime(),
                TimeSource.SYSTEM, 10_000_000);
        counters.prepare(policy);
        store = new FailoverStore(null, java.util.concurrent.Executors.newCachedThreadPool(), Duration.ofMillis(500),
                TimeSource.SYSTEM, failure -> { });
        store.connect(counters, executor, lease);
    }

    /**
     * One call from {@code clientAddress}, as {@code RateLimiter} makes it: the decision when admitted (the
     * library keeps it for the response headers, whose statuses it builds only when writing them), the
     * exception with its statuses when rejected.
     */
    public Object check(String clientAddress) {
        Guard.Plan plan = guard.plan();
        Decision decision = store.acquire(plan.policy, plan.counterKey("ip:", clientAddress), guard.cost);
        return decision.allowed() ? decision
                : new RateLimitExceededException(plan.statuses(decision, false, guard.cost));
    }

    /** The cache the counters live in, for a raw invoke on exactly the same configuration. */
    public String cacheName() {
        return counters.prepare(guard.policy());
    }

    /** The key the library stores a caller's counter under. */
    public String counterKey(String clientAddress) {
        return guard.counterKey("ip:", clientAddress);
    }
}
