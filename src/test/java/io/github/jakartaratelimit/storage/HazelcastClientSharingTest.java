package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import com.hazelcast.cache.ICache;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.cache.CacheManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes reaching one Hazelcast cluster through its JCache client must count in the same caches, however their
 * servers name class loaders and wherever each keeps its copy of the client configuration. Hazelcast prefixes a
 * cache's name with the manager's URI and class loader unless they are the provider's defaults: each "node" here
 * has a class loader whose name carries an identity, as Open Liberty's do, and its own configuration file.
 */
class HazelcastClientSharingTest {

    private static final String PROVIDER = "com.hazelcast.client.cache.HazelcastClientCachingProvider";
    private static final int PORT = 5861;
    private static final String CLUSTER = "ratelimit-sharing-" + UUID.randomUUID();
    private static HazelcastInstance member;
    private final List<CacheManager> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startMember() {
        Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
        Config config = new Config().setClusterName(CLUSTER).setProperty("hazelcast.phone.home.enabled", "false")
                .setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(PORT).setPortAutoIncrement(false).getInterfaces().setEnabled(true)
                .addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        member = Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    static void stopMember() {
        member.shutdown();
    }

    @AfterEach
    void closeClients() {
        opened.forEach(CacheManager::close);
    }

    /** Hazelcast would name the cache after this loader: {@code /hz/<uri>/AppClassLoader@node-1-.../ratelimit-...}. */
    @Test
    void theCacheNameCarriesNothingOfTheNode() throws Exception {
        CacheManager node = node("node-1", clientConfig("node-1", "names"));
        new CounterStore(node, "ratelimit-named", TimeSource.SYSTEM, 10_000)
                .acquire(new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("5 per hour")), "caller", 1);
        assertEquals("/hz/ratelimit-named-3600s", node.getCache("ratelimit-named-3600s").unwrap(ICache.class).getPrefixedName());
    }

    @Test
    void nodesWhoseConfigurationFilesLieElsewhereShareTheirCounters() throws Exception {
        assertShared(node("node-1", clientConfig("node-1", "files-1")), node("node-2", clientConfig("node-2", "files-2")));
    }

    /** Five calls allowed in all: three on the first node, two on the second, and the next one refused on either. */
    private static void assertShared(CacheManager first, CacheManager second) {
        Policy policy = new Policy(Algorithm.FIXED_WINDOW, LimitExpression.parse("5 per hour"));
        String key = "caller-" + UUID.randomUUID();
        CounterStore one = new CounterStore(first, "ratelimit-shared", TimeSource.SYSTEM, 10_000);
        CounterStore two = new CounterStore(second, "ratelimit-shared", TimeSource.SYSTEM, 10_000);
        for (int i = 0; i < 3; i++) {
            assertTrue(one.acquire(policy, key, 1).allowed());
        }
        assertEquals(1, two.acquire(policy, key, 1).remaining(0), "the second node did not see the first one's calls");
        assertTrue(two.acquire(policy, key, 1).allowed());
        assertFalse(one.acquire(policy, key, 1).allowed());
        assertFalse(two.acquire(policy, key, 1).allowed());
    }

    /** A node: its own client, opened with a class loader whose name carries an identity, as an application's would. */
    private CacheManager node(String name, URI config) {
        ClassLoader application = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public String toString() {
                return "AppClassLoader@" + name + "-" + System.identityHashCode(this);
            }
        };
        CacheManager manager = CacheManagers.open(PROVIDER, config, () -> null, application);
        opened.add(manager);
        return manager;
    }

    /** A client configuration in a directory of its own; each instance name is a distinct client. */
    private URI clientConfig(String instance, String directory) throws Exception {
        Path file = Files.createDirectories(dir.resolve(directory)).resolve("hazelcast-client.xml");
        Files.writeString(file, """
                <hazelcast-client xmlns="http://www.hazelcast.com/schema/client-config">
                    <instance-name>%s-%s</instance-name>
                    <cluster-name>%s</cluster-name>
                    <network>
                        <cluster-members><address>127.0.0.1:%d</address></cluster-members>
                    </network>
                </hazelcast-client>
                """.formatted(instance, UUID.randomUUID(), CLUSTER, PORT));
        return file.toUri();
    }
}
