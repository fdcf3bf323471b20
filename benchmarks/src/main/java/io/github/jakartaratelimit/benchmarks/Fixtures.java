package io.github.jakartaratelimit.benchmarks;

import io.github.jakartaratelimit.storage.CacheManagers;
import io.github.jakartaratelimit.storage.RedisServer;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.cache.CacheManager;
import javax.cache.Caching;

/** What every benchmark shares: the stores, the callers and the two paths. */
final class Fixtures {

    /** A limit that is never reached during a run: the admit path. */
    static final String NEVER_REACHED = "10000000000 per day";
    /** A limit exhausted before the run: the reject path. */
    static final String EXHAUSTED = "1 per day";

    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private Fixtures() {
    }

    static String limit(String path) {
        return path.equals("admit") ? NEVER_REACHED : EXHAUSTED;
    }

    /** {@code count} distinct client addresses. */
    static String[] addresses(int count) {
        String[] addresses = new String[count];
        for (int i = 0; i < count; i++) {
            addresses[i] = "10.0." + (i >> 8) + "." + (i & 255);
        }
        return addresses;
    }

    static int pick(int count) {
        return count == 1 ? 0 : ThreadLocalRandom.current().nextInt(count);
    }

    static CacheManager ehcache() {
        return CacheManagers.open("ehcache", null, () -> null, Fixtures.class.getClassLoader());
    }

    /** One embedded member on loopback that joins nothing, and its JCache manager. */
    static Member hazelcast() {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        Config config = new Config().setClusterName("bench-" + UUID.randomUUID())
                .setProperty("hazelcast.phone.home.enabled", "false").setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(5951).setPortAutoIncrement(true).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        CacheManager manager = Caching.getCachingProvider("com.hazelcast.cache.HazelcastMemberCachingProvider",
                        Fixtures.class.getClassLoader())
                .getCacheManager(null, Fixtures.class.getClassLoader(), HazelcastCachingProvider.propertiesByInstanceItself(instance));
        return new Member(instance, manager);
    }

    record Member(HazelcastInstance instance, CacheManager manager) {
        void shutdown() {
            manager.close();
            instance.shutdown();
        }
    }

    /**
     * The store a benchmark names: {@code ehcache}; {@code redis...} for a redis-server child process on loopback,
     * through Redisson's JCache; {@code hazelcast...} for an embedded member.
     */
    static Store store(String name) {
        if (name.equals("ehcache")) {
            CacheManager manager = ehcache();
            return new Store(manager, manager::close);
        }
        if (name.startsWith("redis")) {
            try {
                RedisServer server = RedisServer.start();
                CacheManager manager = CacheManagers.open("org.redisson.jcache.JCachingProvider",
                        server.clientConfig("bench"), () -> null, Fixtures.class.getClassLoader());
                return new Store(manager, () -> {
                    CacheManagers.close(manager);
                    server.stop();
                });
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot start redis-server", e);
            }
        }
        Member member = hazelcast();
        return new Store(member.manager(), member::shutdown);
    }

    record Store(CacheManager manager, Runnable close) {
    }
}
