package io.github.jakartaratelimit.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The limits that guard one counter, all applied together: a call is counted only when every limit
 * admits it, so a rejection by one limit never consumes the quota of another.
 */
public final class Policy implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Algorithm algorithm;
    private final long[] quotas;
    private final long[] windows;
    private final long retentionSeconds;

    public Policy(Algorithm algorithm, List<Limit> limits) {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one limit");
        }
        this.algorithm = algorithm;
        this.quotas = limits.stream().mapToLong(Limit::quota).toArray();
        this.windows = limits.stream().mapToLong(Limit::windowMillis).toArray();
        long longest = 0;
        for (long window : windows) {
            longest = Math.max(longest, algorithm.retentionMillis(window));
        }
        this.retentionSeconds = longest / 1000;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public List<Limit> limits() {
        List<Limit> limits = new ArrayList<>(quotas.length);
        for (int i = 0; i < quotas.length; i++) {
            limits.add(new Limit(quotas[i], windows[i]));
        }
        return limits;
    }

    /**
     * A short, stable text naming the algorithm and every limit's window, such as {@code F@60} or {@code S@60+3600}:
     * the layout of the stored state. Counters stored under one signature are never read under another, so a
     * definition whose algorithm or windows changed (between deployments, or at run time) starts afresh instead of
     * misreading the old state; one whose quotas changed keeps counting what was counted.
     */
    public String signature() {
        StringBuilder signature = new StringBuilder().append(algorithm.name().charAt(0)).append('@');
        for (int i = 0; i < windows.length; i++) {
            signature.append(i == 0 ? "" : "+").append(windows[i] / 1000);
        }
        return signature.toString();
    }

    /** The smallest quota: a cost above it could never be admitted. */
    public long smallestQuota() {
        long smallest = Long.MAX_VALUE;
        for (long quota : quotas) {
            smallest = Math.min(smallest, quota);
        }
        return smallest;
    }

    /** How long a stored state can matter after its last update: storage may expire it after that. */
    public long retentionSeconds() {
        return retentionSeconds;
    }

    /**
     * Checks and counts one call of the given cost. A call is counted only if every limit admits it.
     *
     * @param state the stored state, or {@code null} for a caller never seen (or expired); never modified
     * @return the decision, and the state to store, which is {@code null} when nothing changes
     */
    public Transition acquire(long[] state, long nowMillis, long cost) {
        int width = algorithm.width();
        state = usable(state);
        long[] next = new long[state != null ? state.length : quotas.length * width];
        if (state != null && state.length > quotas.length * width) {
            // The lease holders of a counter that leases are taken from stay as they are (see grant).
            System.arraycopy(state, quotas.length * width, next, quotas.length * width, HOLDERS);
        }
        long[] verdicts = new long[1 + Decision.STRIDE * quotas.length]; // the Decision's encoding, written in place
        boolean allowed = true;
        for (int i = 0; i < quotas.length; i++) {
            allowed &= algorithm.evaluate(state, i * width, next, quotas[i], windows[i], nowMillis, cost, verdicts, 1 + Decision.STRIDE * i);
            verdicts[4 + Decision.STRIDE * i] = next[i * width]; // the window the call was counted in, for a refund
        }
        boolean store = allowed;
        if (!allowed) {
            for (int i = 0; i < quotas.length; i++) {
                int at = i * width;
                if (verdicts[3 + Decision.STRIDE * i] == 0) {
                    // The call is counted nowhere: report the limits that would have admitted it as they stay.
                    algorithm.evaluate(state, at, next, quotas[i], windows[i], nowMillis, 0, verdicts, 1 + Decision.STRIDE * i);
                }
                // A rejection normally writes nothing; after a clock step back it must re-date the state,
                // or the window would restart at every call until the clock caught up.
                store |= state != null && algorithm.steppedBack(state, at, nowMillis, windows[i]);
            }
        }
        verdicts[0] = allowed ? 1 : 0;
        return new Transition(store ? next : null, new Decision(verdicts));
    }

    /**
     * Takes back a call that {@code charged} admitted, when the same request was refused by another limit: one
     * request, one verdict. Only what that call added is removed, and only from the window it was counted in.
     *
     * @return the state to store, or {@code null} when there is nothing to take back
     */
    public long[] refund(long[] state, Decision charged, long cost) {
        state = usable(state);
        if (state == null || !charged.allowed()) {
            return null;
        }
        long[] next = state.clone();
        for (int i = 0; i < quotas.length; i++) {
            algorithm.refund(next, i * algorithm.width(), quotas[i], windows[i], cost, charged.mark(i));
        }
        return Arrays.equals(next, state) ? null : next;
    }

    /**
     * Debits a lease: admits at once up to {@code want} units, at least {@code cost}, for a node to spend on its own
     * ("debit first": the stored count always includes every unit granted, spent or not, so no schedule of nodes
     * can admit more than the limit). The grant shrinks as the quota runs low, to at most half of what is left
     * shared among the nodes holding leases in this window, and to at most 1 % of the smallest quota, so that a
     * node that dies holding permits costs at most that; a quota under 200 is always granted one call at a time.
     * With {@code want == cost} this is {@link #acquire} exactly.
     *
     * @param holder which of 64 slots the asking node marks, to count the nodes that hold leases in the window
     */
    public Grant grant(long[] state, long nowMillis, long cost, long want, int holder) {
        state = usable(state);
        int width = algorithm.width();
        int size = quotas.length * width;
        long[] scratch = new long[size];
        long[] peek = new long[1 + Decision.STRIDE * quotas.length];
        long available = Long.MAX_VALUE;
        long cap = Long.MAX_VALUE;
        long windowLeft = Long.MAX_VALUE;
        for (int i = 0; i < quotas.length; i++) {
            // Cost 0: what is left now, and where this limit's window starts, without counting anything.
            algorithm.evaluate(state, i * width, scratch, quotas[i], windows[i], nowMillis, 0, peek, 1 + Decision.STRIDE * i);
            available = Math.min(available, peek[1 + Decision.STRIDE * i]);
            cap = Math.min(cap, quotas[i] / 100);
            windowLeft = algorithm == Algorithm.TOKEN_BUCKET ? 0 : Math.min(windowLeft,
                    scratch[i * width] + windows[i] - algorithm.time(state, i * width, nowMillis, windows[i]));
        }
        if (want <= cost) {
            Transition plain = acquire(state, nowMillis, cost);
            return new Grant(plain.next(), plain.decision(), plain.decision().allowed() ? cost : 0, windowLeft);
        }
        long windowStart = scratch[0];
        long holders = state != null && state.length > size && state[size + 1] == windowStart ? state[size] : 0;
        holders |= 1L << (holder & 63);
        long granted = cost;
        if (available > cost) {
            long share = Math.max(1, available / (2 * holderCount(holders)));
            granted = Math.max(cost, Math.min(Math.min(want, cap), Math.min(available, share)));
        }
        Transition transition = acquire(state, nowMillis, granted);
        if (!transition.decision().allowed()) {
            return new Grant(transition.next(), transition.decision(), 0, windowLeft);
        }
        long[] next = transition.next().length > size ? transition.next() : Arrays.copyOf(transition.next(), size + HOLDERS);
        next[size] = holders;
        next[size + 1] = windowStart;
        return new Grant(next, transition.decision(), granted, windowLeft);
    }

    /** Longs after a leased counter's state: the holders' slots, and the window they were marked in. */
    static final int HOLDERS = 2;

    /**
     * How many nodes marked slots, estimated from how many of the 64 slots are set (linear counting): exact while
     * few, and within a few percent up to a few hundred nodes.
     */
    static long holderCount(long slots) {
        int set = Long.bitCount(slots);
        if (set >= 64) {
            return 266; // every slot taken: 64 ln 64, the most this estimate can tell
        }
        return Math.max(1, Math.round(-64 * Math.log(1 - set / 64.0)));
    }

    /** The state if this policy wrote it (with or without lease holders), else {@code null}: another policy's. */
    private long[] usable(long[] state) {
        int size = quotas.length * algorithm.width();
        return state != null && (state.length == size || state.length == size + HOLDERS) ? state : null;
    }

    /**
     * A lease debited by {@link #grant}: the state to store ({@code null}: unchanged), the decision for the asking
     * call (its remaining counts every unit granted as used), the units granted (0 when refused), and how long the
     * window they were counted in has left, in the evaluating clock's milliseconds: the grant expires with it.
     */
    public record Grant(long[] next, Decision decision, long granted, long windowLeftMillis) {
    }

    /**
     * A decision and the state to store after it ({@code null}: leave the stored state as it is).
     *
     * <p>States are plain {@code long[]}: a few longs per limit, which every cache serializes natively (no
     * class of this library needs to be loadable where the entry lives) and which are never modified once
     * built, so a cache may hold them by reference.
     */
    public record Transition(long[] next, Decision decision) {
    }
}
