package io.github.jakartaratelimit.core;

import java.io.Serializable;

/**
 * What one check-and-count decided for every limit of a policy. Returned from the storage layer,
 * possibly from another cluster member, so it is small and serializable.
 */
public final class Decision implements Serializable {

    private static final long serialVersionUID = 1L;

    private final boolean allowed;
    private final long[] remaining;
    private final long[] resetMillis;
    private final long[] retryAfterMillis;

    Decision(Verdict[] verdicts) {
        boolean all = true;
        remaining = new long[verdicts.length];
        resetMillis = new long[verdicts.length];
        retryAfterMillis = new long[verdicts.length];
        for (int i = 0; i < verdicts.length; i++) {
            all &= verdicts[i].allowed();
            remaining[i] = verdicts[i].remaining();
            resetMillis[i] = verdicts[i].resetMillis();
            retryAfterMillis[i] = verdicts[i].retryAfterMillis();
        }
        allowed = all;
    }

    /** Whether every limit admitted the call, which was then counted against all of them. */
    public boolean allowed() {
        return allowed;
    }

    /** The number of limits this decision covers, in the order of the policy's limits. */
    public int size() {
        return remaining.length;
    }

    /** Whether limit {@code i} alone would have admitted the call. */
    public boolean allowed(int i) {
        return retryAfterMillis[i] == 0;
    }

    /** Units left in limit {@code i} after this call. */
    public long remaining(int i) {
        return remaining[i];
    }

    /** Milliseconds until limit {@code i}'s quota is back; for a rejecting limit, until the call could pass. */
    public long resetMillis(int i) {
        return resetMillis[i];
    }

    /** Milliseconds until limit {@code i} would admit the call; 0 when it admitted it. */
    public long retryAfterMillis(int i) {
        return retryAfterMillis[i];
    }
}
