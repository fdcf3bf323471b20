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

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.cache.CacheManager;
import javax.cache.Caching;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage outage policies against a store that really goes away: a Hazelcast member, reached through a
 * Hazelcast client as a remote store would be, is terminated in the middle of the test and later replaced.
 * The breaker's backoff runs on the fake clock; only the bounded storage calls take real time.
 */
class FailoverStoreTest {

    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final FakeClock clock = new FakeClock();
    private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private final Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("3 per hour"));
    private final String cluster = "failover-" + UUID.randomUUID();
    private final ExecutorService calls = Executors.newCachedThreadPool();
    private HazelcastInstance member;
    private HazelcastInstance client;
    private CacheManager remote;
    private CacheManager localManager;

    @BeforeEach
    void startStore() {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        member = startMember();
        ClientConfig config = new ClientConfig().setClusterName(cluster).setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().addAddress("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setInitialBackoffMillis(50).setMaxBackoffMillis(200).setClusterConnectTimeoutMillis(-1);
        client = HazelcastClient.newHazelcastClient(config);
        remote = Caching.getCachingProvider("com.hazelcast.client.cache.HazelcastClientCachingProvider", getClass().getClassLoader())
                .getCacheManager(null, getClass().getClassLoader(), HazelcastCachingProvider.propertiesByInstanceItself(client));
        localManager = CacheManagers.open("ehcache", null, () -> null, getClass().getClassLoader());
    }

    private HazelcastInstance startMember() {
        Config config = new Config().setClusterName(cluster).setProperty("hazelcast.phone.home.enabled", "false")
                .setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(5851).setPortAutoIncrement(true).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        return Hazelcast.newHazelcastInstance(config);
    }

    @AfterEach
    void stopStore() {
        calls.shutdownNow();
        client.shutdown();
        if (member.getLifecycleService().isRunning()) {
            member.shutdown();
        }
        localManager.close();
    }

    private FailoverStore store(boolean withLocal) {
        CounterStore shared = new CounterStore(remote, "shared-" + UUID.randomUUID(), clock, 10_000);
        shared.prepare(policy); // as the limiter does at startup: creating a cache is not a call to bound
        shared.acquire(policy, "warm-up", 1);
        CounterStore local = withLocal ? new CounterStore(localManager, "local-" + UUID.randomUUID(), clock, 10_000) : null;
        return new FailoverStore(shared, local, calls, TIMEOUT, clock, failures::add);
    }

    @Test
    void withoutALocalStoreCallsAreAnsweredWithoutADecisionWhileTheStoreIsDown() {
        FailoverStore store = store(false);
        assertTrue(store.acquire(policy, "k", 1).allowed());
        member.getLifecycleService().terminate();

        assertNull(store.acquire(policy, "k", 1), "no decision: the caller applies allow or deny");
        assertEquals(1, failures.size());
        assertTrue(store.down());
        assertEquals(Duration.ofSeconds(1), store.untilProbe());
        assertNull(store.acquire(policy, "k", 1));
        assertEquals(1, failures.size(), "while the breaker is open the store is not called, so nothing can hang");

        clock.advance(Duration.ofSeconds(1));
        assertNull(store.acquire(policy, "k", 1)); // the probe, which fails
        assertEquals(2, failures.size());
        assertEquals(Duration.ofSeconds(2), store.untilProbe(), "the wait doubles after a failed probe");
        clock.advance(Duration.ofSeconds(1));
        assertNull(store.acquire(policy, "k", 1));
        assertEquals(2, failures.size());
    }

    @Test
    void aLocalStoreEnforcesTheSameLimitsDuringTheOutageThenTheSharedStoreTakesOver() {
        FailoverStore store = store(true);
        assertTrue(store.acquire(policy, "k", 1).allowed());
        assertTrue(store.acquire(policy, "k", 1).allowed());
        member.getLifecycleService().terminate();

        for (int i = 0; i < 3; i++) {
            Decision local = store.acquire(policy, "k", 1);
            assertNotNull(local);
            assertTrue(local.allowed(), "local call " + (i + 1));
        }
        assertFalse(store.acquire(policy, "k", 1).allowed(), "the local store enforces the limit");
        assertEquals(1, failures.size(), "one failure (a timeout or an error) opened the breaker");

        member = startMember(); // the store comes back (empty: a new member)
        Decision back = null;
        for (int probe = 0; probe < 40 && (back == null || store.down()); probe++) {
            clock.advance(Duration.ofSeconds(32));
            back = store.acquire(policy, "other", 1);
        }
        assertFalse(store.down(), "the shared store answers again and is used");
        assertTrue(back.allowed());
        assertEquals(2, back.remaining(0), "counted in the shared store, not the local one");
    }
}
