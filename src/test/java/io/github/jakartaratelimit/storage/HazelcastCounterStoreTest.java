package io.github.jakartaratelimit.storage;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.time.Duration;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on a real embedded Hazelcast member (the engine of Payara's data grid), on loopback with
 * discovery off, so it never joins anything else. Entry processors are serialized to the member as they
 * would be to a key's owner in a cluster.
 */
class HazelcastCounterStoreTest extends CounterStoreContract {

    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static HazelcastInstance member;
    private static CachingProvider provider;
    private static CacheManager manager;

    @BeforeAll
    static void startMember() {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        Config config = new Config()
                .setClusterName("jakarta-ratelimit-test-" + UUID.randomUUID())
                .setProperty("hazelcast.phone.home.enabled", "false")
                .setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(5801).setPortAutoIncrement(true).getInterfaces().setEnabled(true)
                .addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        member = Hazelcast.newHazelcastInstance(config);
        provider = Caching.getCachingProvider("com.hazelcast.cache.HazelcastMemberCachingProvider",
                HazelcastCounterStoreTest.class.getClassLoader());
        manager = provider.getCacheManager(null, HazelcastCounterStoreTest.class.getClassLoader(),
                HazelcastCachingProvider.propertiesByInstanceItself(member));
    }

    @AfterAll
    static void stopMember() {
        manager.close();
        member.shutdown();
    }

    @Override
    CacheManager cacheManager() {
        return manager;
    }

    @Override
    double sizeSlack() {
        return 1.5;
    }

    @Override
    Duration expiryAfterUpdate(Cache<Object, Object> cache) {
        @SuppressWarnings("unchecked")
        CacheConfig<Object, Object> config = cache.getConfiguration(CacheConfig.class);
        assertEquals(1, config.getBackupCount(), "one synchronous backup, so that losing a member loses no count");
        assertEquals(MaxSizePolicy.ENTRY_COUNT, config.getEvictionConfig().getMaxSizePolicy());
        ExpiryPolicy expiry = config.getExpiryPolicyFactory().create();
        assertEquals(expiry.getExpiryForCreation(), expiry.getExpiryForUpdate());
        assertNull(expiry.getExpiryForAccess(), "a read must not extend a counter");
        return Duration.ofSeconds(expiry.getExpiryForUpdate().getTimeUnit().toSeconds(expiry.getExpiryForUpdate().getDurationAmount()));
    }
}
