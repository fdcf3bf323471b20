package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.FakeClock;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;

import java.time.Duration;
import java.util.UUID;

import javax.cache.CacheManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a node spends and gives back leases, over real counters (the bundled Ehcache), counting the round trips a
 * distributed store would have made.
 */
class LeasesTest {

    private static CacheManager manager;
    private final FakeClock clock = new FakeClock();
    private CounterStore store;
    private Counting ledger;

    @BeforeAll
    static void open() {
        manager = CacheManagers.open("ehcache", null, () -> null, LeasesTest.class.getClassLoader());
    }

    @AfterAll
    static void close() {
        manager.getCachingProvider().close();
    }

    @BeforeEach
    void freshStore() {
        store = new CounterStore(manager, "leases-" + UUID.randomUUID(), clock, 100_000);
        ledger = new Counting(store);
    }

    @Test
    void aHotKeyCostsARoundTripPerLeaseAndEveryAnswerTellsWhatIsLeft() {
        Leases node = new Leases(ledger, clock, 0);
        Policy policy = policy("10000 per minute");
        for (int i = 0; i < 5_000; i++) {
            Decision decision = call(node, policy, "hot");
            assertTrue(decision.allowed());
            assertEquals(10_000 - i - 1, decision.remaining(0), "call " + i);
            clock.advanceMillis(i % 10 == 0 ? 1 : 0);
        }
        // Leases of 1, 4, 16, 64, then 1 % of the quota: about 55 round trips for 5,000 calls.
        assertTrue(ledger.calls <= 60, ledger.calls + " round trips");
    }

    @Test
    void aQuotaUnder200IsCountedOneCallPerRoundTrip() {
        Leases node = new Leases(ledger, clock, 0);
        Policy policy = policy("150 per minute");
        for (int i = 0; i < 150; i++) {
            assertTrue(call(node, policy, "small").allowed());
        }
        assertEquals(150, ledger.calls);
    }

    @Test
    void aRefusalIsRememberedForASecondAtMostWithItsWaitShortened() {
        Leases node = new Leases(ledger, clock, 0);
        Policy policy = policy("2 per minute");
        call(node, policy, "k");
        call(node, policy, "k");
        Decision refused = call(node, policy, "k");
        assertFalse(refused.allowed());
        int calls = ledger.calls;
        clock.advanceMillis(400);
        Decision remembered = call(node, policy, "k");
        assertFalse(remembered.allowed());
        assertEquals(calls, ledger.calls, "remembered, not asked again");
        assertEquals(refused.retryAfterMillis(0) - 400, remembered.retryAfterMillis(0));
        clock.advanceMillis(600);
        assertFalse(call(node, policy, "k").allowed());
        assertEquals(calls + 1, ledger.calls, "asked again after a second");
    }

    @Test
    void permitsUnusedForHalfASecondGoBackToOtherNodes() {
        Leases first = new Leases(ledger, clock, 1);
        Policy policy = policy("1000 per minute");
        for (int i = 0; i < 30; i++) {
            call(first, policy, "k");
        }
        Decision exact = store.acquire(policy, "k", 1);
        assertTrue(exact.remaining(0) < 1000 - 30 - 1, "the node holds units beyond those it spent");
        clock.advanceMillis(Leases.IDLE_MILLIS);
        first.sweep();
        assertEquals(0, first.size());
        assertEquals(1000 - 30 - 2, store.acquire(policy, "k", 1).remaining(0), "exactly what it spent stays counted");
    }

    @Test
    void aLeaseIsNeverSpentInTheNextWindow() {
        Leases node = new Leases(ledger, clock, 0);
        Policy policy = policy("1000 per minute");
        for (int i = 0; i < 30; i++) {
            call(node, policy, "k");
        }
        assertNotNull(node.local("k", 1), "a lease with units left");
        clock.advance(Duration.ofSeconds(60));
        assertNull(node.local("k", 1), "the window it was counted in has ended");
        Decision fresh = call(node, policy, "k");
        assertEquals(999, fresh.remaining(0), "counted in the new window, which starts full");
    }

    @Test
    void aCallTakenBackReturnsToTheLease() {
        Leases node = new Leases(ledger, clock, 0);
        Policy policy = policy("1000 per minute");
        Decision last = null;
        for (int i = 0; i < 30; i++) {
            last = call(node, policy, "k");
        }
        int calls = ledger.calls;
        assertTrue(node.refund(policy, "k", 1, last));
        assertEquals(1000 - 29 - 1, call(node, policy, "k").remaining(0));
        assertEquals(calls, ledger.calls);
    }

    @Test
    void aKeyFloodDoesNotGrowTheTable() {
        Leases node = new Leases(ledger, clock, 0);
        Policy policy = policy("1000 per minute");
        for (int i = 0; i < Leases.MAX_KEYS + 5_000; i++) {
            assertTrue(call(node, policy, "flood-" + i).allowed());
        }
        assertEquals(Leases.MAX_KEYS, node.size());
        clock.advanceMillis(Leases.IDLE_MILLIS);
        node.sweep();
        assertEquals(0, node.size());
    }

    @Test
    void aTokenBucketAndSeveralLimitsAreNeverLeased() {
        Leases node = new Leases(ledger, clock, 0);
        for (Policy policy : new Policy[] {new Policy(Algorithm.TOKEN_BUCKET, LimitExpression.parse("10000 per minute")),
                policy("10000 per minute; 100000 per hour")}) {
            int before = ledger.calls;
            for (int i = 0; i < 100; i++) {
                assertTrue(call(node, policy, "k-" + policy.signature()).allowed());
            }
            assertEquals(before + 100, ledger.calls, policy.signature());
        }
    }

    private static Decision call(Leases node, Policy policy, String key) {
        Decision local = node.local(key, 1);
        return local != null ? local : node.acquire(policy, key, 1);
    }

    private static Policy policy(String limits) {
        return new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse(limits));
    }

    /** The store, counting the round trips made to it. */
    private static final class Counting implements Leases.Ledger {

        private final CounterStore store;
        int calls;

        Counting(CounterStore store) {
            this.store = store;
        }

        @Override
        public long[] grant(Policy policy, String key, long cost, long want, int holder) {
            calls++;
            return store.grant(policy, key, cost, want, holder);
        }

        @Override
        public void giveBack(Policy policy, String key, long units, Decision granted) {
            calls++;
            store.giveBack(policy, key, units, granted);
        }
    }
}
