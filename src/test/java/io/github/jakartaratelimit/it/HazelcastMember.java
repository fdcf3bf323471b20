package io.github.jakartaratelimit.it;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A standalone Hazelcast member on loopback, in the test's JVM (whose classpath holds the library, so the entry
 * processors can run on it), as an operator would run one beside the servers; the servers reach it through
 * Hazelcast's JCache client. It can be stopped and started again on the same address.
 */
final class HazelcastMember {

    private final String cluster;
    private final int port;
    private HazelcastInstance instance;

    private HazelcastMember(String cluster, int port) {
        this.cluster = cluster;
        this.port = port;
    }

    /** Starts a member of a cluster of its own (a random name), on {@code port} of 127.0.0.1. */
    static HazelcastMember start(int port) {
        HazelcastMember member = stopped(port);
        member.start();
        return member;
    }

    /** A member not started yet: its clients are configured before it runs. */
    static HazelcastMember stopped(int port) {
        Logger.getLogger("com.hazelcast").setLevel(Level.SEVERE);
        return new HazelcastMember("ratelimit-it-" + UUID.randomUUID(), port);
    }

    void start() {
        Config config = new Config().setClusterName(cluster).setProperty("hazelcast.phone.home.enabled", "false")
                .setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false).getInterfaces().setEnabled(true)
                .addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        instance = Hazelcast.newHazelcastInstance(config);
    }

    HazelcastInstance instance() {
        return instance;
    }

    void stop() {
        if (instance != null && instance.getLifecycleService().isRunning()) {
            instance.shutdown();
        }
    }

    /**
     * Writes a client configuration for this member into {@code dir} (reconnecting quickly after an outage) and
     * returns the MicroProfile Config that makes the library count there.
     */
    String clientStore(Path dir) throws IOException {
        Path client = dir.resolve("hazelcast-client.xml");
        Files.writeString(client, """
                <hazelcast-client xmlns="http://www.hazelcast.com/schema/client-config">
                    <cluster-name>%s</cluster-name>
                    <network>
                        <cluster-members><address>127.0.0.1:%d</address></cluster-members>
                    </network>
                    <connection-strategy async-start="false" reconnect-mode="ASYNC">
                        <connection-retry>
                            <initial-backoff-millis>200</initial-backoff-millis>
                            <max-backoff-millis>500</max-backoff-millis>
                            <cluster-connect-timeout-millis>-1</cluster-connect-timeout-millis>
                        </connection-retry>
                    </connection-strategy>
                </hazelcast-client>
                """.formatted(cluster, port));
        return "ratelimit.cache.provider=com.hazelcast.client.cache.HazelcastClientCachingProvider\n"
                + "ratelimit.cache.uri=" + client.toAbsolutePath().toUri() + "\n";
    }
}
