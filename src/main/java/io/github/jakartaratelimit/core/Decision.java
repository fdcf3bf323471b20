package io.github.jakartaratelimit.core;

/**
 * What one check-and-count decided for every limit of a policy. It crosses from the member that owns a key
 * to the caller as a plain {@code long[]} ({@link #encode()}, {@link #decode(long[])}): a class of this
 * library would be deserialized with whatever class loader the cache's client was created with, which in a
 * server hosting several applications need not be the caller's.
 */
public final class Decision {

    /** Longs per limit in the encoding: remaining, reset, retry-after, and the window the call was counted in. */
    static final int STRIDE = 4;

    private final long[] encoded;

    Decision(long[] encoded) {
        this.encoded = encoded;
    }

    /**
     * This decision as longs: 1 if allowed, else 0; then remaining, reset, retry-after and window of each limit.
     * The array is the decision's own: do not modify it.
     */
    public long[] encode() {
        return encoded;
    }

    /** The decision {@link #encode()} wrote; the array is used as it is, not copied. */
    public static Decision decode(long[] encoded) {
        return new Decision(encoded);
    }

    /** Whether every limit admitted the call, which was then counted against all of them. */
    public boolean allowed() {
        return encoded[0] == 1;
    }

    /** Whether limit {@code i} alone would have admitted the call. */
    public boolean allowed(int i) {
        return retryAfterMillis(i) == 0;
    }

    /** Units left in limit {@code i} after this call. */
    public long remaining(int i) {
        return encoded[1 + STRIDE * i];
    }

    /** Milliseconds until limit {@code i}'s quota is back; for a rejecting limit, until the call could pass. */
    public long resetMillis(int i) {
        return encoded[2 + STRIDE * i];
    }

    /** Milliseconds until limit {@code i} would admit the call; 0 when it admitted it. */
    public long retryAfterMillis(int i) {
        return encoded[3 + STRIDE * i];
    }

    /** The start of the window limit {@code i} counted the call in (window algorithms), for a refund. */
    long mark(int i) {
        return encoded[4 + STRIDE * i];
    }
}
