package io.github.jakartaratelimit.benchmarks;

import io.github.jakartaratelimit.cdi.CheckPath;
import io.github.jakartaratelimit.core.Algorithm;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.cache.CacheManager;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The library's check path: guard resolved once, key built, one check-and-count, statuses made. */
@State(Scope.Benchmark)
public class LibraryBenchmark {

    /**
     * {@code hazelcast-direct}: with {@code ratelimit.cache.timeout-millis=0}, no thread hop per call. {@code -leased}:
     * with leases ({@code ratelimit.lease=auto}, the library's default on distributed stores); the others count one
     * round trip per call ({@code ratelimit.lease=off}), the cost leases save.
     */
    @Param({"ehcache", "hazelcast", "hazelcast-direct", "hazelcast-leased", "redis", "redis-leased"})
    public String store;

    @Param({"FIXED_WINDOW", "SLIDING_WINDOW", "TOKEN_BUCKET"})
    public String algorithm;

    @Param({"admit", "reject"})
    public String path;

    @Param({"1", "10000"})
    public int keys;

    private Fixtures.Store opened;
    private ExecutorService storageCalls;
    private CheckPath check;
    private String[] addresses;

    @Setup
    public void setUp() {
        opened = Fixtures.store(store);
        CacheManager manager = opened.manager();
        if (!store.equals("ehcache") && !store.endsWith("-direct")) {
            storageCalls = Executors.newCachedThreadPool(); // the library bounds calls to a grid with a timeout
        }
        check = new CheckPath(manager, Algorithm.valueOf(algorithm), Fixtures.limit(path), storageCalls, store.endsWith("-leased"));
        addresses = Fixtures.addresses(keys);
        for (String address : addresses) {
            check.check(address); // exhausts the reject path's limit, creates every counter of the admit path
        }
    }

    @TearDown
    public void tearDown() {
        if (storageCalls != null) {
            storageCalls.shutdownNow();
        }
        opened.close().run();
    }

    @Benchmark
    public Object check() {
        return check.check(addresses[Fixtures.pick(keys)]);
    }
}
