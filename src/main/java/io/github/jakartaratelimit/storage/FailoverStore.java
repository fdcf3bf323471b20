package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The shared counter store behind a circuit breaker. Every call to the shared store is bounded by a timeout;
 * after a failure the store is left alone (the calls go to the local store, or are answered without one)
 * until a single probe, after 1 s, then 2, 4... up to 32 s, finds it answering again.
 */
public final class FailoverStore {

    static final long FIRST_BACKOFF_MILLIS = 1_000;
    static final long LAST_BACKOFF_MILLIS = 32_000;

    private final CounterStore shared;
    private final CounterStore local;
    private final ExecutorService executor;
    private final long timeoutMillis;
    private final TimeSource clock;
    private final Consumer<RuntimeException> onFailure;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long downUntil; // 0 while the shared store answers
    private volatile long backoff = FIRST_BACKOFF_MILLIS;

    /**
     * @param local     the in-process store to count in while the shared one is down, or {@code null} for none
     * @param executor  runs calls to the shared store so that they can be abandoned (and interrupted) after
     *                  {@code timeout}; a bounded one, whose refusal counts as a failure. {@code null} to call
     *                  the store directly (an in-process store, which cannot hang on a network)
     * @param clock     for the breaker's waits: a monotonic one in production, so that a clock step cannot
     *                  hold the breaker open
     * @param onFailure told of every failure of the shared store (it decides how often to say so)
     */
    public FailoverStore(CounterStore shared, CounterStore local, ExecutorService executor, Duration timeout, TimeSource clock,
                         Consumer<RuntimeException> onFailure) {
        this.shared = shared;
        this.local = local;
        this.executor = executor;
        this.timeoutMillis = timeout.toMillis();
        this.clock = clock;
        this.onFailure = onFailure;
    }

    /**
     * Checks and counts a call.
     *
     * @return the decision, from the shared store or, while it is down, from the local one; {@code null}
     *         when the shared store is down and there is no local store
     */
    public Decision acquire(Policy policy, String key, long cost) {
        long until = downUntil;
        if (until != 0 && (clock.currentTimeMillis() < until || !probing.compareAndSet(false, true))) {
            return local == null ? null : local.acquire(policy, key, cost);
        }
        if (until != 0 && (downUntil == 0 || clock.currentTimeMillis() < downUntil)) {
            // Another probe finished between our read and our compare-and-set: its verdict stands.
            probing.set(false);
            return downUntil == 0 ? acquire(policy, key, cost) : local == null ? null : local.acquire(policy, key, cost);
        }
        try {
            Decision decision = call(policy, key, cost);
            if (until != 0) {
                recovered();
            }
            return decision;
        } catch (RuntimeException failure) {
            failed(failure, until != 0);
            return local == null ? null : local.acquire(policy, key, cost);
        } finally {
            if (until != 0) {
                probing.set(false);
            }
        }
    }

    /** Whether the shared store is considered down. */
    public boolean down() {
        return downUntil != 0;
    }

    /** Until the next attempt to reach the shared store; zero while it answers. */
    public Duration untilProbe() {
        long until = downUntil;
        return until == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, until - clock.currentTimeMillis()));
    }

    private Decision call(Policy policy, String key, long cost) {
        if (executor == null) {
            return shared.acquire(policy, key, cost);
        }
        Future<Decision> future;
        try {
            future = executor.submit(() -> shared.acquire(policy, key, cost));
        } catch (RejectedExecutionException saturated) {
            throw new StorageTimeoutException("too many calls to the counter store are still waiting for it");
        }
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            future.cancel(true); // interrupts the waiting thread, which a provider may honour
            throw new StorageTimeoutException("the counter store did not answer within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StorageTimeoutException("interrupted while waiting for the counter store");
        }
    }

    /** A failed probe doubles the wait; calls that were already under way when the store went down do not. */
    private void failed(RuntimeException failure, boolean probe) {
        synchronized (this) {
            if (probe || downUntil == 0) {
                long wait = probe ? backoff : FIRST_BACKOFF_MILLIS;
                backoff = Math.min(wait * 2, LAST_BACKOFF_MILLIS);
                downUntil = clock.currentTimeMillis() + wait;
            }
        }
        onFailure.accept(failure);
    }

    private synchronized void recovered() {
        downUntil = 0;
        backoff = FIRST_BACKOFF_MILLIS;
        if (local != null) {
            local.clear(); // counts made during the outage end with it; the shared counts resume
        }
    }

    /** The shared store took too long: treated as a failure. */
    public static final class StorageTimeoutException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StorageTimeoutException(String message) {
            super(message);
        }
    }
}
