package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.storage.RedisServer;

import com.hazelcast.core.DistributedObject;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cluster without Payara's data grid: two WildFly nodes share their counters through a JCache client, (a) the
 * Hazelcast client provider against a standalone Hazelcast member started here, whose classpath holds the library
 * (entry processors run on the member), and (b) Redisson against a redis-server started here. A limit of N admits
 * exactly N across both nodes; another application on the same grid counts apart; and a redeployment that changes
 * a quota keeps what was counted.
 */
@Tag("wildfly")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JCacheClusterIT {

    private static final Path DIR = Path.of("target/jcache-cluster");
    private static HazelcastMember member;
    private static RedisServer redis;
    private static ServerProcess node1;
    private static ServerProcess node2;
    private static String hazelcastStore;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(DIR);
        member = HazelcastMember.start(5891);
        redis = RedisServer.start();
        // deny, and time for a cold JVM's first calls: a slow call must show as a 503, never as uncounted quota
        // (under the default allow, a burst of timeouts on a lock-per-key store like Redisson's let calls through).
        String policy = "ratelimit.on-storage-failure=deny\nratelimit.cache.timeout-millis=5000\n";
        hazelcastStore = member.clientStore(DIR) + policy;
        String redisStore = "ratelimit.cache.provider=org.redisson.jcache.JCachingProvider\n"
                + "ratelimit.cache.uri=" + redis.clientConfig("wildfly") + "\n" + policy;
        Path hz = export(war("hz", hazelcastStore, "hazelcast-"));
        Path twin = export(war("hz-twin", hazelcastStore, "hazelcast-"));
        Path viaRedis = export(war("redis", redisStore, null));
        node1 = ServerProcess.wildfly(DIR.resolve("node1"), 300, List.of(hz, twin, viaRedis));
        node2 = ServerProcess.wildfly(DIR.resolve("node2"), 301, List.of(hz, viaRedis));
        for (ServerProcess node : new ServerProcess[] {node1, node2}) {
            node.awaitStarted();
            assertTrue(node.output().contains("WFLYSRV0025"), "a deployment failed; see target/jcache-cluster");
        }
    }

    /** The test application with the JCache client it needs ({@code hazelcast-} jars, or all but those: Redisson). */
    private static WebArchive war(String name, String config, String clientPrefix) {
        File[] clients = Objects.requireNonNull(new File("target/it-jcache-clients").listFiles(), "run through mvn verify");
        return Deployments.testApplication(name, config).addAsLibraries(Arrays.stream(clients)
                .filter(jar -> jar.getName().startsWith("hazelcast-") == (clientPrefix != null))
                .toArray(File[]::new));
    }

    private static Path export(WebArchive war) {
        Path file = DIR.resolve(war.getName());
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    @AfterAll
    static void stop() {
        for (ServerProcess node : new ServerProcess[] {node1, node2}) {
            if (node != null) {
                node.close();
            }
        }
        if (member != null) {
            member.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hz", "redis"})
    @Order(1)
    void aLimitOfNAdmitsExactlyNAcrossBothNodes(String application) throws Exception {
        Http[] nodes = nodes(application);
        Load.assertAdmitted(60, 200, Load.hammer(200, i -> nodes[i % 2].get("api/cluster")));
    }

    @Test
    @Order(2)
    void bothNodesUseTheSameCachesNamedAfterTheApplicationAlone() {
        List<String> caches = member.instance().getDistributedObjects().stream().map(DistributedObject::getName)
                .filter(name -> name.startsWith("ratelimit-hz") && !name.contains("selftest")).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("ratelimit-hz-3600s", "ratelimit-hz-60s", "ratelimit-hz-86400s", "ratelimit-hz-twin-3600s",
                        "ratelimit-hz-twin-60s", "ratelimit-hz-twin-86400s"), caches, "counter caches on the member: nothing of a node's class loader in their names");
    }

    @Test
    @Order(3)
    void anotherApplicationOnTheSameGridCountsApart() throws Exception {
        assertEquals(429, nodes("hz")[0].get("api/cluster").statusCode(), "the first application's quota is used up");
        HttpResponse<String> twin = new Http(new URL("http://127.0.0.1:8380/hz-twin/")).get("api/cluster");
        assertEquals(200, twin.statusCode(), twin.body());
        assertEquals("\"cluster\";q=60;w=3600", Http.header(twin, "RateLimit-Policy"));
        assertTrue(Http.header(twin, "RateLimit").startsWith("\"cluster\";r=59;"), Http.header(twin, "RateLimit"));
    }

    @Test
    @Order(4)
    void aRedeploymentThatChangesTheQuotaKeepsTheCount() throws Exception {
        int replaced = node1.count("WFLYSRV0016");
        Path changed = DIR.resolve("changed/hz.war");
        Files.createDirectories(changed.getParent());
        war("hz", hazelcastStore + "ratelimit.limits.cluster=70 per hour", "hazelcast-")
                .as(ZipExporter.class).exportTo(changed.toFile(), true);
        Files.copy(changed, DIR.resolve("node1/deployments/hz.war"), StandardCopyOption.REPLACE_EXISTING);
        node1.await("redeployed", out -> node1.count("WFLYSRV0016") > replaced, 120);

        HttpResponse<String> more = nodes("hz")[0].get("api/cluster");
        assertEquals(200, more.statusCode(), more.body());
        assertEquals("\"cluster\";q=70;w=3600", Http.header(more, "RateLimit-Policy"));
        assertTrue(Http.header(more, "RateLimit").startsWith("\"cluster\";r=9;"),
                "the 60 calls counted under the old quota still count: " + Http.header(more, "RateLimit"));
        assertEquals(429, nodes("hz")[1].get("api/cluster").statusCode(), "the node still on 60 per hour sees 61 counted");
    }

    private static Http[] nodes(String application) throws Exception {
        return new Http[] {new Http(new URL("http://127.0.0.1:8380/" + application + "/")),
                new Http(new URL("http://127.0.0.1:8381/" + application + "/"))};
    }
}
