package io.github.jakartaratelimit.core;

/**
 * What one check-and-count decided for every limit of a policy. It crosses from the member that owns a key
 * to the caller as a plain {@code long[]} ({@link #encode()}, {@link #decode(long[])}): a class of this
 * library would be deserialized with whatever class loader the cache's client was created with, which in a
 * server hosting several applications need not be the caller's.
 */
public final class Decision {

    private final boolean allowed;
    private final long[] remaining;
    private final long[] resetMillis;
    private final long[] retryAfterMillis;

    private Decision(boolean allowed, long[] remaining, long[] resetMillis, long[] retryAfterMillis) {
        this.allowed = allowed;
        this.remaining = remaining;
        this.resetMillis = resetMillis;
        this.retryAfterMillis = retryAfterMillis;
    }

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

    /** This decision as longs: whether allowed, then remaining, reset and retry-after of each limit. */
    public long[] encode() {
        long[] encoded = new long[1 + 3 * remaining.length];
        encoded[0] = allowed ? 1 : 0;
        for (int i = 0; i < remaining.length; i++) {
            encoded[1 + 3 * i] = remaining[i];
            encoded[2 + 3 * i] = resetMillis[i];
            encoded[3 + 3 * i] = retryAfterMillis[i];
        }
        return encoded;
    }

    /** The decision {@link #encode()} wrote. */
    public static Decision decode(long[] encoded) {
        int limits = (encoded.length - 1) / 3;
        long[] remaining = new long[limits];
        long[] reset = new long[limits];
        long[] retryAfter = new long[limits];
        for (int i = 0; i < limits; i++) {
            remaining[i] = encoded[1 + 3 * i];
            reset[i] = encoded[2 + 3 * i];
            retryAfter[i] = encoded[3 + 3 * i];
        }
        return new Decision(encoded[0] == 1, remaining, reset, retryAfter);
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
