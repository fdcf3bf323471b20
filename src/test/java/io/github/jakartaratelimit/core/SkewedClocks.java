package io.github.jakartaratelimit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Several nodes whose clocks disagree take turns on one counter while time passes, as application servers do when the
 * store evaluates on the caller's side (Redisson) or a key moves between members. What a call does is given as a
 * function of the node's clock, so that the same scenarios run on a bare policy and on every store.
 */
public final class SkewedClocks {

    /** The limits the scenarios use: a window of one second (as long as the largest skew), ten seconds, a minute. */
    public static final List<String> LIMITS = List.of("100 per second", "20 per 10 seconds", "50 per minute");

    private final FakeClock clock = new FakeClock();
    private final List<TimeSource> nodes = new ArrayList<>();
    private final long spread;
    private final long start = clock.currentTimeMillis();

    /** Nodes with these offsets from the true time, in milliseconds. */
    public SkewedClocks(long... offsets) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long offset : offsets) {
            nodes.add(clock.skewed(offset));
            min = Math.min(min, offset);
            max = Math.max(max, offset);
        }
        spread = max - min;
    }

    /** Two to four nodes up to a second apart. */
    public static SkewedClocks random(Random random) {
        long[] offsets = new long[2 + random.nextInt(3)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = random.nextInt(1001);
        }
        return new SkewedClocks(offsets);
    }

    public List<TimeSource> nodes() {
        return nodes;
    }

    /** True time passed since the nodes were made. */
    public long elapsedMillis() {
        return clock.currentTimeMillis() - start;
    }

    /** A pause between calls that asks for about three times what {@code limit} allows. */
    public static long stressingPause(Limit limit) {
        return Math.max(1, 2 * limit.windowMillis() / (3 * limit.quota()));
    }

    /**
     * Runs {@code steps} calls, each by a random node after a random pause of up to {@code maxPauseMillis}.
     *
     * @param call makes one call of cost 1 on the node whose clock is given; returns 1 when admitted, else 0
     * @return the calls admitted
     */
    public long run(Random random, int steps, long maxPauseMillis, ToLongFunction<TimeSource> call) {
        long admitted = 0;
        for (int i = 0; i < steps; i++) {
            clock.advanceMillis(random.nextLong(maxPauseMillis + 1));
            admitted += call.applyAsLong(nodes.get(random.nextInt(nodes.size())));
        }
        return admitted;
    }

    /** Calls in turn, node after node, one every {@code pauseMillis}. */
    public long alternate(int steps, long pauseMillis, ToLongFunction<TimeSource> call) {
        long admitted = 0;
        for (int i = 0; i < steps; i++) {
            clock.advanceMillis(pauseMillis);
            admitted += call.applyAsLong(nodes.get(i % nodes.size()));
        }
        return admitted;
    }

    /**
     * The most an algorithm may admit in {@code elapsedMillis} of true time, the nodes' disagreement counted as time
     * too: the token bucket its quota plus what refills; a window algorithm a quota per window begun, one more for a
     * window a lagging node began and a node ahead of it ended early.
     */
    public long bound(Algorithm algorithm, Limit limit, long elapsedMillis) {
        long seen = elapsedMillis + spread;
        long window = limit.windowMillis();
        return switch (algorithm) {
            case TOKEN_BUCKET -> limit.quota() + Algorithm.ceilDiv(limit.quota() * seen, window);
            case FIXED_WINDOW, SLIDING_WINDOW -> limit.quota() * (seen / window + 2);
        };
    }
}
