package io.github.jakartaratelimit.storage;

/**
 * What the counter store costs, for operators: registered as
 * {@code io.github.jakartaratelimit:type=CounterStore,name=<ratelimit.cache.name>-<namespace>} (the namespace is
 * {@code ratelimit.cache.namespace}, else the application's name) in the platform MBean server while the
 * application runs.
 */
public interface StoreStatisticsMXBean {

    /** Entry processors sent to the shared store (on a distributed store, each is a network round trip). */
    long getInvokes();

    /** Calls decided on this node without the store: spent from a lease, or refused as remembered. */
    long getLocalDecisions();

    /** Whether leases are taken ({@code ratelimit.lease=auto} on a distributed store). */
    boolean isLeasing();

    /** Whether the shared store is considered down ({@code ratelimit.on-storage-failure} in force). */
    boolean isDown();
}
