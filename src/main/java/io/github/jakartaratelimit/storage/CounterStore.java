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
import javax.cache.processor.EntryProcessor;

/**
 * Counters in a JCache. Every check-and-count is one {@link Cache#invoke} of an entry processor, atomic
 * on every conforming provider and evaluated where the key lives. Entries expire once their longest window
 * has passed since their last update, so there is one cache per retention time, named
 * {@code <base>-<seconds>s}, bounded in size; a cache of that name that already exists (configured by the
 * operator) is used as it is.
 */
public final class CounterStore implements Leases.Ledger {

    private static final Logger LOG = Logger.getLogger(CounterStore.class.getName());
    /** Most refused counters kept at once: a flood of callers cannot grow them beyond it. */
    static final int MAX_REFUSED = 10_000;

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
     * On the in-process store, the counters whose last call was refused, by key: their next calls are decided on the
     * state kept here first, and a refusal that changes nothing is answered from it, without the entry processor and
     * its lock. Exact: it is the stored state, kept in step under the entry's lock by every processor of this store
     * (a refusal puts it, anything else removes it) and removed after a removal; so it takes this store to be the
     * only writer of its in-process caches, as the limiter's one store per application is. Bounded; {@code null}
     * elsewhere, where processors run on other members and leases remember refusals.
     */
    private final Map<String, long[]> refused;
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
        this.refused = inProcess ? new ConcurrentHashMap<>() : null;
        this.roundTrips = inProcess ? null : roundTrips;
    }

    /** Checks and counts one call of {@code cost} units against {@code policy} for the counter {@code key}. */
    public Decision acquire(Policy policy, String key, long cost) {
        Target target = target(policy);
        AcquireProcessor processor = cost == 1 ? target.unitCost : new AcquireProcessor(policy, cost, clock);
        if (refused != null) {
            return acquireInProcess(target.cache, processor, policy, key, cost);
        }
        long sent = send();
        Decision decision = Decision.decode(target.cache.invoke(key, processor));
        answered(sent);
        return decision;
    }

    /**
     * A caller refused last time is decided on the state kept from that refusal: if the call is refused again and
     * nothing is written, that is the answer the processor would give now (the kept state is the stored one, and time
     * is taken now); otherwise the processor decides, and keeps or forgets the state.
     */
    private Decision acquireInProcess(Cache<String, long[]> cache, AcquireProcessor processor, Policy policy,
                                      String key, long cost) {
        long[] state = refused.get(key);
        if (state != null) {
            Policy.Transition again = policy.acquire(state, clock.currentTimeMillis(), cost);
            if (!again.decision().allowed() && again.next() == null) {
                return again.decision();
            }
        }
        invokes.increment();
        return cache.invoke(key, (entry, arguments) -> {
            long[] before = entry.getValue();
            Policy.Transition transition = processor.apply(entry);
            if (!transition.decision().allowed() && transition.next() == null && before != null) {
                if (refused.size() >= MAX_REFUSED) {
                    refused.clear(); // keys refused once and never called again: the hot ones come back at their next refusal
                }
                refused.put(key, before);
            } else {
                refused.remove(key);
            }
            return transition.decision();
        });
    }

    @Override
    public long[] grant(Policy policy, String key, long cost, long want, int holder) {
        long sent = send();
        long[] granted = invoke(cache(policy), key, new LeaseProcessor(policy, cost, want, holder, clock));
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
        invoke(cache(policy), key, new RefundProcessor(policy, cost, charged));
        answered(sent);
    }

    /** Runs a processor that may write; on the in-process store, the key's kept refusal is forgotten under its lock. */
    private <T> T invoke(Cache<String, long[]> cache, String key, EntryProcessor<String, long[], T> processor) {
        if (refused == null) {
            return cache.invoke(key, processor);
        }
        return cache.invoke(key, (entry, arguments) -> {
            refused.remove(key);
            return processor.process(entry, arguments);
        });
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

    /** Refused counters kept: for tests. */
    int refusedKeys() {
        return refused == null ? 0 : refused.size();
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
        forget(key);
    }

    /** After a removal: a kept refusal read meanwhile was one made before it. */
    private void forget(String key) {
        if (refused != null) {
            refused.remove(key);
        }
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
        keys.forEach(this::forget);
    }

    /** Removes every counter of this store. */
    public void clear() {
        caches.values().forEach(Cache::clear);
        if (refused != null) {
            refused.clear();
        }
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
            CacheConfigurations.prepare(manager, cache);
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
