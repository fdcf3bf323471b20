package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.it.app.FileConfigSource;
import io.github.jakartaratelimit.storage.LeaseSimulation;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real Payara Micro instances of one application, clustered on loopback through Payara's data grid:
 * a limit of N admits exactly N across both, and a node killed mid-window takes no count with it.
 */
@Tag("payara")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Path DIR = Path.of("target/cluster");
    /** The configuration both nodes read while they run ({@link FileConfigSource}). */
    private static final Path CONFIG = DIR.resolve("limits.properties");
    private static ServerProcess node1;
    private static ServerProcess node2;
    private static Http[] nodes;

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(DIR);
        Path war = DIR.resolve("cluster.war");
        // deny during an outage: a node's loss must never show up as fresh quota.
        Deployments.testApplication("cluster", "ratelimit.on-storage-failure=deny\nratelimit.cache.timeout-millis=2000\n"
                        + "ratelimit.refresh-seconds=1")
                .addAsServiceProvider(ConfigSource.class, FileConfigSource.class) // the limits the test changes
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        Files.deleteIfExists(CONFIG);
        // Payara keeps configuration values for 60 s by default: the operator's setting, not the library's.
        Path postBoot = DIR.resolve("post-boot.asadmin");
        Files.writeString(postBoot, "set-config-cache --duration=0\n");
        String cluster = "ratelimit-it-" + UUID.randomUUID();
        List<String> jvm = List.of(
                // Declare a killed member dead within seconds rather than the default minute.
                "-Dhazelcast.max.no.heartbeat.seconds=6", "-Dhazelcast.heartbeat.interval.seconds=1",
                "-Dratelimit.it.config-file=" + CONFIG.toAbsolutePath());
        int[] ports = {18480, 18481};
        node1 = ServerProcess.payara(DIR.resolve("node1.log"), jvm, arguments(war, cluster, ports[0], "node1"));
        node2 = ServerProcess.payara(DIR.resolve("node2.log"), jvm, arguments(war, cluster, ports[1], "node2"));
        node1.awaitReady();
        node2.awaitReady();
        node1.await("in a data grid of two", out -> out.contains("DG Size: 2"), 120);
        nodes = new Http[] {new Http(new URL("http://127.0.0.1:" + ports[0] + "/cluster/")),
                new Http(new URL("http://127.0.0.1:" + ports[1] + "/cluster/"))};
    }

    private static List<String> arguments(Path war, String cluster, int port, String name) {
        return List.of("--deploy", war.toString(), "--port", String.valueOf(port), "--name", name,
                "--postbootcommandfile", DIR.resolve("post-boot.asadmin").toString(),
                "--clusterName", cluster, "--clusterMode", "tcpip:127.0.0.1:5910,127.0.0.1:5911", "--startport", "5910",
                "--interfaces", "127.0.0.1");
    }

    @AfterAll
    static void stopCluster() {
        for (ServerProcess node : new ServerProcess[] {node1, node2}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    @Order(1)
    void aGlobalLimitAdmitsExactlyNAcrossBothNodes() throws Exception {
        Map<Integer, AtomicInteger> statuses = Load.hammer(200, i -> nodes[i % 2].get("api/cluster"));
        Load.assertAdmitted(60, 200, statuses);
    }

    @Test
    @Order(2)
    void aPerPrincipalLimitAdmitsExactlyNPerPrincipalAcrossBothNodes() throws Exception {
        for (String user : new String[] {"erin", "frank"}) {
            Map<Integer, AtomicInteger> statuses = Load.hammer(80, i -> nodes[i % 2].get("api/cluster-user", "Bearer " + user + "-token"));
            assertEquals(25, Load.count(statuses, 200), user + ": " + statuses);
            assertEquals(55, Load.count(statuses, 429), user + ": " + statuses);
        }
    }

    /**
     * Leases on Payara's grid: a hot key saturated from both nodes admits no more than its limit and at least 99.5 % of
     * it, with the round trips per admitted call that the simulation predicts for two nodes and this traffic.
     */
    @Test
    @Order(3)
    void leasesOnTheGridAdmitTheLimitWithTheRoundTripsTheSimulationPredicts() throws Exception {
        long[] before = {statistics(nodes[0]), statistics(nodes[1])};
        long started = System.nanoTime();
        Map<Integer, AtomicInteger> statuses = Load.hammer(4_500, i -> nodes[i % 2].get("api/lease/hot"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        int admitted = Load.count(statuses, 200);
        assertEquals(4_500, admitted + Load.count(statuses, 429), statuses.toString());
        assertTrue(admitted <= 3_000, "over the limit: " + statuses);
        assertTrue(admitted >= 2_985, "under 99.5 % of the limit: " + statuses);

        long invokes = statistics(nodes[0]) - before[0] + statistics(nodes[1]) - before[1];
        double measured = (double) invokes / admitted;
        LeaseSimulation.Result predicted = LeaseSimulation.run(new LeaseSimulation.Scenario(2, 1, 3_000, 3_600_000,
                Algorithm.FIXED_WINDOW, 4_500 * 1000.0 / elapsedMillis, elapsedMillis, 0, 0.5, 0));
        System.out.printf("ClusterIT leases: %d admitted, %d grid round trips in %d ms: %.4f per admitted call; simulated %.4f%n",
                admitted, invokes, elapsedMillis, measured, predicted.opsPerAdmitted());
        assertTrue(Math.abs(measured - predicted.opsPerAdmitted()) <= 0.1 * predicted.opsPerAdmitted(),
                "round trips per admitted call: measured " + measured + " (" + invokes + " for " + admitted + " in "
                        + elapsedMillis + " ms), simulated " + predicted.opsPerAdmitted());
    }

    /** The grid round trips the node's counter store made so far, from its statistics MXBean; it must be leasing. */
    private static long statistics(Http node) throws Exception {
        String[] fields = node.get("api/lease/statistics").body().trim().split(" ");
        assertEquals("true", fields[2], "leases are on by default on Payara's grid");
        return Long.parseLong(fields[0]);
    }

    /**
     * A limit changed in a configuration source both nodes read reaches both within the refresh interval
     * ({@code ratelimit.refresh-seconds=1}), and what was counted under the old quota stays counted.
     */
    @Test
    @Order(4)
    void aLimitChangedInTheConfigurationReachesBothNodesAndKeepsTheCount() throws Exception {
        assertEquals(200, nodes[0].get("api/refreshed").statusCode());
        assertEquals(200, nodes[1].get("api/refreshed").statusCode());
        for (Http node : nodes) {
            assertTrue(node.get("api/quota/policies/refreshed").body().startsWith("refreshed q=3 r=1 exceeded=false"));
        }
        long changed = System.nanoTime();
        Files.writeString(CONFIG, "ratelimit.limits.refreshed=5 per day\n");
        String applied = "the limits of io.github.jakartaratelimit.it.app.LimitedResource#refreshed are now [5 per 86400 s]";
        node1.await("the new limit on node 1", out -> out.contains(applied), 60);
        node2.await("the new limit on node 2", out -> out.contains(applied), 60);
        System.out.printf("ClusterIT refresh: both nodes apply the new limit %d ms after the change%n",
                (System.nanoTime() - changed) / 1_000_000);
        for (Http node : nodes) {
            assertTrue(node.get("api/quota/policies/refreshed").body().startsWith("refreshed q=5 r=3 exceeded=false"),
                    "the two calls counted under the old quota still count");
        }
        Map<Integer, AtomicInteger> statuses = Load.hammer(10, i -> nodes[i % 2].get("api/refreshed"));
        assertEquals(3, Load.count(statuses, 200), statuses.toString());
        assertEquals(7, Load.count(statuses, 429), statuses.toString());
    }

    @Test
    @Order(5)
    void aKilledNodeTakesNoCountWithItAndTheSurvivorKeepsAnswering() throws Exception {
        List<String> users = List.of("u1", "u2", "u3", "u4", "u5", "u6"); // keys owned by both nodes
        for (String user : users) {
            Map<Integer, AtomicInteger> before = Load.hammer(10, i -> nodes[i % 2].get("api/failover", "Bearer " + user + "-token"));
            assertEquals(10, Load.count(before, 200), user + ": " + before);
        }
        int shrinks = node1.count("DG Size: 1");
        node2.kill();
        node1.await("alone in the data grid", out -> node1.count("DG Size: 1") > shrinks, 120);

        // Calls are answered at once: 200, or 503 (deny) while the breaker waits; its wait is passed by moving
        // the survivor's clock (32 s, the longest wait), not by waiting in real time.
        Http survivor = nodes[0];
        List<Integer> duringFailover = new ArrayList<>();
        int status = 503;
        for (int attempt = 0; attempt < 20 && status == 503; attempt++) {
            status = survivor.get("api/failover", "Bearer probe-token").statusCode();
            duringFailover.add(status);
            if (status == 503) {
                survivor.post("api/clock?seconds=33");
            }
        }
        assertEquals(200, status, "the survivor never recovered: " + duringFailover);
        assertTrue(duringFailover.stream().allMatch(s -> s == 200 || s == 503), duringFailover.toString());

        for (String user : users) {
            Map<Integer, AtomicInteger> after = Load.hammer(10, i -> survivor.get("api/failover", "Bearer " + user + "-token"));
            assertEquals(5, Load.count(after, 200), user + " got fresh quota after the node was lost: " + after);
            assertEquals(5, Load.count(after, 429), user + ": " + after);
        }
    }
}
