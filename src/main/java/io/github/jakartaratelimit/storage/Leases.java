package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Permits taken from a distributed store ahead of use and spent on this node, so that a hot key costs a round trip
 * per lease rather than per call. Debit first: the shared counter counts a lease's units when it is granted
 * ({@link Policy#grant}), so the shared count is never below what the nodes admitted, whatever the schedule; a lease
 * is spent only until its window ends by the owner's reckoning (the time it was asked for plus the time the owner
 * said the window had left: a clock skewed between nodes cannot stretch it). A lease covers about
 * {@value #TARGET_MILLIS} ms of this node's traffic on the key, so a key called rarely keeps one round trip per call;
 * permits unused for {@value #IDLE_MILLIS} ms go back ({@link #sweep}), as do all on {@link #returnAll}.
 *
 * <p>Also remembers a refusal for at most {@value #REFUSAL_MILLIS} ms (and no longer than its retry-after), so that
 * a caller hammering an exhausted key does not cost a round trip per call either; that is the only staleness:
 * units given back to the key meanwhile are seen by this node up to that much later.
 *
 * <p>Leases apply to one-limit fixed and sliding windows; a token bucket refills under leased tokens (they would
 * add to its burst), and several limits would strand a short window's units in a long one: those count one call per
 * round trip, with refusals remembered as above.
 */
final class Leases {

    static final long TARGET_MILLIS = 1_000;
    static final long IDLE_MILLIS = 500;
    static final long REFUSAL_MILLIS = 1_000;
    /** Keys tracked at most; beyond, calls go to the store one by one: a key flood cannot grow this table. */
    static final int MAX_KEYS = 10_000;
    /** How long a call waits for another thread's refill of the same key before asking the store itself. */
    static final long REFILL_WAIT_MILLIS = 1_000;
    /** How many other threads' answers a call waits for before it asks the store for itself alone. */
    static final int MAX_ROUNDS = 3;

    /** The shared counters that leases are debited from and given back to. */
    interface Ledger {
        /** {@link LeaseProcessor}'s answer: the decision's longs, the units granted, the window's time left. */
        long[] grant(Policy policy, String key, long cost, long want, int holder);

        /** Takes back {@code units} the decision {@code granted} counted, if its window is still the current one. */
        void giveBack(Policy policy, String key, long units, Decision granted);
    }

    private final Ledger ledger;
    private final TimeSource clock;
    private final int holder;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    /**
     * @param clock milliseconds that only move forward on this node (the leases' own timing, never compared
     *              with another node's clock)
     */
    Leases(Ledger ledger, TimeSource clock) {
        this(ledger, clock, ThreadLocalRandom.current().nextInt(64));
    }

    Leases(Ledger ledger, TimeSource clock, int holder) {
        this.ledger = ledger;
        this.clock = clock;
        this.holder = holder;
    }

    /** Whether calls under this policy may be leased in advance. */
    static boolean leasable(Policy policy) {
        return policy.limits().size() == 1 && policy.algorithm() != Algorithm.TOKEN_BUCKET;
    }

    /**
     * The decision this node can make alone: a call spent from a lease, or a refusal still believed; {@code null}
     * when the store must be asked.
     */
    Decision local(String key, long cost) {
        Lease lease = leases.get(key);
        return lease == null ? null : lease.spend(cost, clock.currentTimeMillis());
    }

    /**
     * Asks the store for the call, with a lease on top when this node's traffic on the key is worth one. One thread
     * per key asks at a time; the others wait for its answer and are served from it, or ask next.
     */
    Decision acquire(Policy policy, String key, long cost) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Lease previous = leases.get(key);
            if (previous == null) {
                if (leases.size() >= MAX_KEYS) {
                    break;
                }
                Lease pending = Lease.pending(policy); // a key new to this node: its first answer is awaited
                previous = leases.putIfAbsent(key, pending);
                if (previous == null) {
                    pending.refilling.set(true);
                    return askFor(policy, key, cost, cost, pending);
                }
            }
            Decision spent = previous.spend(cost, clock.currentTimeMillis());
            if (spent != null) { // refilled since this call found it empty
                return spent;
            }
            if (!leasable(policy) && !previous.pending()) {
                return ask(policy, key, cost, cost, previous); // never leased: no lease to wait for
            }
            if (previous.refilling.compareAndSet(false, true)) {
                long want = leasable(policy) ? Math.max(cost, previous.want(clock.currentTimeMillis())) : cost;
                return askFor(policy, key, cost, want, previous);
            }
            Decision served = previous.afterRefill(() -> local(key, cost));
            if (served != null) {
                return served;
            }
        }
        return ask(policy, key, cost, cost, leases.get(key));
    }

    /** Asks, and lets the calls waiting for {@code previous}'s refill go on, whatever the answer. */
    private Decision askFor(Policy policy, String key, long cost, long want, Lease previous) {
        try {
            return ask(policy, key, cost, want, previous);
        } catch (RuntimeException failed) {
            leases.remove(key, previous); // nobody is refilling it any more: the next call asks afresh
            throw failed;
        } finally {
            if (previous != null) {
                previous.refilled.countDown();
            }
        }
    }

    private Decision ask(Policy policy, String key, long cost, long want, Lease previous) {
        long sent = clock.currentTimeMillis();
        long[] reply = ledger.grant(policy, key, cost, want, holder);
        Decision decision = Decision.decode(Arrays.copyOf(reply, reply.length - 2));
        long granted = reply[reply.length - 2];
        Lease lease = new Lease(policy, decision, sent, granted - cost, reply[reply.length - 1]);
        if (!decision.allowed()) {
            return refused(key, cost, lease, previous);
        }
        keep(key, lease, previous);
        return granted > cost ? lease.first() : decision;
    }

    /**
     * Remembers a refusal, unless another thread of this node got a lease meanwhile: its permits are spent first (it
     * must not be dropped, or they would be stranded, counted in the store and spent by nobody).
     */
    private Decision refused(String key, long cost, Lease refusal, Lease previous) {
        if (previous == null && leases.size() >= MAX_KEYS) {
            return refusal.decision;
        }
        Lease kept = leases.compute(key, (k, current) -> current != null && !current.refusal
                && current.permits.get() > 0 && refusal.sent < current.until ? current : refusal);
        if (kept != refusal) {
            Decision spent = kept.spend(cost, clock.currentTimeMillis());
            if (spent != null) {
                return spent;
            }
        }
        return refusal.decision;
    }

    /**
     * Keeps a new lease (or, with nothing left over, the record of the call, for the rate); merges a live one. In one
     * step under the key's lock: two threads that both asked the store (after waiting their rounds) each replace the
     * lease before; merged outside the lock, the first one's units could land in a lease the second had already
     * replaced, stranded there (counted in the store, spent by nobody).
     */
    private void keep(String key, Lease lease, Lease previous) {
        if (previous == null && leases.size() >= MAX_KEYS) {
            return;
        }
        leases.compute(key, (k, replaced) -> {
            if (replaced != null && replaced != lease && replaced.window == lease.window && !replaced.refusal) {
                lease.permits.addAndGet(replaced.permits.getAndSet(0)); // same window: its units are still this node's
            }
            return lease;
        });
    }

    /**
     * Takes back a call this node admitted from a lease into the lease, while it lasts.
     *
     * @return whether it was taken back here; if not, the store must take it back
     */
    boolean refund(Policy policy, String key, long cost, Decision charged) {
        Lease lease = leases.get(key);
        if (!leasable(policy) || lease == null || lease.refusal || lease.window != charged.encode()[4]
                || clock.currentTimeMillis() >= lease.until) {
            return false;
        }
        lease.permits.addAndGet(cost);
        return true;
    }

    /** Gives back the permits of leases idle for {@value #IDLE_MILLIS} ms and forgets what has expired. */
    void sweep() {
        long now = clock.currentTimeMillis();
        leases.forEach((key, lease) -> {
            if (now >= lease.until) {
                leases.remove(key, lease);
            } else if (now - lease.lastUse >= IDLE_MILLIS && !lease.refusal && leases.remove(key, lease)) {
                giveBack(key, lease);
            }
        });
    }

    /** Gives back every unused permit, when the application stops. */
    void returnAll() {
        leases.forEach((key, lease) -> {
            if (leases.remove(key, lease) && !lease.refusal && clock.currentTimeMillis() < lease.until) {
                giveBack(key, lease);
            }
        });
    }

    private void giveBack(String key, Lease lease) {
        long unused = lease.permits.getAndSet(0);
        if (unused > 0) {
            ledger.giveBack(lease.policy, key, unused, lease.decision);
        }
    }

    /**
     * Drops what this node holds for the keys {@code forgotten} accepts, unspent permits and refusals alike: their
     * counters were removed from the store, which owes them nothing.
     */
    void forget(Predicate<String> forgotten) {
        leases.keySet().removeIf(forgotten);
    }

    /** Keys this node holds a lease or a refusal for: for tests. */
    int size() {
        return leases.size();
    }

    /** A grant being spent, or a refusal being remembered. */
    private static final class Lease {

        final Policy policy;
        final Decision decision;
        final boolean refusal;
        final long sent;
        final long until;
        final long window;
        final long granted;
        final AtomicLong permits;
        final AtomicBoolean refilling = new AtomicBoolean();
        final CountDownLatch refilled = new CountDownLatch(1);
        volatile long lastUse;

        /** Stands for a key's first answer while it is awaited: spends nothing, wants one call. */
        static Lease pending(Policy policy) {
            return new Lease(policy, Decision.decode(new long[] {1, 0, 0, 0, 0}), Long.MIN_VALUE / 2, 0, 0);
        }

        Lease(Policy policy, Decision decision, long sent, long extra, long windowLeft) {
            this.policy = policy;
            this.decision = decision;
            this.refusal = !decision.allowed();
            this.sent = sent;
            this.window = decision.encode()[4];
            this.granted = Math.max(0, extra);
            this.permits = new AtomicLong(Math.max(0, extra));
            this.lastUse = sent;
            long retry = 0;
            for (int i = 0; refusal && 1 + 4 * i < decision.encode().length; i++) {
                retry = Math.max(retry, decision.retryAfterMillis(i));
            }
            this.until = refusal ? sent + Math.min(retry, REFUSAL_MILLIS) : sent + windowLeft;
        }

        /** What {@code retry} decides once the refill under way has answered (or after a while, if it hangs). */
        Decision afterRefill(Supplier<Decision> retry) {
            try {
                if (!refilled.await(REFILL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            return retry.get();
        }

        boolean pending() {
            return sent == Long.MIN_VALUE / 2;
        }

        /** The decision for the call that asked for the lease: what it leaves is what this node can still admit. */
        Decision first() {
            return spent(permits.get(), sent);
        }

        Decision spend(long cost, long now) {
            if (now >= until) {
                return null;
            }
            if (refusal) {
                return remembered(now);
            }
            long left;
            do {
                left = permits.get();
                if (left < cost) {
                    return null;
                }
            } while (!permits.compareAndSet(left, left - cost));
            lastUse = now;
            return spent(left - cost, now);
        }

        /**
         * Remaining: the shared count's remaining when granted, plus what this node still holds (the units granted to
         * other nodes are counted as used, which they will be or give back).
         */
        private Decision spent(long left, long now) {
            long[] grant = decision.encode();
            return Decision.decode(new long[] {1, grant[1] + left, Math.max(0, grant[2] - (now - sent)), 0, window});
        }

        /** The refusal as it stands now: the waits shortened by the time since, never to zero (that would admit). */
        private Decision remembered(long now) {
            long[] then = decision.encode();
            long[] encoded = then.clone();
            long elapsed = now - sent;
            for (int at = 1; at + 2 < encoded.length; at += 4) {
                encoded[at + 1] = Math.max(then[at + 1] == 0 ? 0 : 1, then[at + 1] - elapsed);
                encoded[at + 2] = then[at + 2] == 0 ? 0 : Math.max(1, then[at + 2] - elapsed);
            }
            return Decision.decode(encoded);
        }

        /**
         * What the next lease should hold: {@value #TARGET_MILLIS} ms of the rate this one was spent at, growing at most
         * fourfold per lease, so that a short burst of a few calls does not take (and give back) a large lease.
         */
        long want(long now) {
            if (pending()) {
                return 0; // no history yet
            }
            long used = Math.max(1, 1 + granted - permits.get()); // the call that asked, and the permits spent since
            return Math.min(4 * used, used * TARGET_MILLIS / Math.max(1, now - sent));
        }
    }
}
