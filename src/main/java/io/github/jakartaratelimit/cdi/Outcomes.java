package io.github.jakartaratelimit.cdi;

import java.util.Arrays;

/**
 * Which outcomes of a call count against its limit ({@code countStatuses}, {@code countExceptions}): all of them,
 * or those with one of the statuses or exceptions. A conditional call is charged before it runs and given back
 * when its outcome does not count.
 */
record Outcomes(int[] statuses, Class<? extends Throwable>[] exceptions) {

    @SuppressWarnings("unchecked")
    static final Outcomes ALL = new Outcomes(new int[0], new Class[0]);

    Outcomes {
        statuses = statuses.clone();
        Arrays.sort(statuses);
        exceptions = exceptions.clone();
    }

    /** Whether only some outcomes count. */
    boolean conditional() {
        return statuses.length > 0 || exceptions.length > 0;
    }

    boolean countsStatus(int status) {
        return Arrays.binarySearch(statuses, status) >= 0;
    }

    boolean countsThrown(Throwable thrown) {
        for (Class<? extends Throwable> type : exceptions) {
            if (type.isInstance(thrown)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return (statuses.length > 0 ? "statuses " + Arrays.toString(statuses) : "")
                + (statuses.length > 0 && exceptions.length > 0 ? " or " : "")
                + (exceptions.length > 0 ? "exceptions " + Arrays.stream(exceptions).map(Class::getName).toList() : "");
    }
}
