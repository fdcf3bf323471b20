package io.github.jakartaratelimit.benchmarks;

import io.github.jakartaratelimit.cdi.CheckPath;
import io.github.jakartaratelimit.core.Algorithm;

import java.io.Serializable;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor of the design: one raw {@code Cache.invoke} of a minimal fixed-window processor, on the very
 * cache (same configuration, same keys) the library uses, called directly.
 */
@State(Scope.Benchmark)
public class FloorBenchmark {

    @Param({"ehcache", "hazelcast", "redis"})
    public String store;

    @Param({"admit", "reject"})
    public String path;

    @Param({"1", "10000"})
    public int keys;

    private Fixtures.Store opened;
    private Cache<String, long[]> cache;
    private String[] counterKeys;
    private MinimalFixedWindow processor;

    @Setup
    public void setUp() {
        opened = Fixtures.store(store);
        CacheManager manager = opened.manager();
        CheckPath library = new CheckPath(manager, Algorithm.FIXED_WINDOW, Fixtures.limit(path), null, false);
        cache = manager.getCache(library.cacheName());
        processor = new MinimalFixedWindow(path.equals("admit") ? 10_000_000_000L : 1, 86_400_000L);
        String[] addresses = Fixtures.addresses(keys);
        counterKeys = new String[keys];
        for (int i = 0; i < keys; i++) {
            counterKeys[i] = library.counterKey(addresses[i]);
            cache.invoke(counterKeys[i], processor);
        }
    }

    @TearDown
    public void tearDown() {
        opened.close().run();
    }

    @Benchmark
    public Boolean invoke() {
        return cache.invoke(counterKeys[Fixtures.pick(keys)], processor);
    }

    /** A fixed window and nothing else: window start and count, replaced on every admitted call. */
    static final class MinimalFixedWindow implements EntryProcessor<String, long[], Boolean>, Serializable {

        private static final long serialVersionUID = 1L;

        private final long quota;
        private final long window;

        MinimalFixedWindow(long quota, long window) {
            this.quota = quota;
            this.window = window;
        }

        @Override
        public Boolean process(MutableEntry<String, long[]> entry, Object... arguments) {
            long now = System.currentTimeMillis();
            long[] state = entry.getValue();
            if (state == null || now - state[0] >= window) {
                entry.setValue(new long[] {now, 1});
                return Boolean.TRUE;
            }
            if (state[1] < quota) {
                entry.setValue(new long[] {state[0], state[1] + 1});
                return Boolean.TRUE;
            }
            return Boolean.FALSE;
        }
    }
}
