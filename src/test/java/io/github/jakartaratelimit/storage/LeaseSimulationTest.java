package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;

import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Leases under simulated schedules: a correctness check, not a timing (see {@code benchmarks/lease-sim.sh}). */
class LeaseSimulationTest {

    /** Random node counts, quotas, loads, latencies and clock skews: no window ever admits more than its quota. */
    @RepeatedTest(25)
    void noRandomScheduleOverAdmits(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        long quota = 200 + random.nextInt(20_000);
        LeaseSimulation.Scenario scenario = new LeaseSimulation.Scenario(2 + random.nextInt(30), random.nextLong(), quota,
                60_000, random.nextBoolean() ? Algorithm.FIXED_WINDOW : Algorithm.SLIDING_WINDOW,
                (0.5 + 3 * random.nextDouble()) * quota / 60, 180_000, random.nextInt(500), 0.05 + 5 * random.nextDouble(),
                random.nextInt(5_000));
        LeaseSimulation.Result result = LeaseSimulation.run(scenario);
        assertEquals(0, result.overAdmission(), scenario + " -> " + result);
        assertTrue(result.hotAdmitted() > 0, scenario + " -> " + result);
    }

    /** The scenario: a hot key of 100,000 per minute offered at 1.5x, with cold keys beside it. */
    @ParameterizedTest
    @ValueSource(ints = {2, 10})
    void aHotKeyCostsFewRoundTripsAndLosesAlmostNothing(int nodes) {
        LeaseSimulation.Result result = LeaseSimulation.run(LeaseSimulation.Scenario.internet(nodes));
        assertEquals(0, result.overAdmission(), result.toString());
        assertTrue(result.saturatedWindows() >= 3, result.toString());
        assertTrue(result.opsPerAdmitted() <= (nodes == 2 ? 0.02 : 0.04), result.toString());
        assertTrue(result.underAdmissionPct() <= 0.5, result.toString());
        assertTrue(result.coldOpsPerCall() <= 1.0, result.toString());
    }
}
