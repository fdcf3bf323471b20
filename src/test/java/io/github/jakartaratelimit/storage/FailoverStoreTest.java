package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.FakeClock;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.CacheManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The breaker against a store that fails on demand ({@link FaultyStore}: a real Ehcache, the whole store down, or
 * one key slow under a lock per key). Its waits run on the fake clock; only the bounded calls take real time.
 */
class FailoverStoreTest {

    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private final FakeClock clock = new FakeClock();
    private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private final Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("3 per hour"));
    private final List<ExecutorService> pools = new ArrayList<>();
    private CacheManager ehcache;
    private CacheManager localManager;
    private FaultyStore faulty;

    @BeforeEach
    void openStores() {
        ehcache = CacheManagers.open("ehcache", null, () -> null, getClass().getClassLoader());
        localManager = CacheManagers.open("ehcache", null, () -> null, getClass().getClassLoader());
        faulty = new FaultyStore(ehcache);
    }

    @AfterEach
    void closeStores() {
        pools.forEach(ExecutorService::shutdownNow);
        CacheManagers.close(ehcache);
        CacheManagers.close(localManager);
    }

    private ExecutorService pool(int threads) {
        ExecutorService pool = new ThreadPoolExecutor(0, threads, 10, TimeUnit.SECONDS, new SynchronousQueue<>());
        pools.add(pool);
        return pool;
    }

    private FailoverStore store(boolean withLocal, ExecutorService calls) {
        CounterStore shared = new CounterStore(faulty.manager(), "shared-" + UUID.randomUUID(), clock, 10_000);
        shared.prepare(policy);
        CounterStore local = withLocal ? new CounterStore(localManager, "local-" + UUID.randomUUID(), clock, 10_000) : null;
        FailoverStore store = new FailoverStore(local, pool(2), TIMEOUT, clock, failures::add);
        store.connect(shared, calls);
        return store;
    }

    @Test
    void untilTheStoreIsConnectedCallsGetNoDecisionAndTheStoreCountsAsDown() {
        FailoverStore store = new FailoverStore(null, pool(2), TIMEOUT, clock, failures::add);
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        store.watch(changes::add);
        store.unavailable();
        store.unavailable();
        assertNull(store.acquire(policy, "k", 1), "no decision: the caller applies allow or deny");
        assertTrue(store.down());
        assertEquals(Duration.ofSeconds(1), store.untilProbe());
        store.connect(new CounterStore(ehcache, "late-" + UUID.randomUUID(), clock, 10_000), null);
        assertFalse(store.down());
        assertEquals(2, store.acquire(policy, "k", 1).remaining(0));
        assertTrue(failures.isEmpty(), "waiting for the store is not a failure of it");
        assertEquals(List.of(false, true), changes, "unavailable at startup, once, then connected");
    }

    /**
     * Units a node leased are counted in the shared store already: they stay good while the store is down, a call its
     * request refused goes back into the lease, and the statistics tell the round trips from the local decisions.
     */
    @Test
    void leasedUnitsAreSpentThroughAnOutageAndCallsTakenBackReturnToTheLease() {
        Policy hot = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("1000 per hour"));
        CounterStore shared = new CounterStore(faulty.manager(), "leased-" + UUID.randomUUID(), clock, 10_000);
        FailoverStore store = new FailoverStore(null, pool(2), TIMEOUT, clock, failures::add);
        store.connect(shared, pool(8), true);
        assertTrue(store.leasing());
        Decision last = null;
        for (int i = 0; i < 10; i++) { // leases of 1, 4, then 10 (1 % of the quota)
            last = store.acquire(hot, "k", 1);
            assertEquals(1000 - i - 1, last.remaining(0));
        }
        long invokes = store.sharedInvokes();
        assertTrue(invokes <= 3 && store.localDecisions() >= 7, invokes + " round trips, " + store.localDecisions() + " local");

        faulty.down = true;
        for (int i = 0; i < FailoverStore.MINIMUM_FAILURES; i++) {
            assertNull(store.acquire(policy, "other-" + i, 1));
        }
        assertTrue(store.down());
        Decision duringOutage = store.acquire(hot, "k", 1);
        assertNotNull(duringOutage, "a unit leased before the outage");
        assertTrue(duringOutage.allowed());

        store.refund(hot, "k", 1, duringOutage);
        assertEquals(duringOutage.remaining(0), store.acquire(hot, "k", 1).remaining(0), "the unit went back into the lease");
    }

    @Test
    void oneFailureLeavesTheBreakerClosedAnOutageOpensItAndAProbeClosesIt() throws Exception {
        FailoverStore store = store(false, pool(8));
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        store.watch(changes::add);
        assertTrue(store.acquire(policy, "k", 1).allowed());

        faulty.down = true;
        assertNull(store.acquire(policy, "k", 1), "no decision: the caller applies allow or deny");
        assertFalse(store.down(), "one failure is not an outage");
        for (int i = 1; i < FailoverStore.MINIMUM_FAILURES; i++) {
            assertNull(store.acquire(policy, "k", 1));
        }
        assertTrue(store.down(), "a failure rate is");
        assertEquals(List.of(false), changes, "announced once, when the breaker opened");
        assertEquals(FailoverStore.MINIMUM_FAILURES, failures.size());
        assertEquals(Duration.ofSeconds(1), store.untilProbe());
        assertNull(store.acquire(policy, "k", 1));
        assertEquals(FailoverStore.MINIMUM_FAILURES, failures.size(), "while open, calls never reach the store");

        clock.advance(Duration.ofSeconds(1));
        assertNull(store.acquire(policy, "k", 1), "a call never waits for the probe it starts");
        awaitProbe(store);
        assertTrue(store.down());
        assertEquals(Duration.ofSeconds(2), store.untilProbe(), "the wait doubles after a failed probe");

        faulty.down = false;
        clock.advance(Duration.ofSeconds(2));
        store.acquire(policy, "k", 1);
        awaitProbe(store);
        assertFalse(store.down(), "a probe that succeeds closes the breaker");
        assertEquals(List.of(false, true), changes, "failed probes announce nothing; the one that succeeds does");
        Decision back = store.acquire(policy, "k", 1);
        assertEquals(1, back.remaining(0), "the user's counter holds the one call counted before the outage and this "
                + "one: the probes counted on a key of their own");
    }

    @Test
    void oneClientFloodingItsOwnKeyOnASlowStoreKeepsEveryOtherCallersLimitEnforced() throws Exception {
        FailoverStore store = store(false, pool(64));
        faulty.stuckKey = "flood"; // its calls wait, far longer than the timeout, until the test releases them
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger busy = new AtomicInteger();
        CountDownLatch refused = new CountDownLatch(1);
        ExecutorService flooders = Executors.newFixedThreadPool(12);
        pools.add(flooders);
        List<Future<?>> running = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(12);
        for (int t = 0; t < 12; t++) {
            running.add(flooders.submit(() -> {
                started.countDown();
                while (flooding.get()) {
                    if (store.acquire(policy, "flood", 1) == FailoverStore.BUSY) {
                        busy.incrementAndGet();
                        refused.countDown();
                    }
                }
                return null;
            }));
        }
        started.await();
        assertTrue(refused.await(30, TimeUnit.SECONDS), "the flood's calls queued past the timeout on their key");
        int admitted = 0;
        for (int call = 0; call < 20; call++) {
            Decision decision = store.acquire(policy, "alice", 1);
            assertNotNull(decision, "call " + (call + 1) + " of another caller got no decision: the breaker opened");
            assertNotSame(FailoverStore.BUSY, decision);
            admitted += decision.allowed() ? 1 : 0;
        }
        flooding.set(false);
        faulty.release();
        for (Future<?> flooder : running) {
            flooder.get(10, TimeUnit.SECONDS);
        }
        assertEquals(3, admitted, "the other caller's limit is enforced throughout");
        assertFalse(store.down(), "a key slow under its own traffic is not an outage of the store");
        assertTrue(busy.get() > 0, "the flooder's calls that timed out behind its own are refused, not let through");
    }

    @Test
    void aFullPoolAndAnInterruptedCallerAreNotOutages() throws Exception {
        FailoverStore store = store(false, pool(1));
        faulty.stuckKey = "stuck";
        Thread holder = new Thread(() -> store.acquire(policy, "stuck", 1));
        holder.start();
        faulty.awaitStuck(1); // the one storage thread is taken
        for (int i = 0; i < 2 * FailoverStore.MINIMUM_FAILURES; i++) {
            assertNull(store.acquire(policy, "k", 1), "no thread to call the store with: this call gets no decision");
        }
        holder.join();

        Thread.currentThread().interrupt(); // a request thread the server is stopping
        // On the stuck key, so that the call is still under way when the caller waits for it (a call done already
        // would be answered whatever the interrupt).
        assertNull(store.acquire(policy, "stuck", 1));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        faulty.release();
        assertFalse(store.down());
        assertTrue(failures.isEmpty(), "neither is a failure of the store: " + failures);
    }

    @Test
    void aLocalStoreCountsTheSameLimitsDuringTheOutageAndIsDroppedAfterIt() throws Exception {
        FailoverStore store = store(true, null);
        assertTrue(store.acquire(policy, "k", 1).allowed());
        faulty.down = true;
        for (int i = 0; i < FailoverStore.MINIMUM_FAILURES; i++) {
            store.acquire(policy, "warming", 1);
        }
        assertTrue(store.down());
        for (int i = 0; i < 3; i++) {
            assertTrue(store.acquire(policy, "k", 1).allowed(), "local call " + (i + 1));
        }
        assertFalse(store.acquire(policy, "k", 1).allowed(), "the local store enforces the limit");

        faulty.down = false;
        clock.advance(Duration.ofSeconds(1));
        store.acquire(policy, "k", 1);
        awaitProbe(store);
        Decision back = store.acquire(policy, "k", 1);
        assertSame(false, store.down());
        assertEquals(1, back.remaining(0), "counted in the shared store again, where one call was counted before");
    }

    private static void awaitProbe(FailoverStore store) throws Exception {
        store.lastProbe().handle((result, failure) -> null).get(10, TimeUnit.SECONDS);
    }
}
