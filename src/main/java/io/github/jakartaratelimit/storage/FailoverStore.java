package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The shared counter store behind a circuit breaker that fails well. It opens on a failure rate, at least half of
 * the last {@value #WINDOW} verdicts with at least {@value #MINIMUM_FAILURES} failures, never on one failure; and
 * only the store's own failures count: a full pool of storage threads or an interrupted caller is load, not an
 * outage, and a call that times out is no verdict either, since one caller flooding its own key on a store that
 * locks per key (Redisson) makes that key slow and no other. A timeout instead starts a probe: a call on a key of
 * the breaker's own, whose outcome is the verdict. While open, calls go to the local store, or are answered without
 * one, and only probes reach the shared store: after 1 s, then 2, 4... up to 32 s, until one succeeds.
 */
public final class FailoverStore {

    static final long FIRST_BACKOFF_MILLIS = 1_000;
    static final long LAST_BACKOFF_MILLIS = 32_000;
    static final int WINDOW = 20;
    static final int MINIMUM_FAILURES = 5;

    /**
     * The answer to a call that timed out while other calls for the same key were waiting in the store: a key made
     * slow by its own traffic. Refused (the caller answers 503), neither let through uncounted nor taken for an
     * outage of the store.
     */
    public static final Decision BUSY = Decision.decode(new long[] {0});

    /** Probes count in a limit no probe can reach, on a key of this breaker's own. */
    private static final Policy PROBE = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("1000000000 per minute"));

    private final CounterStore local;
    private final ExecutorService probes;
    private final long timeoutMillis;
    private final TimeSource clock;
    private final Consumer<RuntimeException> onFailure;
    private final String probeKey = "probe/" + UUID.randomUUID();
    private final LongAdder localDecisions = new LongAdder();
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final boolean[] verdicts = new boolean[WINDOW]; // true: a failure; guarded by this
    private volatile int recorded; // written under this; read without it by the successes of a healthy store
    private volatile long downUntil; // 0 while the breaker is closed
    private long backoff = FIRST_BACKOFF_MILLIS; // guarded by this
    private volatile CompletableFuture<?> lastProbe = CompletableFuture.completedFuture(null);
    private volatile Connection connection; // null until the shared store is connected
    private volatile Consumer<Boolean> availability = available -> { };
    private boolean announcedDown; // guarded by this

    /**
     * The shared store, the pool that bounds calls to it ({@code null}: called directly), and the leases taken from it
     * ({@code null}: none, one call per round trip).
     */
    private record Connection(CounterStore shared, ExecutorService executor, Leases leases) {

        Decision acquire(Policy policy, String key, long cost) {
            return leases != null ? leases.acquire(policy, key, cost) : shared.acquire(policy, key, cost);
        }
    }

    /**
     * A store that answers without a decision (or from {@code local}) until {@link #connect} gives it the shared one.
     *
     * @param local     the in-process store to count in while the shared one is down, or {@code null} for none
     * @param probes    runs probes: a small bounded pool of its own, so that calls abandoned in the shared store's
     *                  pool cannot starve them once the store is back
     * @param clock     for the breaker's waits: a monotonic one in production, so that a clock step cannot
     *                  hold the breaker open
     * @param onFailure told of every failure of the shared store (it decides how often to say so)
     */
    public FailoverStore(CounterStore local, ExecutorService probes, Duration timeout, TimeSource clock,
                         Consumer<RuntimeException> onFailure) {
        this.local = local;
        this.probes = probes;
        this.timeoutMillis = timeout.toMillis();
        this.clock = clock;
        this.onFailure = onFailure;
    }

    /**
     * Starts using the shared store.
     *
     * @param executor runs calls to the shared store so that they can be abandoned (and interrupted) after the
     *                 timeout; a bounded one. {@code null} to call the store directly (an in-process store, which
     *                 cannot hang on a network)
     */
    public void connect(CounterStore shared, ExecutorService executor) {
        connect(shared, executor, false);
    }

    /**
     * Starts using the shared store.
     *
     * @param lease whether to take leases from it ({@link Leases}): for a distributed store, where a call costs a
     *              round trip
     */
    public void connect(CounterStore shared, ExecutorService executor, boolean lease) {
        connection = new Connection(shared, executor, lease ? new Leases(shared, clock) : null);
        announce(true);
    }

    /**
     * Tells {@code listener} when the store stops answering (the breaker opens, or {@link #unavailable()}) and when
     * it answers again: once per change, never for a store that has always answered.
     */
    public void watch(Consumer<Boolean> listener) {
        availability = listener;
    }

    /** The shared store could not be connected when the application started. */
    public void unavailable() {
        synchronized (this) {
            if (connection != null || announcedDown) {
                return;
            }
            announcedDown = true;
        }
        availability.accept(false);
    }

    private void announce(boolean available) {
        synchronized (this) {
            if (announcedDown != available) {
                return; // no change: up while up (the usual case), or down while down
            }
            announcedDown = !available;
        }
        availability.accept(available);
    }

    /** Entry processors sent to the shared store so far: its round trips. */
    public long sharedInvokes() {
        Connection connected = connection;
        return connected == null ? 0 : connected.shared().invokes();
    }

    /** Calls this node decided alone: spent from a lease, or refused as remembered. */
    public long localDecisions() {
        return localDecisions.sum();
    }

    /** Whether leases are taken from the shared store. */
    public boolean leasing() {
        Connection connected = connection;
        return connected != null && connected.leases() != null;
    }

    /** Gives back the permits of leases unused for a while; called every few hundred milliseconds. */
    public void sweepLeases() {
        Connection connected = connection;
        if (connected != null && connected.leases() != null && downUntil == 0) {
            connected.leases().sweep();
        }
    }

    /** Gives back every unused permit, when the application stops. */
    public void returnLeases() {
        Connection connected = connection;
        if (connected != null && connected.leases() != null && downUntil == 0) {
            connected.leases().returnAll();
        }
    }

    /**
     * Checks and counts a call.
     *
     * @return the decision, from the shared store or, while it is down, from the local one; {@code null} when the
     *         shared store gave no decision and there is no local store; {@link #BUSY} for a key slowed by its own
     *         traffic
     */
    public Decision acquire(Policy policy, String key, long cost) {
        Connection connected = connection;
        if (connected == null) {
            return fallback(policy, key, cost);
        }
        if (connected.leases() != null) {
            Decision local = connected.leases().local(key, cost); // permits already counted in the store stay good
            if (local != null) {
                localDecisions.increment();
                return local;
            }
        }
        long until = downUntil;
        if (until != 0) {
            if (clock.currentTimeMillis() >= until) {
                probe();
            }
            return fallback(policy, key, cost);
        }
        if (connected.executor() == null) {
            try {
                Decision decision = connected.acquire(policy, key, cost);
                record(null);
                return decision;
            } catch (RuntimeException failure) {
                record(failure);
                return fallback(policy, key, cost);
            }
        }
        return bounded(connected, policy, key, cost);
    }

    private Decision bounded(Connection connected, Policy policy, String key, long cost) {
        Future<Decision> future;
        try {
            future = connected.executor().submit(() -> connected.acquire(policy, key, cost));
        } catch (RejectedExecutionException saturated) {
            return fallback(policy, key, cost); // every storage thread is busy: load, not an outage
        }
        inFlight.merge(key, 1, Integer::sum);
        try {
            Decision decision = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
            record(null);
            return decision;
        } catch (TimeoutException slow) {
            future.cancel(true); // interrupts the waiting thread, which a provider may honour
            boolean contended = inFlight.getOrDefault(key, 1) > 1;
            probe(); // the store or only this key? a key of the breaker's own tells
            return contended ? BUSY : fallback(policy, key, cost);
        } catch (ExecutionException e) {
            RuntimeException failure = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            record(failure);
            return fallback(policy, key, cost);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller is going away: no verdict on the store
            future.cancel(true);
            return fallback(policy, key, cost);
        } finally {
            inFlight.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * Takes back a call this store admitted, when its request was refused by another limit; best effort, bounded by
     * the timeout, never a verdict on the store: a refund that fails leaves the call counted, as it was.
     */
    public void refund(Policy policy, String key, long cost, Decision charged) {
        Connection connected = connection;
        if (connected != null && connected.leases() != null && connected.leases().refund(policy, key, cost, charged)) {
            return;
        }
        CounterStore target = connected == null || downUntil != 0 ? local : connected.shared();
        if (target == null) {
            return;
        }
        try {
            if (target == local || connected.executor() == null) {
                target.refund(policy, key, cost, charged);
            } else {
                connected.executor().submit(() -> target.refund(policy, key, cost, charged))
                        .get(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException | TimeoutException keptCounted) {
            // the call stays counted: an over-count of one call, never an under-count
        }
    }

    /**
     * The state of a counter as a call of {@code cost} would find it, counting nothing ({@link CounterStore#peek});
     * {@code null} when the shared store does not answer and there is no local one.
     */
    public Decision peek(Policy policy, String key, long cost) {
        Connection connected = connection;
        if (connected != null && downUntil == 0) {
            try {
                return connected.shared().peek(policy, key, cost);
            } catch (RuntimeException failure) {
                record(failure);
            }
        }
        return local == null ? null : local.peek(policy, key, cost);
    }

    /**
     * Removes the counters of {@code policy} under exactly {@code key}, or, with {@code prefix}, every key starting
     * with it: on this node's leases, in the shared store and in the local one.
     *
     * @throws RuntimeException when the shared store fails: the counters may be left there
     */
    public void remove(Policy policy, String key, boolean prefix) {
        Connection connected = connection;
        if (connected != null && connected.leases() != null) {
            connected.leases().forget(prefix ? stored -> stored.startsWith(key) : key::equals);
        }
        if (local != null) {
            removeFrom(local, policy, key, prefix);
        }
        if (connected != null) {
            removeFrom(connected.shared(), policy, key, prefix);
        }
    }

    private static void removeFrom(CounterStore store, Policy policy, String key, boolean prefix) {
        if (prefix) {
            store.removeAll(policy, key);
        } else {
            store.remove(policy, key);
        }
    }

    private Decision fallback(Policy policy, String key, long cost) {
        return local == null ? null : local.acquire(policy, key, cost);
    }

    /** Whether the shared store is not connected yet, or the breaker is open: the store is considered down. */
    public boolean down() {
        return connection == null || downUntil != 0;
    }

    /** Until the next probe of the shared store (a second while it is not connected yet); zero while it answers. */
    public Duration untilProbe() {
        if (connection == null) {
            return Duration.ofSeconds(1);
        }
        long until = downUntil;
        return until == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, until - clock.currentTimeMillis()));
    }

    /** The probe under way, or the last one: for tests, which wait for its verdict. */
    CompletableFuture<?> lastProbe() {
        return lastProbe;
    }

    /** One probe at a time, on the probes' own threads, bounded by the timeout. */
    private void probe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Decision> attempt;
        try {
            CounterStore shared = connection.shared();
            attempt = CompletableFuture.supplyAsync(() -> shared.acquire(PROBE, probeKey, 1), probes);
        } catch (RejectedExecutionException stuck) {
            probing.set(false); // earlier probes still wait for the store: no verdict yet
            return;
        }
        lastProbe = attempt.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((decision, failure) -> {
            try {
                if (failure == null) {
                    probeSucceeded();
                } else {
                    attempt.cancel(true);
                    probeFailed(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                }
            } finally {
                probing.set(false);
            }
        });
    }

    private void probeSucceeded() {
        boolean closed;
        synchronized (this) {
            closed = downUntil != 0;
            if (closed) {
                downUntil = 0;
                backoff = FIRST_BACKOFF_MILLIS;
                recorded = 0;
                if (local != null) {
                    local.clear(); // counts made during the outage end with it; the shared counts resume
                }
            }
        }
        if (closed) {
            announce(true);
        } else {
            record(null);
        }
    }

    private void probeFailed(Throwable cause) {
        RuntimeException failure = cause instanceof TimeoutException
                ? new StorageTimeoutException("the counter store did not answer a probe within " + timeoutMillis + " ms")
                : cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        synchronized (this) {
            if (downUntil != 0) {
                downUntil = clock.currentTimeMillis() + backoff;
                backoff = Math.min(backoff * 2, LAST_BACKOFF_MILLIS);
                onFailure.accept(failure);
                return;
            }
        }
        record(failure);
    }

    /** A verdict on the store: {@code null} for a success. Opens the breaker at the failure rate. */
    private void record(RuntimeException failure) {
        if (failure == null && recorded == 0) {
            // The usual case, without a failure in sight: nothing to remember, and no lock that every call of every
            // request would take in turn. A failure being recorded meanwhile counts as if it came after this success.
            return;
        }
        boolean opened = false;
        synchronized (this) {
            if (failure == null && recorded == 0) {
                return;
            }
            verdicts[recorded % WINDOW] = failure != null;
            recorded++;
            int seen = Math.min(recorded, WINDOW);
            int failures = 0;
            for (int i = 0; i < seen; i++) {
                failures += verdicts[i] ? 1 : 0;
            }
            if (failures == 0) {
                recorded = 0;
            } else if (downUntil == 0 && failures >= MINIMUM_FAILURES && 2 * failures >= seen) {
                downUntil = clock.currentTimeMillis() + FIRST_BACKOFF_MILLIS;
                backoff = 2 * FIRST_BACKOFF_MILLIS;
                recorded = 0;
                opened = true;
            }
        }
        if (opened) {
            announce(false);
        }
        if (failure != null) {
            onFailure.accept(failure);
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
