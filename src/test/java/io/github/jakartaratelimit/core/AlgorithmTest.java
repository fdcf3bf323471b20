package io.github.jakartaratelimit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each algorithm at and beyond its limit, with exact retry-after, window roll-over and cost. */
class AlgorithmTest {

    private final FakeClock clock = new FakeClock();

    /** Applies a policy to one caller as the storage would: state kept only when the call is admitted. */
    private final class Caller {
        private final Policy policy;
        private long[] state;

        Caller(Algorithm algorithm, String limits) {
            policy = new Policy(algorithm, LimitExpression.parse(limits));
        }

        Decision call(long cost) {
            Policy.Transition transition = policy.acquire(state, clock.currentTimeMillis(), cost);
            if (transition.next() != null) {
                state = transition.next();
            }
            return transition.decision();
        }

        Decision call() {
            return call(1);
        }

        void admit(int calls) {
            for (int i = 0; i < calls; i++) {
                assertTrue(call().allowed(), "call " + (i + 1) + " of " + calls);
            }
        }
    }

    @Nested
    class FixedWindow {

        @Test
        void admitsExactlyTheQuotaThenRejectsUntilTheWindowEnds() {
            Caller caller = new Caller(Algorithm.FIXED_WINDOW, "5 per minute");
            for (int i = 4; i >= 0; i--) {
                Decision decision = caller.call();
                assertTrue(decision.allowed());
                assertEquals(i, decision.remaining(0));
                assertEquals(60_000, decision.resetMillis(0));
            }
            clock.advance(Duration.ofSeconds(18));
            Decision rejected = caller.call();
            assertFalse(rejected.allowed());
            assertEquals(0, rejected.remaining(0));
            assertEquals(42_000, rejected.retryAfterMillis(0));
            assertEquals(42_000, rejected.resetMillis(0));

            clock.advanceMillis(41_999);
            assertEquals(1, caller.call().retryAfterMillis(0));
            clock.advanceMillis(1);
            Decision renewed = caller.call();
            assertTrue(renewed.allowed());
            assertEquals(4, renewed.remaining(0));
            assertEquals(60_000, renewed.resetMillis(0));
        }

        @Test
        void costConsumesSeveralUnitsAndARejectedCostConsumesNothing() {
            Caller caller = new Caller(Algorithm.FIXED_WINDOW, "5 per minute");
            assertEquals(3, caller.call(2).remaining(0));
            assertEquals(1, caller.call(2).remaining(0));
            Decision tooExpensive = caller.call(2);
            assertFalse(tooExpensive.allowed());
            assertEquals(1, tooExpensive.remaining(0));
            assertEquals(60_000, tooExpensive.retryAfterMillis(0));
            assertTrue(caller.call(1).allowed());
            assertFalse(caller.call(1).allowed());
        }

        @Test
        void aWindowLongPastStartsAfresh() {
            Caller caller = new Caller(Algorithm.FIXED_WINDOW, "2 per second");
            caller.admit(2);
            clock.advance(Duration.ofDays(3));
            caller.admit(2);
            assertFalse(caller.call().allowed());
        }
    }

    @Nested
    class SlidingWindow {

        @Test
        void weighsThePreviousWindowByItsOverlap() {
            Caller caller = new Caller(Algorithm.SLIDING_WINDOW, "10 per minute");
            caller.admit(10);
            Decision rejected = caller.call();
            assertFalse(rejected.allowed());
            // The 10 calls become the previous window at 60 s, then must slide out to 9 of 10: 6 s further.
            assertEquals(66_000, rejected.retryAfterMillis(0));

            clock.advance(Duration.ofSeconds(60));
            assertEquals(6_000, caller.call().retryAfterMillis(0));
            clock.advanceMillis(5_999);
            assertEquals(1, caller.call().retryAfterMillis(0));
            clock.advanceMillis(1);
            Decision admitted = caller.call();
            assertTrue(admitted.allowed());
            assertEquals(0, admitted.remaining(0));
            assertFalse(caller.call().allowed());
        }

        @Test
        void halfwayThroughTheNextWindowHalfThePreviousCountStillCounts() {
            Caller caller = new Caller(Algorithm.SLIDING_WINDOW, "10 per minute");
            caller.admit(10);
            clock.advance(Duration.ofSeconds(90));
            caller.admit(5);
            Decision rejected = caller.call();
            assertFalse(rejected.allowed());
            // 10 × (30/60) + 5 = 10: one more needs the previous weight to drop below 5, i.e. 6 s more.
            assertEquals(6_000, rejected.retryAfterMillis(0));
        }

        @Test
        void twoWindowsLaterNothingOfThePastCounts() {
            Caller caller = new Caller(Algorithm.SLIDING_WINDOW, "3 per second");
            caller.admit(3);
            clock.advance(Duration.ofSeconds(2));
            caller.admit(3);
            assertFalse(caller.call().allowed());
        }

        @Test
        void costAboveWhatIsLeftWaitsForEnoughWeightToSlideOut() {
            Caller caller = new Caller(Algorithm.SLIDING_WINDOW, "4 per 10 seconds");
            caller.admit(4);
            Decision rejected = caller.call(2);
            assertFalse(rejected.allowed());
            // Next window, then 4 × (10 - e)/10 + 2 <= 4 from e = 5 s.
            assertEquals(15_000, rejected.retryAfterMillis(0));
            clock.advanceMillis(14_999);
            assertFalse(caller.call(2).allowed());
            clock.advanceMillis(1);
            assertTrue(caller.call(2).allowed());
        }
    }

    @Nested
    class TokenBucket {

        @Test
        void burstsUpToTheQuotaThenRefillsSteadily() {
            Caller caller = new Caller(Algorithm.TOKEN_BUCKET, "10 per 10 seconds");
            Decision first = caller.call();
            assertEquals(9, first.remaining(0));
            assertEquals(1_000, first.resetMillis(0));
            caller.admit(9);
            Decision rejected = caller.call();
            assertFalse(rejected.allowed());
            assertEquals(1_000, rejected.retryAfterMillis(0));

            clock.advanceMillis(999);
            assertEquals(1, caller.call().retryAfterMillis(0));
            clock.advanceMillis(1);
            assertTrue(caller.call().allowed());
            assertFalse(caller.call().allowed());
            clock.advance(Duration.ofSeconds(5));
            caller.admit(5);
            assertFalse(caller.call().allowed());
        }

        @Test
        void keepsFractionalTokensExactly() {
            Caller caller = new Caller(Algorithm.TOKEN_BUCKET, "3 per second");
            caller.admit(3);
            Decision rejected = caller.call();
            assertEquals(334, rejected.retryAfterMillis(0)); // one token every 333⅓ ms
            clock.advanceMillis(333);
            assertFalse(caller.call().allowed());
            clock.advanceMillis(1);
            assertTrue(caller.call().allowed());
            clock.advanceMillis(333); // 1002 + 999 token-ms since empty: one more token, not two
            assertTrue(caller.call().allowed());
            assertFalse(caller.call().allowed());
        }

        @Test
        void neverHoldsMoreThanTheQuota() {
            Caller caller = new Caller(Algorithm.TOKEN_BUCKET, "4 per minute");
            caller.admit(1);
            clock.advance(Duration.ofHours(5));
            caller.admit(4);
            assertFalse(caller.call().allowed());
        }

        @Test
        void costWaitsForAllItsTokens() {
            Caller caller = new Caller(Algorithm.TOKEN_BUCKET, "6 per minute");
            assertTrue(caller.call(5).allowed());
            Decision rejected = caller.call(3);
            assertFalse(rejected.allowed());
            assertEquals(1, rejected.remaining(0));
            assertEquals(20_000, rejected.retryAfterMillis(0)); // two more tokens at one per 10 s
        }
    }

    @Test
    void severalLimitsAllApplyAndARejectionConsumesNoneOfThem() {
        for (Algorithm algorithm : Algorithm.values()) {
            Caller caller = new Caller(algorithm, "2/second;3/minute");
            caller.admit(2);
            Decision perSecond = caller.call();
            assertFalse(perSecond.allowed(), algorithm.name());
            assertFalse(perSecond.allowed(0));
            assertTrue(perSecond.allowed(1));
            assertEquals(1, perSecond.remaining(1), algorithm + ": the rejected call must not count per minute");

            clock.advance(Duration.ofSeconds(2));
            assertTrue(caller.call().allowed(), algorithm.name());
            Decision perMinute = caller.call();
            assertFalse(perMinute.allowed(), algorithm.name());
            assertTrue(perMinute.allowed(0));
            assertFalse(perMinute.allowed(1));
            clock.advance(Duration.ofMinutes(2));
        }
    }

    @Test
    void aClockSteppedBackNeitherLocksCallersOutNorUnderstatesTheWait() {
        for (Algorithm algorithm : Algorithm.values()) {
            Caller caller = new Caller(algorithm, "2 per 10 seconds");
            clock.advance(Duration.ofHours(1));
            caller.admit(2);
            clock.advance(Duration.ofHours(-1)); // an NTP step, or a key moving to a member whose clock lags
            Decision rejected = caller.call();
            assertFalse(rejected.allowed(), algorithm.name());
            long wait = rejected.retryAfterMillis(0);
            assertTrue(wait > 0 && wait <= 20_000, algorithm + " asks to wait " + wait + " ms");
            clock.advanceMillis(wait - 1);
            assertFalse(caller.call().allowed(), algorithm + ": admitted before the announced wait");
            clock.advanceMillis(1);
            assertTrue(caller.call().allowed(), algorithm + ": still rejected after the announced wait");
            clock.advance(Duration.ofMinutes(1));
        }
    }

    /**
     * Two to four nodes up to a second apart take turns on one counter in random order: every algorithm stays within
     * its bound over the time that passed, counting the nodes' disagreement as time too.
     */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void nodesWithSkewedClocksStayWithinTheBound(Algorithm algorithm) {
        Random random = new Random(20261128L + algorithm.ordinal());
        for (int scenario = 0; scenario < 300; scenario++) {
            SkewedClocks nodes = SkewedClocks.random(random);
            String text = SkewedClocks.LIMITS.get(random.nextInt(SkewedClocks.LIMITS.size()));
            Policy policy = new Policy(algorithm, LimitExpression.parse(text));
            Limit limit = policy.limits().get(0);
            long admitted = nodes.run(random, 2_000, SkewedClocks.stressingPause(limit), sharedCounter(policy));
            long bound = nodes.bound(algorithm, limit, nodes.elapsedMillis());
            assertTrue(admitted <= bound, algorithm + ", " + text + ", scenario " + scenario + ": admitted " + admitted
                    + " > " + bound);
        }
    }

    /**
     * The case a review modelled line by line: two servers 10 or 20 ms apart alternating one request per millisecond
     * for 10 s under "100 per second". When a lagging node re-dated the bucket, each alternation refilled tokens that
     * never existed: 5,598 and then all 10,000 requests were admitted against a bound of about 1,100.
     */
    @ParameterizedTest
    @ValueSource(longs = {10, 20, 1000})
    void twoServersAlternatingOnOneBucketGainNothingFromTheirSkew(long skew) {
        SkewedClocks nodes = new SkewedClocks(0, skew);
        Policy policy = new Policy(Algorithm.TOKEN_BUCKET, LimitExpression.parse("100 per second"));
        long admitted = nodes.alternate(10_000, 1, sharedCounter(policy));
        long bound = nodes.bound(Algorithm.TOKEN_BUCKET, policy.limits().get(0), nodes.elapsedMillis());
        assertTrue(admitted <= bound, "admitted " + admitted + " > " + bound);
        assertTrue(admitted >= 1_000, "admitted only " + admitted + ": the bucket must still refill");
    }

    /** One counter that every node updates, as one store entry is. */
    private static ToLongFunction<TimeSource> sharedCounter(Policy policy) {
        long[][] state = {null};
        return node -> {
            Policy.Transition transition = policy.acquire(state[0], node.currentTimeMillis(), 1);
            if (transition.next() != null) {
                state[0] = transition.next();
            }
            return transition.decision().allowed() ? 1 : 0;
        };
    }

    /** A state counted under a larger quota, read under a smaller one (a limit lowered while its counters live). */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aLoweredQuotaLeavesNothingRatherThanANegativeNumber(Algorithm algorithm) {
        Policy large = new Policy(algorithm, LimitExpression.parse("10 per minute"));
        Policy small = new Policy(algorithm, LimitExpression.parse("3 per minute"));
        long[] state = null;
        for (int i = 0; i < 8; i++) {
            state = large.acquire(state, clock.currentTimeMillis(), 1).next();
        }
        Decision decision = small.acquire(state, clock.currentTimeMillis(), 1).decision();
        long remaining = decision.remaining(0);
        assertTrue(remaining >= 0 && remaining <= 3, algorithm + " reports " + remaining + " left of 3");
        // The windows counted 8 of a quota now 3; the bucket holds 2 tokens, within the new quota.
        assertEquals(algorithm == Algorithm.TOKEN_BUCKET, decision.allowed(), algorithm.name());
    }

    /** A call refused by another limit of its request is taken back: exactly its cost, from where it was counted. */
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aRefundTakesBackExactlyTheCallItRefunds(Algorithm algorithm) {
        Policy policy = new Policy(algorithm, LimitExpression.parse("3 per minute"));
        long[] state = null;
        Policy.Transition first = policy.acquire(state, clock.currentTimeMillis(), 1);
        state = first.next();
        for (int i = 0; i < 2; i++) {
            state = policy.acquire(state, clock.currentTimeMillis(), 1).next();
        }
        assertFalse(policy.acquire(state, clock.currentTimeMillis(), 1).decision().allowed(), algorithm.name());
        state = policy.refund(state, first.decision(), 1);
        Policy.Transition again = policy.acquire(state, clock.currentTimeMillis(), 1);
        assertTrue(again.decision().allowed(), algorithm + ": the refunded unit is back");
        assertEquals(0, again.decision().remaining(0), algorithm + ": and only that one");
        assertFalse(policy.acquire(again.next(), clock.currentTimeMillis(), 1).decision().allowed(), algorithm.name());
    }

    /** A window that has ended took its counts with it: a late refund gives nothing of the new window away. */
    @Test
    void aRefundAfterTheWindowEndedGivesNothingAway() {
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("2 per minute"));
        Policy.Transition charged = policy.acquire(null, clock.currentTimeMillis(), 1);
        clock.advance(Duration.ofMinutes(1));
        long[] state = policy.acquire(charged.next(), clock.currentTimeMillis(), 1).next();
        state = policy.acquire(state, clock.currentTimeMillis(), 1).next();
        assertEquals(null, policy.refund(state, charged.decision(), 1), "nothing of the new window is taken back");
    }

    /** In the sliding window a call counted in what is now the previous window is taken from that one. */
    @Test
    void aSlidingWindowRefundsTheWindowTheCallWasCountedIn() {
        Policy policy = new Policy(Algorithm.SLIDING_WINDOW, LimitExpression.parse("4 per minute"));
        Policy.Transition charged = policy.acquire(null, clock.currentTimeMillis(), 1);
        long[] state = charged.next();
        for (int i = 0; i < 3; i++) {
            state = policy.acquire(state, clock.currentTimeMillis(), 1).next();
        }
        clock.advance(Duration.ofSeconds(90));
        state = policy.acquire(state, clock.currentTimeMillis(), 1).next(); // moves the state into the next window
        long[] refunded = policy.refund(state, charged.decision(), 1);
        // The state is [window start, current count, previous count].
        assertEquals(state[1], refunded[1], "the current window keeps its call");
        assertEquals(state[2] - 1, refunded[2], "the previous window, where the call was counted, gives it back");
    }

    @Test
    void theSlidingWindowAnnouncesTheQuotaBackOnlyWhenItIs() {
        Caller caller = new Caller(Algorithm.SLIDING_WINDOW, "10 per minute");
        caller.admit(9);
        Decision last = caller.call();
        assertEquals(0, last.remaining(0));
        assertEquals(120_000, last.resetMillis(0));
        clock.advanceMillis(119_999);
        assertFalse(caller.call(10).allowed());
        clock.advanceMillis(1);
        assertTrue(caller.call(10).allowed());
    }

    @Test
    void aLimitThatDidNotCountARejectedCallReportsItsOwnState() {
        Caller caller = new Caller(Algorithm.TOKEN_BUCKET, "1/s;10/10s");
        caller.admit(1);
        Decision rejected = caller.call();
        assertFalse(rejected.allowed());
        assertEquals(9, rejected.remaining(1));
        assertEquals(1_000, rejected.resetMillis(1), "one token missing, refilled at one per second");
        assertEquals(0, rejected.retryAfterMillis(1));
    }

    @Test
    void statesAreSmallAndRetainedOnlyAsLongAsTheyMatter() {
        assertEquals(60, new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("1/minute")).retentionSeconds());
        assertEquals(120, new Policy(Algorithm.SLIDING_WINDOW, LimitExpression.parse("1/minute")).retentionSeconds());
        assertEquals(3600, new Policy(Algorithm.TOKEN_BUCKET, LimitExpression.parse("1/s;5/hour")).retentionSeconds());
    }
}
