package io.github.jakartaratelimit.cdi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Limits read again from the configuration while the application runs ({@code ratelimit.refresh-seconds}): each
 * guard is made again from its source, and when the configuration gives other limits than it gave last time, they
 * replace the guard's. A change made by code stays until the configuration itself changes; an invalid new value is
 * logged once and the limits in force stay.
 */
final class LimitRefresh {

    private static final Logger LOG = Logger.getLogger(LimitRefresh.class.getName());

    /** A guard, how it is made from the configuration, and what that gave last. */
    private static final class Watched {
        final Guard guard;
        final Supplier<Guard> source;
        Guard.Plan lastSeen; // a snapshot: the guard's own plan changes
        String lastProblem;

        Watched(Guard guard, Supplier<Guard> source) {
            this.guard = guard;
            this.source = source;
            this.lastSeen = guard.plan();
        }
    }

    private final Map<Guard, Watched> watched = new ConcurrentHashMap<>(); // by identity: Guard has no equals

    /** Reads {@code guard}'s limits again from {@code source} at each refresh; its current limits came from it. */
    void watch(Guard guard, Supplier<Guard> source) {
        watched.putIfAbsent(guard, new Watched(guard, source));
    }

    /**
     * Reads every watched guard's limits again; runs on one thread at a time.
     *
     * @return a line per guard whose limits changed, as logged
     */
    synchronized List<String> refresh() {
        List<String> changes = new ArrayList<>();
        for (Watched one : watched.values()) {
            Guard fresh;
            try {
                fresh = one.source.get();
            } catch (RuntimeException invalid) { // a DefinitionProblem, or a converter's or source's failure
                String problem = invalid.getMessage();
                if (!problem.equals(one.lastProblem)) {
                    one.lastProblem = problem;
                    LOG.warning("jakarta-ratelimit: " + problem + "; the limits in force stay: " + one.guard.describe());
                }
                continue;
            }
            one.lastProblem = null;
            if (fresh.plan().sameLimits(one.lastSeen)) {
                continue; // the configuration did not change: a change made by code meanwhile stays
            }
            one.lastSeen = fresh.plan();
            if (!fresh.sameLimits(one.guard)) {
                one.guard.replace(fresh);
                String change = "the limits of " + one.guard.where + " are now " + fresh.describe();
                LOG.info("jakarta-ratelimit: " + change);
                changes.add(change);
            }
        }
        return changes;
    }
}
