package io.github.jakartaratelimit;

import java.util.List;

/**
 * One named policy, for code to check, read and reset its counters (see {@link RateLimits}).
 *
 * <p>A {@code key} names whose calls count together, as a {@link KeyResolver} returns it: a method of this policy
 * with that key resolver shares the counter. The methods without a key count the <em>current caller</em>, keyed as
 * the policy's methods key it (by default the authenticated principal, else the client address), with the tier of
 * their role. Within a JAX-RS request, what they count is reported in the response's rate limit headers.
 *
 * <p>While the counter store is down, {@code ratelimit.on-storage-failure} applies: {@code deny} throws
 * {@link RateLimitUnavailableException} (and {@link #tryAcquire} is false), {@code allow} admits.
 */
public interface RateLimitPolicy {

    /** The policy's name. */
    String name();

    /**
     * Checks and counts one call of the current caller.
     *
     * @return the state of each limit after the call
     * @throws RateLimitExceededException when over the limit; nothing was counted
     */
    List<RateLimitStatus> acquire();

    /**
     * Checks and counts {@code cost} units for {@code key}.
     *
     * @return the state of each limit after the call
     * @throws RateLimitExceededException when over the limit; nothing was counted
     * @throws IllegalArgumentException   for a blank key, or a cost under 1 or above the smallest quota
     */
    List<RateLimitStatus> acquire(String key, long cost);

    /** {@link #acquire(String, long)} of one unit. */
    default List<RateLimitStatus> acquire(String key) {
        return acquire(key, 1);
    }

    /** Checks and counts one unit for {@code key}: whether the call may go on. */
    boolean tryAcquire(String key);

    /**
     * The current caller's state without counting anything: {@code remaining} units, and {@code exceeded} when the
     * next call would be refused (then {@code reset} is until it could pass).
     */
    List<RateLimitStatus> peek();

    /** {@code key}'s state without counting anything, as {@link #peek()}. */
    List<RateLimitStatus> peek(String key);

    /**
     * Puts new limits in force, in the syntax of {@link RateLimited#value()}, for this policy's methods and handles on
     * this node, from their next call on (their tiers stay). What was counted stays counted when only quotas change;
     * new windows or another number of limits start new counters. It lasts until the application stops, or until
     * the configuration of the policy changes while {@code ratelimit.refresh-seconds} reads it again. Other nodes
     * keep their limits: change the configuration to change every node's.
     *
     * @throws IllegalArgumentException for an invalid limit, or one whose smallest quota is under the policy's cost
     */
    void update(String limits);

    /**
     * Forgets {@code key}'s counter: its next call starts a fresh window. On a cluster with leases (see the clustering
     * guide), other nodes may spend what they were granted, or keep a refusal they were told, until the window ends.
     */
    void reset(String key);

    /** Forgets every counter of this policy, for every caller and tier (a scan of the store: not for hot paths). */
    void reset();
}
