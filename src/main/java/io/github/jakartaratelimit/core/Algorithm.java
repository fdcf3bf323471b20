package io.github.jakartaratelimit.core;

/**
 * The counting algorithms. Each is a pure transition: given the previous state of one limit (or none),
 * the time and the cost, it writes the successor state and its verdict (see {@link #evaluate}). States are a few
 * longs, so they serialize small and can be stored by reference safely (they are never mutated).
 */
public enum Algorithm {

    /** A counter per window; the window starts at the first call after the previous one ended. */
    FIXED_WINDOW(2, 1, 0) {
        @Override
        boolean evaluate(long[] state, int at, long[] next, long quota, long window, long now, long cost, long[] out, int outAt) {
            now = time(state, at, now, window);
            long start = state == null ? now : Math.min(state[at], now); // a clock stepped back restarts the window
            long count = state == null ? 0 : state[at + 1];
            if (now - start >= window) {
                start = now;
                count = 0;
            }
            long reset = window - (now - start);
            next[at] = start;
            if (count + cost <= quota) {
                next[at + 1] = count + cost;
                return admit(out, outAt, quota - count - cost, reset);
            }
            next[at + 1] = count;
            // A count above the quota (the quota was lowered since) leaves nothing, not a negative number.
            return reject(out, outAt, Math.max(0, quota - count), reset);
        }

        @Override
        void refund(long[] state, int at, long quota, long window, long cost, long mark) {
            if (state[at] == mark) {
                state[at + 1] = Math.max(0, state[at + 1] - cost);
            }
        }
    },

    /**
     * The sliding-window counter: the previous window's count, weighted by how much of it still overlaps
     * the sliding window, plus the current window's count. An approximation of a true sliding log that
     * needs three longs instead of a timestamp per call.
     */
    SLIDING_WINDOW(3, 2, 0) {
        @Override
        boolean evaluate(long[] state, int at, long[] next, long quota, long window, long now, long cost, long[] out, int outAt) {
            now = time(state, at, now, window);
            long start = state == null ? now : Math.min(state[at], now); // a clock stepped back restarts the window
            long current = state == null ? 0 : state[at + 1];
            long previous = state == null ? 0 : state[at + 2];
            if (now - start >= window) {
                long windows = (now - start) / window;
                previous = windows == 1 ? current : 0;
                current = 0;
                start += windows * window;
            }
            long elapsed = now - start;
            long weightedPrevious = previous * (window - elapsed); // in count-milliseconds
            long capacity = quota * window;
            next[at] = start;
            next[at + 2] = previous;
            if (weightedPrevious + (current + cost) * window <= capacity) {
                next[at + 1] = current + cost;
                long remaining = (capacity - weightedPrevious - (current + cost) * window) / window;
                // The quota is fully back once this window's calls have slid out too: the end of the next window.
                return admit(out, outAt, remaining, current + cost > 0 ? 2 * window - elapsed : window - elapsed);
            }
            next[at + 1] = current;
            long remaining = Math.max(0, (capacity - weightedPrevious - current * window) / window);
            long wait;
            if (current + cost <= quota) {
                // Only the previous window's weight is in the way: wait until enough of it has slid out.
                long admitAt = window - (quota - current - cost) * window / previous;
                wait = admitAt - elapsed;
            } else {
                // Wait for the next window, then until this window's count, now previous, has slid out enough.
                long admitAt = window - (quota - cost) * window / current;
                wait = window - elapsed + admitAt;
            }
            return reject(out, outAt, remaining, wait);
        }

        @Override
        void refund(long[] state, int at, long quota, long window, long cost, long mark) {
            if (state[at] == mark) {
                state[at + 1] = Math.max(0, state[at + 1] - cost);
            } else if (state[at] == mark + window) { // counted in what is now the previous window
                state[at + 2] = Math.max(0, state[at + 2] - cost);
            }
        }
    },

    /**
     * A token bucket holding {@code quota} tokens that refills at {@code quota} per window, continuously:
     * bursts up to the quota, then a steady rate. Partial tokens are kept exactly as a remainder.
     */
    TOKEN_BUCKET(3, 1, 1) {
        @Override
        boolean evaluate(long[] state, int at, long[] next, long quota, long window, long now, long cost, long[] out, int outAt) {
            now = time(state, at, now, window);
            long tokens = quota;
            long partial = 0; // token-milliseconds towards the next whole token, always < window
            if (state != null) {
                // A clock stepped back refills nothing for the gap, but does not wait for the clock to catch up.
                long elapsed = Math.max(0, now - state[at + 1]);
                if (elapsed < window) {
                    long produced = elapsed * quota + state[at + 2];
                    tokens = Math.min(quota, state[at] + produced / window);
                    partial = tokens == quota ? 0 : produced % window;
                }
            }
            next[at + 1] = now;
            next[at + 2] = partial;
            if (tokens >= cost) {
                next[at] = tokens - cost;
                return admit(out, outAt, tokens - cost, millisToRefill(quota - tokens + cost, partial, quota, window));
            }
            next[at] = tokens;
            long wait = millisToRefill(cost - tokens, partial, quota, window);
            return reject(out, outAt, tokens, wait);
        }

        private long millisToRefill(long missingTokens, long partial, long quota, long window) {
            return ceilDiv(missingTokens * window - partial, quota);
        }

        @Override
        void refund(long[] state, int at, long quota, long window, long cost, long mark) {
            state[at] = Math.min(quota, state[at] + cost);
            if (state[at] == quota) {
                state[at + 2] = 0; // a full bucket holds no partial token
            }
        }
    };

    private final int width;
    private final int windowsKept;
    private final int timeSlot;

    Algorithm(int width, int windowsKept, int timeSlot) {
        this.width = width;
        this.windowsKept = windowsKept;
        this.timeSlot = timeSlot;
    }

    /**
     * The counter's own time: never earlier than the time it stored, so that a node whose clock lags (another
     * application server, with a store that evaluates on the caller's side; a member that took the key over) cannot
     * move it backwards and create capacity that never existed. Only a stored time more than a window ahead is not
     * believed: the clock that wrote it was stepped back since, and waiting for it would lock callers out.
     */
    long time(long[] state, int at, long now, long window) {
        if (state == null) {
            return now;
        }
        long stored = state[at + timeSlot];
        return stored > now && stored - now <= window ? stored : now;
    }

    /** Whether the stored state is dated more than a window after {@code now}: a clock stepped back since. */
    boolean steppedBack(long[] state, int at, long now, long window) {
        return state[at + timeSlot] - now > window;
    }

    /** The number of longs of state one limit needs. */
    int width() {
        return width;
    }

    /** How long after its last update a state can still matter, so storage may expire it afterwards. */
    long retentionMillis(long window) {
        return windowsKept * window;
    }

    /**
     * Evaluates one limit.
     *
     * @param state the previous state of all limits of a policy, or {@code null} when there is none
     * @param at    where this limit's state starts in {@code state} and {@code next}
     * @param next  receives this limit's successor state, used only when every limit of the policy admits
     * @param out   receives the verdict at {@code outAt}: units remaining after the call, milliseconds until
     *              the quota is back (for a rejection: until the call could pass), and milliseconds until the
     *              call could pass (0 when admitted)
     * @return whether this limit admits the call
     */
    abstract boolean evaluate(long[] state, int at, long[] next, long quota, long window, long now, long cost,
                              long[] out, int outAt);

    /**
     * Takes {@code cost} back from the state of one limit (in place), if the call is still counted there: in the window
     * that started at {@code mark} (or, for the sliding window, the previous one); into the bucket, at most full.
     */
    abstract void refund(long[] state, int at, long quota, long window, long cost, long mark);

    private static boolean admit(long[] out, int at, long remaining, long reset) {
        out[at] = remaining;
        out[at + 1] = reset;
        out[at + 2] = 0;
        return true;
    }

    private static boolean reject(long[] out, int at, long remaining, long wait) {
        out[at] = remaining;
        out[at + 1] = wait;
        out[at + 2] = wait;
        return false;
    }

    static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
