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
     * A short, stable text naming the algorithm and every limit, such as {@code F5@60} or {@code S3@60+10@3600}:
     * counters stored under one signature are never read under another, so a definition changed between
     * deployments starts afresh instead of misreading the old state.
     */
    public String signature() {
        StringBuilder signature = new StringBuilder().append(algorithm.name().charAt(0));
        for (int i = 0; i < quotas.length; i++) {
            signature.append(i == 0 ? "" : "+").append(quotas[i]).append('@').append(windows[i] / 1000);
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
        if (state != null && state.length != quotas.length * width) {
            state = null; // stored by a different policy under the same name: start afresh
        }
        long[] next = new long[quotas.length * width];
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
        if (state == null || state.length != quotas.length * algorithm.width() || !charged.allowed()) {
            return null;
        }
        long[] next = state.clone();
        for (int i = 0; i < quotas.length; i++) {
            algorithm.refund(next, i * algorithm.width(), quotas[i], windows[i], cost, charged.mark(i));
        }
        return Arrays.equals(next, state) ? null : next;
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
