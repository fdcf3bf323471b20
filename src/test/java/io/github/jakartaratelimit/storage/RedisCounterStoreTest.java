package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.FakeClock;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.expiry.ExpiryPolicy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real Redis server through Redisson's JCache provider. The test starts its own
 * {@code redis-server} on a free loopback port, without persistence: the one on the PATH if there is one,
 * else the Linux x86-64 binary shipped in the {@code com.github.codemonstur:embedded-redis} test jar.
 *
 * <p>Redisson runs entry processors in the calling JVM (get, process, put), and its {@code invoke} locks
 * the key only when {@code org.jsr107.tck.management.agentId} is set; without it, two threads or two clients
 * on one key both read the same state and over-admit. {@link CacheManagers} sets it when it opens Redisson,
 * and these tests prove the result atomic, across two clients too.
 */
class RedisCounterStoreTest extends CounterStoreContract {

    static final String PROVIDER = "org.redisson.jcache.JCachingProvider";

    @Override
    int skewedSteps() {
        return 300; // a locked read-process-write costs a millisecond or two
    }

    private static RedisServer server;
    private static CacheManager manager;
    private static CacheManager otherClient;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
        ClassLoader loader = RedisCounterStoreTest.class.getClassLoader();
        manager = CacheManagers.open(PROVIDER, server.clientConfig("first"), () -> null, loader);
        // A second URI gives a second CacheManager, hence a second Redisson client with its own connections.
        otherClient = CacheManagers.open(PROVIDER, server.clientConfig("second"), () -> null, loader);
    }

    @AfterAll
    static void stopRedis() {
        try {
            if (manager != null) {
                manager.getCachingProvider().close();
            }
        } finally {
            if (server != null) {
                server.stop();
            }
        }
    }

    @Override
    CacheManager cacheManager() {
        return manager;
    }

    @Override
    Duration expiryAfterUpdate(Cache<Object, Object> cache) {
        @SuppressWarnings("unchecked")
        CompleteConfiguration<Object, Object> config = cache.getConfiguration(CompleteConfiguration.class);
        ExpiryPolicy expiry = config.getExpiryPolicyFactory().create();
        assertEquals(expiry.getExpiryForCreation(), expiry.getExpiryForUpdate());
        assertNull(expiry.getExpiryForAccess(), "a read must not extend a counter");
        return Duration.ofSeconds(expiry.getExpiryForUpdate().getTimeUnit().toSeconds(expiry.getExpiryForUpdate().getDurationAmount()));
    }

    /**
     * Redisson's JCache has no bound on the number of entries (no eviction by count, and a standard
     * MutableConfiguration cannot ask for one): the counters of a key flood stay until they expire.
     */
    @Override
    @Test
    @Disabled("Redisson's JCache cannot bound a cache's entries; only expiry removes counters")
    void theNumberOfCountersIsBounded() {
    }

    /** Two separate clients of one server, each with four threads, on one key: exactly the limit is admitted. */
    @RepeatedTest(3)
    void twoClientsOnOneKeyAdmitExactlyTheLimit() throws Exception {
        assertNotSame(manager, otherClient);
        String base = "clients-" + UUID.randomUUID();
        FakeClock clock = new FakeClock();
        CounterStore first = new CounterStore(manager, base, clock, 10_000);
        CounterStore second = new CounterStore(otherClient, base, clock, 10_000);
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("300 per hour"));

        int threadsPerClient = 4;
        int callsPerThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerClient);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2 * threadsPerClient; t++) {
                CounterStore store = t % 2 == 0 ? first : second;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        Decision decision = store.acquire(policy, "shared", 1);
                        (decision.allowed() ? admitted : rejected).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
            assertEquals(2 * threadsPerClient * callsPerThread, admitted.get() + rejected.get());
            assertEquals(300, admitted.get(), "admitted across two clients");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The outage policies against a Redis server that is really stopped and started again: once the failures make a
     * rate, the breaker opens and the local store counts (or, without one, no decision is made); a probe finds the
     * restarted server and it takes over.
     */
    @Test
    void aStoppedServerIsAnOutageUntilItAnswersAgain() throws Exception {
        RedisServer own = RedisServer.start();
        int port = own.port();
        CacheManager client = CacheManagers.open(PROVIDER, own.clientConfig("outage"), () -> null, getClass().getClassLoader());
        CacheManager localManager = CacheManagers.open("ehcache", null, () -> null, getClass().getClassLoader());
        ExecutorService calls = Executors.newCachedThreadPool();
        ExecutorService probes = Executors.newCachedThreadPool();
        List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        FakeClock clock = new FakeClock();
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("3 per hour"));
        try {
            CounterStore shared = new CounterStore(client, "outage-" + UUID.randomUUID(), clock, 10_000);
            shared.prepare(policy);
            CounterStore local = new CounterStore(localManager, "outage-local-" + UUID.randomUUID(), clock, 10_000);
            FailoverStore withLocal = new FailoverStore(local, probes, Duration.ofSeconds(1), clock, failures::add);
            withLocal.connect(shared, calls);
            FailoverStore withoutLocal = new FailoverStore(null, probes, Duration.ofSeconds(1), clock, failures::add);
            withoutLocal.connect(shared, calls);
            assertEquals(2, withLocal.acquire(policy, "k", 1).remaining(0));

            own.stop();
            for (int i = 0; i < 20 && !withLocal.down(); i++) {
                withLocal.acquire(policy, "load-" + i, 1);
                withLocal.lastProbe().handle((r, f) -> null).get(10, TimeUnit.SECONDS);
            }
            assertTrue(withLocal.down(), "the stopped server opened the breaker: " + failures);
            assertEquals(2, withLocal.acquire(policy, "k", 1).remaining(0), "counted in the local store, which starts afresh");
            assertNull(withoutLocal.acquire(policy, "k", 1), "without a local store there is no decision: allow or deny");

            own = RedisServer.start(port);
            for (int probe = 0; probe < 40 && withLocal.down(); probe++) {
                clock.advance(Duration.ofSeconds(32));
                withLocal.acquire(policy, "other", 1);
                withLocal.lastProbe().handle((r, f) -> null).get(10, TimeUnit.SECONDS);
            }
            assertFalse(withLocal.down(), "the restarted server answers and is used again");
            assertEquals(2, withLocal.acquire(policy, "other", 1).remaining(0));
        } finally {
            calls.shutdownNow();
            probes.shutdownNow();
            client.close(); // not the provider: it holds the other tests' client too
            localManager.close();
            own.stop();
        }
    }

    /**
     * One client floods its own key: Redisson locks the key around every check, so the flood's calls queue behind
     * each other past the timeout. The store is healthy, and every other caller's limit stays enforced.
     */
    @Test
    void oneClientFloodingItsOwnKeyKeepsEveryOtherCallersLimitEnforced() throws Exception {
        ExecutorService calls = Executors.newCachedThreadPool();
        ExecutorService probes = Executors.newCachedThreadPool();
        ExecutorService flooders = Executors.newFixedThreadPool(64);
        List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("3 per hour"));
        Policy flood = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("1000000 per hour"));
        try {
            CounterStore shared = new CounterStore(manager, "flood-" + UUID.randomUUID(), new FakeClock(), 10_000);
            FailoverStore store = new FailoverStore(null, probes, Duration.ofMillis(200), new FakeClock(), failures::add);
            store.connect(shared, calls);
            for (int i = 0; i < 500; i++) { // a client as warm as a running server's, so that only the flood is slow
                shared.acquire(flood, "warm-up-" + (i % 50), 1);
            }
            java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch refused = new java.util.concurrent.CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 64; t++) { // enough to queue past the timeout on one key
                running.add(flooders.submit(() -> {
                    while (flooding.get()) {
                        if (store.acquire(flood, "flood", 1) == FailoverStore.BUSY) {
                            busy.incrementAndGet();
                            refused.countDown();
                        }
                    }
                    return null;
                }));
            }
            assertTrue(refused.await(30, TimeUnit.SECONDS), "the flood's calls queued past the timeout on their key");
            int admitted = 0;
            for (int call = 0; call < 10; call++) {
                // On 2 cores Redisson itself slows every key under such a flood: a call may time out (null: the
                // outage policy), but is never refused as the flood's own key is.
                Decision decision = store.acquire(policy, "alice", 1);
                assertTrue(decision != FailoverStore.BUSY, "call " + (call + 1) + " was refused for the flood's key");
                admitted += decision != null && decision.allowed() ? 1 : 0;
            }
            flooding.set(false);
            for (Future<?> flooder : running) {
                flooder.get(30, TimeUnit.SECONDS);
            }
            assertFalse(store.down(), "the flood of one key opened the breaker; failures: " + failures);
            Decision after = null;
            for (int call = 0; call < 10 && (after == null || after.allowed()); call++) {
                // The calls that timed out may have been counted: her limit holds over all of them.
                after = store.acquire(policy, "alice", 1);
                admitted += after != null && after.allowed() ? 1 : 0;
            }
            assertTrue(after != null && !after.allowed(), "once the flood ended her calls are decided: " + after);
            assertTrue(admitted <= 3, admitted + " admitted: the other caller's limit is enforced throughout");
            assertTrue(busy.get() > 0, "the flood's calls did queue past the timeout on its key");
        } finally {
            flooders.shutdownNow();
            calls.shutdownNow();
            probes.shutdownNow();
        }
    }
}
