package io.github.jakartaratelimit.benchmarks;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.grid.jcache.Bucket4jJCache;

import java.time.Duration;
import java.util.function.Supplier;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Bucket4j's JCache integration on the same Ehcache, store-by-reference too, as its users would call it. */
@State(Scope.Benchmark)
public class Bucket4jBenchmark {

    @Param({"admit", "reject"})
    public String path;

    @Param({"1", "10000"})
    public int keys;

    private CacheManager ehcache;
    private ProxyManager<String> buckets;
    private Supplier<BucketConfiguration> configuration;
    private String[] callers;

    @Setup
    public void setUp() {
        ehcache = Fixtures.ehcache();
        Cache<String, byte[]> cache = ehcache.createCache("bucket4j-" + System.nanoTime(),
                new MutableConfiguration<String, byte[]>().setStoreByValue(false));
        buckets = Bucket4jJCache.entryProcessorBasedBuilder(cache).build();
        long capacity = path.equals("admit") ? 10_000_000_000L : 1;
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, Duration.ofDays(1)).build())
                .build();
        configuration = () -> config;
        callers = Fixtures.addresses(keys);
        for (String caller : callers) {
            buckets.getProxy(caller, configuration).tryConsume(1);
        }
    }

    @TearDown
    public void tearDown() {
        ehcache.close();
    }

    @Benchmark
    public boolean tryConsume() {
        return buckets.getProxy(callers[Fixtures.pick(keys)], configuration).tryConsume(1);
    }
}
