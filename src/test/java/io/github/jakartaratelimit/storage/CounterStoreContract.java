package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.FakeClock;
import io.github.jakartaratelimit.core.Limit;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.SkewedClocks;
import io.github.jakartaratelimit.core.TimeSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javax.cache.CacheManager;
import javax.cache.Cache;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every JCache provider must do for the limiter, extended once per provider with a real engine:
 * above all, many threads hammering one key with a limit of N admit exactly N.
 */
abstract class CounterStoreContract {

    private static final int THREADS = 8;

    private final FakeClock clock = new FakeClock();
    private CounterStore store;

    /** The provider's cache manager, shared by the tests of one class. */
    abstract CacheManager cacheManager();

    @BeforeEach
    void freshStore() {
        store = new CounterStore(cacheManager(), "contract-" + UUID.randomUUID(), clock, 10_000);
    }

    @RepeatedTest(3)
    void manyThreadsOnOneKeyAdmitExactlyTheLimit() throws Exception {
        Policy policy = policy(Algorithm.FIXED_WINDOW, "500 per hour");
        assertEquals(500, hammer(policy, "hot", 8 * 200));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void everyAlgorithmIsExactUnderContention(Algorithm algorithm) throws Exception {
        assertEquals(300, hammer(policy(algorithm, "300 per hour"), "hot-" + algorithm, 1_000));
    }

    /**
     * Many threads on one key while the clock crosses a window boundary (0 to 90 s of a 60 s window): no
     * algorithm admits more than it allows in that time. Fixed window: a quota per window touched, 2N.
     * Sliding window: N + N × 30/60, since halfway through the second window the first still weighs half.
     * Token bucket: N + the 1.5 N refilled in 90 s.
     */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void noAlgorithmOverAdmitsWhileTheWindowTurns(Algorithm algorithm) throws Exception {
        Policy policy = policy(algorithm, "100 per minute");
        int bound = switch (algorithm) {
            case FIXED_WINDOW -> 200;
            case SLIDING_WINDOW -> 150;
            case TOKEN_BUCKET -> 250;
        };
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger seconds = new AtomicInteger();
        // Time moves with the traffic: one second every 26 attempts, 90 s over the 2,400 attempts.
        int admitted = hammer(policy, "turning-" + algorithm, 2_400, () -> {
            if (attempts.incrementAndGet() % 26 == 0 && seconds.incrementAndGet() <= 90) {
                clock.advance(Duration.ofSeconds(1));
            }
        });
        AtomicInteger ticks = new AtomicInteger(Math.min(90, seconds.get()));
        assertTrue(admitted >= 100, algorithm + " admitted only " + admitted);
        assertTrue(admitted <= bound, algorithm + " admitted " + admitted + " in " + ticks.get() + " s, more than " + bound);
    }

    /**
     * Two to four nodes with clocks up to a second apart take turns on one key through this store, in random order:
     * each algorithm stays within its bound (see {@link SkewedClocks#bound}). On Redis the processor runs in the
     * calling JVM, with that node's clock; on Hazelcast the clock travels with it to the key's owner.
     */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void nodesWithSkewedClocksStayWithinTheBound(Algorithm algorithm) {
        Random random = new Random(1128L + algorithm.ordinal());
        for (int scenario = 0; scenario < 4; scenario++) {
            SkewedClocks nodes = SkewedClocks.random(random);
            String text = SkewedClocks.LIMITS.get(scenario % SkewedClocks.LIMITS.size());
            Policy policy = policy(algorithm, text);
            Limit limit = policy.limits().get(0);
            Map<TimeSource, CounterStore> stores = new HashMap<>();
            String base = "skewed-" + UUID.randomUUID();
            String key = "k-" + scenario;
            long admitted = nodes.run(random, skewedSteps(), SkewedClocks.stressingPause(limit), node ->
                    stores.computeIfAbsent(node, clock -> new CounterStore(cacheManager(), base, clock, 10_000))
                            .acquire(policy, key, 1).allowed() ? 1 : 0);
            long bound = nodes.bound(algorithm, limit, nodes.elapsedMillis());
            assertTrue(admitted <= bound, algorithm + ", " + text + ": admitted " + admitted + " > " + bound);
            assertTrue(admitted >= limit.quota(), algorithm + ", " + text + ": admitted only " + admitted);
        }
    }

    /** Calls per skewed-clock scenario: fewer on stores whose every call crosses a network. */
    int skewedSteps() {
        return 1_500;
    }

    @Test
    void severalLimitsStayExactUnderContention() throws Exception {
        Policy policy = policy(Algorithm.FIXED_WINDOW, "400 per hour;250 per day");
        assertEquals(250, hammer(policy, "both", 1_000));
    }

    @Test
    void keysCountSeparately() {
        Policy policy = policy(Algorithm.FIXED_WINDOW, "2 per minute");
        for (String key : List.of("alice", "bob")) {
            assertTrue(store.acquire(policy, key, 1).allowed());
            assertTrue(store.acquire(policy, key, 1).allowed());
            assertFalse(store.acquire(policy, key, 1).allowed());
        }
    }

    @Test
    void theStoredWindowRollsOverWithTheClock() {
        Policy policy = policy(Algorithm.FIXED_WINDOW, "3 per minute");
        for (int i = 0; i < 3; i++) {
            assertTrue(store.acquire(policy, "k", 1).allowed());
        }
        clock.advance(Duration.ofSeconds(45));
        Decision rejected = store.acquire(policy, "k", 1);
        assertFalse(rejected.allowed());
        assertEquals(15_000, rejected.retryAfterMillis(0));
        clock.advance(Duration.ofSeconds(15));
        Decision renewed = store.acquire(policy, "k", 2);
        assertTrue(renewed.allowed());
        assertEquals(1, renewed.remaining(0));
    }

    /** A call its request refused elsewhere is taken back in the store, once, for every algorithm. */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aRefundTakesTheCallBackAtomically(Algorithm algorithm) {
        Policy policy = policy(algorithm, "3 per hour");
        Decision charged = store.acquire(policy, "refunded", 1);
        store.acquire(policy, "refunded", 1);
        store.acquire(policy, "refunded", 1);
        assertFalse(store.acquire(policy, "refunded", 1).allowed());
        store.refund(policy, "refunded", 1, charged);
        Decision again = store.acquire(policy, "refunded", 1);
        assertTrue(again.allowed(), algorithm.name());
        assertEquals(0, again.remaining(0));
        assertFalse(store.acquire(policy, "refunded", 1).allowed(), algorithm + ": one call back, no more");
    }

    /**
     * A caller refused again and again is told the same wait, shortened by the time that passed, until exactly the
     * moment its call passes (on the in-process store, repeated refusals are answered from a read of the counter).
     */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void repeatedRefusalsCountDownToTheMomentTheCallPasses(Algorithm algorithm) {
        Policy policy = policy(algorithm, "3 per minute");
        for (int i = 0; i < 3; i++) {
            assertTrue(store.acquire(policy, "refused", 1).allowed());
        }
        long wait = store.acquire(policy, "refused", 1).retryAfterMillis(0);
        assertTrue(wait > 0, algorithm.name());
        for (long waited = 0; waited + 7_000 < wait; ) {
            clock.advance(Duration.ofMillis(7_000));
            waited += 7_000;
            Decision again = store.acquire(policy, "refused", 1);
            assertFalse(again.allowed(), algorithm + " after " + waited + " ms");
            assertEquals(wait - waited, again.retryAfterMillis(0), algorithm + " after " + waited + " ms");
        }
        clock.advance(Duration.ofMillis(wait % 7_000 == 0 ? 7_000 : wait % 7_000));
        assertTrue(store.acquire(policy, "refused", 1).allowed(), algorithm + ": passes when it was told it would");
    }

    /**
     * Units given back while eight threads keep calling an exhausted key are each taken by exactly one of those calls:
     * no refusal misses a refund (the in-process store answers repeated refusals from a read of the counter), and no
     * unit is admitted twice.
     */
    @Test
    void everyUnitGivenBackWhileCallsAreRefusedIsTakenOnce() throws Exception {
        Policy policy = policy(Algorithm.FIXED_WINDOW, "100 per hour");
        Deque<Decision> charged = new ArrayDeque<>();
        for (int i = 0; i < 100; i++) {
            charged.push(store.acquire(policy, "given-back", 1));
        }
        assertFalse(store.acquire(policy, "given-back", 1).allowed());
        AtomicInteger admitted = new AtomicInteger();
        Semaphore taken = new Semaphore(0);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                callers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        if (store.acquire(policy, "given-back", 1).allowed()) {
                            admitted.incrementAndGet();
                            taken.release();
                        }
                    }
                }));
            }
            for (int i = 1; i <= 50; i++) {
                store.refund(policy, "given-back", 1, charged.pop());
                assertTrue(taken.tryAcquire(10, TimeUnit.SECONDS), "unit " + i + " given back was never taken");
            }
            stop.set(true);
            for (Future<?> caller : callers) {
                caller.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50, admitted.get(), "one call admitted per unit given back");
    }

    /**
     * Leases through the provider: three nodes and eight threads on one key never admit more than the limit, and once
     * the nodes give back what they did not spend, the store counts exactly what they admitted.
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"FIXED_WINDOW", "SLIDING_WINDOW"})
    void leasesNeverOverAdmitAndGiveBackWhatWasNotSpent(Algorithm algorithm) throws Exception {
        Policy policy = policy(algorithm, "1000 per hour");
        Leases[] nodes = {new Leases(store, clock, 1), new Leases(store, clock, 2), new Leases(store, clock, 3)};
        int admitted = hammer(4_000, thread -> {
            Leases node = nodes[thread % nodes.length];
            Decision local = node.local("leased", 1);
            return local != null ? local : node.acquire(policy, "leased", 1);
        });
        assertTrue(admitted <= 1000, admitted + " admitted");
        assertTrue(admitted >= 1000 - 3 * 10, admitted + " admitted: at most one lease (1 % of 1000) left per node");
        for (Leases node : nodes) {
            node.returnAll();
        }
        Decision next = store.acquire(policy, "leased", 1);
        assertEquals(admitted < 1000, next.allowed(), "the units not spent are available again");
        if (next.allowed()) {
            assertEquals(1000 - admitted - 1, next.remaining(0));
        }
    }

    /** A peek reports what the next call would meet, for every algorithm, and counts nothing. */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aPeekCountsNothing(Algorithm algorithm) {
        Policy policy = policy(algorithm, "3 per minute");
        assertEquals(3, store.peek(policy, "peeked", 1).remaining(0), "a caller never seen");
        store.acquire(policy, "peeked", 1);
        for (int i = 0; i < 3; i++) {
            Decision peeked = store.peek(policy, "peeked", 1);
            assertTrue(peeked.allowed(), algorithm.name());
            assertEquals(2, peeked.remaining(0), algorithm.name());
        }
        store.acquire(policy, "peeked", 2);
        clock.advance(Duration.ofSeconds(5));
        Decision exhausted = store.peek(policy, "peeked", 1);
        assertFalse(exhausted.allowed(), algorithm.name());
        assertEquals(store.acquire(policy, "peeked", 1).retryAfterMillis(0), exhausted.retryAfterMillis(0),
                algorithm + ": the wait a call would be told");
    }

    /** A reset forgets one key, or every key under a prefix (a policy's), and nothing else. */
    @Test
    void removalForgetsOneKeyOrAPrefix() {
        Policy policy = policy(Algorithm.FIXED_WINDOW, "1 per hour");
        for (String key : List.of("p1/alice", "p1/bob", "p1/carol", "p2/alice")) {
            assertTrue(store.acquire(policy, key, 1).allowed());
        }
        store.remove(policy, "p1/alice");
        assertTrue(store.acquire(policy, "p1/alice", 1).allowed(), "a removed key starts afresh");
        assertFalse(store.acquire(policy, "p1/bob", 1).allowed(), "other keys keep their count");
        store.removeAll(policy, "p1/");
        assertTrue(store.acquire(policy, "p1/bob", 1).allowed());
        assertTrue(store.acquire(policy, "p1/carol", 1).allowed());
        assertFalse(store.acquire(policy, "p2/alice", 1).allowed(), "another prefix keeps its count");
    }

    /**
     * The store-duration metric's source: a distributed store reports how long each operation it sent took, a lease's
     * and a refund's as a check's; the in-process store reports none (timing would cost more than its decisions).
     */
    @Test
    void eachOperationSentToADistributedStoreIsTimed() {
        List<Long> times = java.util.Collections.synchronizedList(new ArrayList<>());
        CounterStore timed = new CounterStore(cacheManager(), "timed-" + UUID.randomUUID(), clock, 10_000, times::add);
        Policy policy = policy(Algorithm.FIXED_WINDOW, "2 per minute");
        Decision first = timed.acquire(policy, "k", 1);
        timed.acquire(policy, "k", 1);
        assertFalse(timed.acquire(policy, "k", 1).allowed());
        timed.refund(policy, "k", 1, first);
        timed.peek(policy, "k", 1);
        timed.grant(policy, "leased", 1, 1, 1);
        if (CacheManagers.inProcess(cacheManager())) {
            assertEquals(List.of(), times);
        } else {
            assertEquals(6, times.size(), "one duration per operation: " + times);
            assertTrue(times.stream().allMatch(nanos -> nanos > 0), times.toString());
        }
    }

    @Test
    void aRejectedCallLeavesTheCountAsItWas() {
        Policy policy = policy(Algorithm.TOKEN_BUCKET, "5 per minute");
        assertTrue(store.acquire(policy, "k", 4).allowed());
        assertFalse(store.acquire(policy, "k", 2).allowed());
        Decision last = store.acquire(policy, "k", 1);
        assertTrue(last.allowed());
        assertEquals(0, last.remaining(0));
    }

    @Test
    void entriesExpireAfterTheirRetention() {
        Policy policy = policy(Algorithm.SLIDING_WINDOW, "3 per minute");
        String cacheName = store.prepare(policy);
        assertTrue(cacheName.endsWith("-120s"), cacheName);
        assertEquals(Duration.ofSeconds(120), expiryAfterUpdate(cacheManager().getCache(cacheName)));
    }

    @Test
    void theNumberOfCountersIsBounded() {
        CounterStore small = new CounterStore(cacheManager(), "bounded-" + UUID.randomUUID(), clock, 27_100);
        Policy policy = policy(Algorithm.FIXED_WINDOW, "1 per hour");
        for (int i = 0; i < 60_000; i++) {
            small.acquire(policy, "caller-" + i, 1);
        }
        int entries = 0;
        for (Object ignored : cacheManager().getCache(small.prepare(policy))) {
            entries++;
        }
        assertTrue(entries > 0 && entries <= 27_100 * sizeSlack(), entries + " counters kept of 60000, bound 27100");
    }

    /** How far above its configured size the provider may keep entries (Hazelcast bounds each partition approximately). */
    double sizeSlack() {
        return 1.0;
    }

    /** How long after its last update the provider keeps an entry of this cache. */
    abstract Duration expiryAfterUpdate(Cache<Object, Object> cache);

    private Policy policy(Algorithm algorithm, String limits) {
        return new Policy(algorithm, LimitExpression.parse(limits));
    }

    /** Sends {@code attempts} calls from {@value #THREADS} threads released together; returns how many were admitted. */
    private int hammer(Policy policy, String key, int attempts) throws Exception {
        return hammer(policy, key, attempts, () -> { });
    }

    private int hammer(Policy policy, String key, int attempts, Runnable afterEach) throws Exception {
        return hammer(attempts, thread -> {
            Decision decision = store.acquire(policy, key, 1);
            afterEach.run();
            return decision;
        });
    }

    /** {@code attempts} calls from {@value #THREADS} threads released together, each told its number. */
    private int hammer(int attempts, IntFunction<Decision> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attempts / THREADS; i++) {
                        Decision decision = call.apply(thread);
                        (decision.allowed() ? admitted : rejected).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            assertEquals(attempts, admitted.get() + rejected.get());
            return admitted.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
