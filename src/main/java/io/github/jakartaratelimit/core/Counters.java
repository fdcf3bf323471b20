package io.github.jakartaratelimit.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The stored state of one policy for one caller: a few longs per limit. Immutable, so caches may hold
 * it by reference, and small, so it travels cheaply to the member that owns the key.
 */
public final class Counters implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] values;

    Counters(long[] values) {
        this.values = values;
    }

    long[] values() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Counters that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Counters" + Arrays.toString(values);
    }
}
