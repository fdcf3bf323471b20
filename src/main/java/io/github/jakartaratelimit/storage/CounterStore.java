package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;

/**
 * Counters in a JCache. Every check-and-count is one {@link Cache#invoke} of an entry processor, atomic
 * on every conforming provider and evaluated where the key lives. Entries expire once their longest window
 * has passed since their last update, so there is one cache per retention time, named
 * {@code <base>-<seconds>s}, bounded in size; a cache of that name that already exists (configured by the
 * operator) is used as it is.
 */
public final class CounterStore implements Leases.Ledger {

    private static final Logger LOG = Logger.getLogger(CounterStore.class.getName());
    /** Most keys hinted as refusing at once: a flood of callers cannot grow the hint beyond it. */
    static final int MAX_REFUSING = 10_000;

    private final CacheManager manager;
    private final String baseName;
    private final TimeSource clock;
    private final long maxEntries;
    private final LongAdder invokes = new LongAdder();
    /**
     * Told how long each operation sent to a distributed store took, in nanoseconds; {@code null} for the in-process
     * store, where there is nothing to wait for and timing each decision costs a third as much as making it.
     */
    private final LongConsumer roundTrips;
    /**
     * On an in-process store, the keys whose last call was refused: their next calls read the counter first, and a
     * refusal that changes nothing is answered from what was read, without the entry processor and its lock. Only a
     * hint (a key in it that admits again goes through the processor), bounded, so {@code null} elsewhere: reading
     * first would cost a distributed store a round trip more, and leases remember its refusals.
     */
    private final Set<String> refusing;
    private final Map<Long, Cache<String, long[]>> caches = new ConcurrentHashMap<>();
    /** By policy identity: one lookup per call, without computing or boxing the retention. */
    private final Map<Policy, Target> byPolicy = new ConcurrentHashMap<>();

    /**
     * @param maxEntries the most counters one cache holds (per member, on Hazelcast) before evicting some
     */
    public CounterStore(CacheManager manager, String baseName, TimeSource clock, long maxEntries) {
        this(manager, baseName, clock, maxEntries, null);
    }

    /**
     * @param roundTrips told the duration of each operation sent to the store, in nanoseconds, if it is a distributed
     *                   one (the in-process store is not timed); may be {@code null}
     */
    public CounterStore(CacheManager manager, String baseName, TimeSource clock, long maxEntries, LongConsumer roundTrips) {
        this.manager = manager;
        this.baseName = baseName;
        this.clock = clock;
        this.maxEntries = maxEntries;
        boolean inProcess = CacheManagers.inProcess(manager);
        this.refusing = inProcess ? ConcurrentHashMap.newKeySet() : null;
        this.roundTrips = inProcess ? null : roundTrips;
    }

    /** Checks and counts one call of {@code cost} units against {@code policy} for the counter {@code key}. */
    public Decision acquire(Policy policy, String key, long cost) {
        Target target = target(policy);
        if (refusing != null && refusing.contains(key)) {
            Decision refused = refusedAsRead(target.cache, policy, key, cost);
            if (refused != null) {
                return refused;
            }
        }
        AcquireProcessor processor = cost == 1 ? target.unitCost : new AcquireProcessor(policy, cost, clock);
        long sent = send();
        Decision decision = Decision.decode(target.cache.invoke(key, processor));
        answered(sent);
        if (refusing != null && !decision.allowed()) {
            if (refusing.size() >= MAX_REFUSING) {
                refusing.clear(); // keys refused once and never called again: the hot ones come back at their next refusal
            }
            refusing.add(key);
        }
        return decision;
    }

    /**
     * The refusal of the call as the counter stands, or {@code null} to run the entry processor. Exact, not a memory:
     * the state is the stored one at the moment of the read, and a refusal writes nothing, so the processor run at
     * that moment would have answered the same (a refund or removal since is in what was read).
     */
    private Decision refusedAsRead(Cache<String, long[]> cache, Policy policy, String key, long cost) {
        Policy.Transition transition = policy.acquire(cache.get(key), clock.currentTimeMillis(), cost);
        if (!transition.decision().allowed() && transition.next() == null) {
            return transition.decision();
        }
        refusing.remove(key);
        return null;
    }

    @Override
    public long[] grant(Policy policy, String key, long cost, long want, int holder) {
        long sent = send();
        long[] granted = cache(policy).invoke(key, new LeaseProcessor(policy, cost, want, holder, clock));
        answered(sent);
        return granted;
    }

    @Override
    public void giveBack(Policy policy, String key, long units, Decision granted) {
        refund(policy, key, units, granted);
    }

    /** Takes back a call that {@code charged} admitted for {@code key}: its request was refused by another limit. */
    public void refund(Policy policy, String key, long cost, Decision charged) {
        long sent = send();
        cache(policy).invoke(key, new RefundProcessor(policy, cost, charged));
        answered(sent);
    }

    /** Counts an operation sent to the cache; returns when it was sent, if it is timed. */
    private long send() {
        invokes.increment();
        return roundTrips == null ? 0 : System.nanoTime();
    }

    /** The operation sent at {@code sent} was answered. */
    private void answered(long sent) {
        if (roundTrips != null) {
            roundTrips.accept(System.nanoTime() - sent);
        }
    }

    /** Keys hinted as refusing: for tests. */
    int refusingKeys() {
        return refusing == null ? 0 : refusing.size();
    }

    /** How many entry processors this store has sent (each a round trip on a distributed store). */
    public long invokes() {
        return invokes.sum();
    }

    /** Creates (or finds) the cache the policy's counters live in and returns its name; used at startup. */
    public String prepare(Policy policy) {
        return cache(policy).getName();
    }

    /**
     * The state of {@code key}'s counter as a call of {@code cost} would find it, counting nothing: when the call would
     * pass, the units left before it; else its refusal, with the time until it could pass.
     */
    public Decision peek(Policy policy, String key, long cost) {
        long sent = send();
        long[] state = cache(policy).get(key);
        answered(sent);
        long now = clock.currentTimeMillis();
        Decision next = policy.acquire(state, now, cost).decision();
        return next.allowed() ? policy.acquire(state, now, 0).decision() : next;
    }

    /** Removes one counter. */
    public void remove(Policy policy, String key) {
        invokes.increment();
        cache(policy).remove(key);
    }

    /** Removes every counter of {@code policy} whose key starts with {@code prefix}: a scan of its cache. */
    public void removeAll(Policy policy, String prefix) {
        Cache<String, long[]> cache = cache(policy);
        Set<String> keys = new HashSet<>();
        for (Cache.Entry<String, long[]> entry : cache) {
            if (entry.getKey().startsWith(prefix)) {
                keys.add(entry.getKey());
            }
        }
        invokes.increment();
        cache.removeAll(keys);
    }

    /** Removes every counter of this store. */
    public void clear() {
        caches.values().forEach(Cache::clear);
    }

    private Cache<String, long[]> cache(Policy policy) {
        return target(policy).cache;
    }

    private Target target(Policy policy) {
        Target target = byPolicy.get(policy);
        if (target == null) {
            target = new Target(caches.computeIfAbsent(policy.retentionSeconds(), this::openCache),
                    new AcquireProcessor(policy, 1, clock));
            byPolicy.put(policy, target);
        }
        return target;
    }

    /** Where a policy's counters live, and its processor for the usual cost of 1 (immutable, so shared). */
    private record Target(Cache<String, long[]> cache, AcquireProcessor unitCost) {
    }

    private Cache<String, long[]> openCache(long retentionSeconds) {
        String name = baseName + "-" + retentionSeconds + "s";
        Cache<String, long[]> cache = manager.getCache(name);
        if (cache != null) {
            return cache;
        }
        try {
            cache = manager.createCache(name, CacheConfigurations.forCounters(manager, retentionSeconds, maxEntries));
            LOG.fine(() -> "Created cache " + name);
            return cache;
        } catch (CacheException raced) {
            // Created meanwhile by another thread or cluster member.
            cache = manager.getCache(name);
            if (cache == null) {
                throw raced;
            }
            return cache;
        }
    }
}
