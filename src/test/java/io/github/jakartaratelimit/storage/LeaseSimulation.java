package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * Leases at scale, deterministically: N nodes with skewed clocks call through {@link Leases} into a simulated grid
 * that applies the library's own entry processors with network latency, on the clock of each key's owner. A hot key
 * with a quota of {@code hotQuota} per window is offered {@code hotPerSecond} calls a second, spread over the nodes at
 * random; cold per-user keys with a small limit are called now and then. Every admitted call is counted in the window
 * its units were debited in, and checked to be spent before that window ended by the owner's clock.
 *
 * <p>{@code benchmarks/lease-sim.sh} prints one line per node count; {@code LeaseSimulationTest} runs small random
 * schedules in the build and asserts that nothing is ever over-admitted.
 */
public final class LeaseSimulation {

    /** What a run measured. */
    public record Result(int nodes, double opsPerAdmitted, long overAdmission, double underAdmissionPct,
                         double coldOpsPerCall, long hotAdmitted, int saturatedWindows) {

        String line() {
            return String.format(Locale.ROOT, "lease-sim nodes=%d ops-per-admitted=%.4f over-admission=%d under-admission-pct=%.3f",
                    nodes, opsPerAdmitted, overAdmission, underAdmissionPct);
        }
    }

    /**
     * The knobs of a run: the hot key's quota per window, the calls per second offered to it, how long the run lasts,
     * how many cold users call (each about once in 30 s, 10 per minute), the grid's mean one-way latency and the
     * largest clock skew between nodes.
     */
    public record Scenario(int nodes, long seed, long hotQuota, long windowMillis, Algorithm algorithm, double hotPerSecond,
                           long durationMillis, int coldUsers, double latencyMillis, long skewMillis) {

        /** The scenario of the issue: 100,000 per minute offered at 1.5x for 5 minutes, 5,000 cold users, 0.5 ms one way. */
        public static Scenario internet(int nodes) {
            return new Scenario(nodes, 42, 100_000, 60_000, Algorithm.FIXED_WINDOW, 2_500, 300_000, 5_000, 0.5, 200);
        }
    }

    private static final String HOT = "hot";
    private static final long SWEEP_MICROS = 250_000;

    private final Scenario scenario;
    private final Random random;
    private final Policy hot;
    private final Policy cold;
    private final Node[] nodes;
    private final Map<String, long[]> grid = new HashMap<>();
    private final PriorityQueue<long[]> events = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private long sequence;
    /** True time, in microseconds. */
    private long now;
    /** The clock the grid evaluates with while it applies an operation: the key owner's, at the time it arrives. */
    private long evaluatorMillis;
    private long hotOps;
    private long coldOps;
    private long coldCalls;
    private final Map<Long, long[]> perWindow = new HashMap<>(); // window start -> {admitted, rejected}
    private long spentAfterWindow;

    private LeaseSimulation(Scenario scenario) {
        this.scenario = scenario;
        this.random = new Random(scenario.seed());
        this.hot = new Policy(scenario.algorithm(), LimitExpression.parse(scenario.hotQuota() + " per " + scenario.windowMillis() / 1000 + " seconds"));
        this.cold = new Policy(scenario.algorithm(), LimitExpression.parse("10 per minute"));
        this.nodes = new Node[scenario.nodes()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new Node(i, (long) ((random.nextDouble() * 2 - 1) * scenario.skewMillis()));
        }
    }

    /** Runs one scenario to its end. */
    public static Result run(Scenario scenario) {
        return new LeaseSimulation(scenario).simulate();
    }

    public static void main(String[] args) {
        int[] counts = args.length == 0 ? new int[] {2, 10, 100} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int count : counts) {
            Result result = run(Scenario.internet(count));
            System.out.println(result.line());
            System.err.printf(Locale.ROOT, "  (hot admitted %d in %d saturated windows; cold keys: %.3f grid operations per call)%n",
                    result.hotAdmitted(), result.saturatedWindows(), result.coldOpsPerCall());
        }
    }

    private Result simulate() {
        long end = scenario.durationMillis() * 1000;
        double hotPerMicro = scenario.hotPerSecond() / 1_000_000;
        double coldPerMicro = scenario.coldUsers() / 30_000_000.0; // each user about once in 30 s
        schedule(exponential(hotPerMicro), 0, random.nextInt(nodes.length), 0);
        if (scenario.coldUsers() > 0) {
            schedule(exponential(coldPerMicro), 1, random.nextInt(nodes.length), random.nextInt(scenario.coldUsers()));
        }
        for (int i = 0; i < nodes.length; i++) {
            schedule(random.nextInt((int) SWEEP_MICROS), 2, i, 0);
        }
        while (!events.isEmpty() && events.peek()[0] < end) {
            long[] event = events.poll();
            now = event[0];
            Node node = nodes[(int) event[2]];
            switch ((int) event[3]) {
                case 0 -> {
                    node.call(HOT, hot, true);
                    schedule(now + exponential(hotPerMicro), 0, random.nextInt(nodes.length), 0);
                }
                case 1 -> {
                    node.call("user-" + event[4], cold, false);
                    schedule(now + exponential(coldPerMicro), 1, random.nextInt(nodes.length), random.nextInt(scenario.coldUsers()));
                }
                default -> {
                    node.localMicros = Math.max(node.localMicros, now); // the sweeping thread's view of the time
                    node.leases.sweep();
                    schedule(now + SWEEP_MICROS, 2, node.index, 0);
                }
            }
        }
        return result();
    }

    private Result result() {
        long admitted = 0;
        long over = spentAfterWindow;
        double worstUnder = 0;
        int saturated = 0;
        long lastWindow = perWindow.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        for (Map.Entry<Long, long[]> window : perWindow.entrySet()) {
            long[] counts = window.getValue();
            admitted += counts[0];
            over += Math.max(0, counts[0] - scenario.hotQuota());
            if (counts[1] > 0 && window.getKey() != lastWindow) { // saturated, and not cut short by the end of the run
                saturated++;
                worstUnder = Math.max(worstUnder, 100.0 * Math.max(0, scenario.hotQuota() - counts[0]) / scenario.hotQuota());
            }
        }
        return new Result(nodes.length, admitted == 0 ? 0 : (double) hotOps / admitted, over, worstUnder,
                coldCalls == 0 ? 0 : (double) coldOps / coldCalls, admitted, saturated);
    }

    private void schedule(long at, int type, int node, long key) {
        events.add(new long[] {at, sequence++, node, type, key});
    }

    private long exponential(double perMicro) {
        return Math.max(1, (long) (-Math.log(1 - random.nextDouble()) / perMicro));
    }

    /** One application server: its clock is the true time plus a skew, and it makes one call at a time. */
    private final class Node implements Leases.Ledger {

        final int index;
        final long skewMillis;
        final Leases leases;
        long freeAt;
        /** This node's view of time, in milliseconds, while it works on a call. */
        long localMicros;

        Node(int index, long skewMillis) {
            this.index = index;
            this.skewMillis = skewMillis;
            TimeSource clock = () -> Math.floorDiv(localMicros, 1000) + this.skewMillis;
            this.leases = new Leases(this, clock, random.nextInt(64));
        }

        void call(String key, Policy policy, boolean isHot) {
            localMicros = Math.max(now, freeAt); // a call that arrives while the node waits on the grid waits too
            Decision decision = leases.local(key, 1);
            boolean spentHere = decision != null;
            if (decision == null) {
                decision = leases.acquire(policy, key, 1);
            }
            freeAt = localMicros;
            if (!isHot) {
                coldCalls++;
                return;
            }
            long window = decision.encode()[4];
            long[] counts = perWindow.computeIfAbsent(window, w -> new long[2]);
            if (decision.allowed()) {
                counts[0]++;
                long ownerMillis = Math.floorDiv(localMicros, 1000) + owner(key).skewMillis;
                if (spentHere && ownerMillis >= window + scenario.windowMillis()) {
                    // A lease spent after its window ended, by the owner's clock, would be an over-admission. (A call
                    // the store admitted was decided there, in its window, however late the answer arrives.)
                    spentAfterWindow++;
                }
            } else {
                counts[1]++;
            }
        }

        @Override
        public long[] grant(Policy policy, String key, long cost, long want, int holder) {
            return roundTrip(key, new LeaseProcessor(policy, cost, want, holder, () -> evaluatorMillis));
        }

        @Override
        public void giveBack(Policy policy, String key, long units, Decision granted) {
            roundTrip(key, new RefundProcessor(policy, units, granted));
        }

        /** Sent now, applied by the owner after one latency on its clock, answered after another. */
        private <T> T roundTrip(String key, EntryProcessor<String, long[], T> processor) {
            long oneWay = (long) (scenario.latencyMillis() * 1000 * (0.5 + random.nextDouble()));
            if (key.equals(HOT)) {
                hotOps++;
            } else {
                coldOps++;
            }
            evaluatorMillis = Math.floorDiv(localMicros + oneWay, 1000) + owner(key).skewMillis;
            T answer = processor.process(new Entry(key));
            localMicros += 2 * oneWay;
            return answer;
        }
    }

    private Node owner(String key) {
        return nodes[Math.floorMod(key.hashCode(), nodes.length)];
    }

    /** One grid entry, as an entry processor sees it. */
    private final class Entry implements MutableEntry<String, long[]> {

        private final String key;

        Entry(String key) {
            this.key = key;
        }

        @Override
        public boolean exists() {
            return grid.containsKey(key);
        }

        @Override
        public void remove() {
            grid.remove(key);
        }

        @Override
        public void setValue(long[] value) {
            grid.put(key, value);
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public long[] getValue() {
            return grid.get(key);
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new IllegalArgumentException();
        }
    }
}
