package io.github.jakartaratelimit.core;

/**
 * The outcome of one limit for one call.
 *
 * @param allowed          whether the limit admits the call
 * @param remaining        units still available after this call
 * @param resetMillis      until the quota is back (for a rejection: until the call could pass)
 * @param retryAfterMillis until the rejected call could pass; 0 when allowed
 */
record Verdict(boolean allowed, long remaining, long resetMillis, long retryAfterMillis) {

    static Verdict allowed(long remaining, long resetMillis) {
        return new Verdict(true, remaining, resetMillis, 0);
    }

    static Verdict rejected(long remaining, long waitMillis) {
        return new Verdict(false, remaining, waitMillis, waitMillis);
    }
}
