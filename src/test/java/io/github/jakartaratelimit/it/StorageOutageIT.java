package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.storage.RedisServer;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The outage policies over HTTP, on a real Payara Micro whose counters live in stores of their own: a separate
 * Hazelcast member (reached with the Hazelcast JCache client Payara ships) and a redis-server (through Redisson in
 * the war). Both are down when the applications deploy: the applications start anyway and apply their policy, then
 * the stores come up and the limits apply without a redeployment; later the member is stopped and started again.
 * Three applications share the server: two on the member, one denying and one allowing while it is down, and one
 * on Redis that denies.
 */
@Tag("payara")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageOutageIT {

    private static final Path DIR = Path.of("target/outage");
    private static final int PORT = 18580;
    private static HazelcastMember member;
    private static RedisServer redis;
    private static int redisPort;
    private static ServerProcess payara;
    private static Http deny;
    private static Http allow;
    private static Http viaRedis;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(DIR);
        member = HazelcastMember.stopped(5871);
        String hazelcast = member.clientStore(DIR) + "ratelimit.cache.timeout-millis=1000\n";
        redisPort = RedisServer.freePort();
        Path yaml = DIR.resolve("redisson.yaml");
        Files.writeString(yaml, "singleServerConfig:\n  address: \"redis://127.0.0.1:" + redisPort + "\"\n"
                + "  connectTimeout: 1000\n  retryAttempts: 1\nthreads: 4\nnettyThreads: 8\n");
        String redisStore = "ratelimit.cache.provider=org.redisson.jcache.JCachingProvider\nratelimit.cache.uri="
                + yaml.toAbsolutePath().toUri() + "\nratelimit.cache.timeout-millis=1000\nratelimit.on-storage-failure=deny\n";
        List<String> arguments = new ArrayList<>(List.of("--nocluster", "--port", String.valueOf(PORT)));
        for (String policy : new String[] {"deny", "allow"}) {
            arguments.addAll(List.of("--deploy", export(Deployments.testApplication(policy,
                    hazelcast + "ratelimit.on-storage-failure=" + policy)).toString()));
        }
        arguments.addAll(List.of("--deploy", export(Deployments.testApplication("redis", redisStore)
                .addAsLibraries(redisson())).toString()));
        payara = ServerProcess.payara(DIR.resolve("payara.log"), List.of(), arguments);
        payara.awaitReady();
        deny = new Http(new URL("http://127.0.0.1:" + PORT + "/deny/"));
        allow = new Http(new URL("http://127.0.0.1:" + PORT + "/allow/"));
        viaRedis = new Http(new URL("http://127.0.0.1:" + PORT + "/redis/"));
    }

    private static Path export(WebArchive war) {
        Path file = DIR.resolve(war.getName());
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    private static File[] redisson() {
        File[] clients = Objects.requireNonNull(new File("target/it-jcache-clients").listFiles(), "run through mvn verify");
        return Arrays.stream(clients).filter(jar -> !jar.getName().startsWith("hazelcast-")).toArray(File[]::new);
    }

    @AfterAll
    static void stop() {
        if (payara != null) {
            payara.close();
        }
        if (member != null) {
            member.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    @Order(1)
    void storesThatAreDownWhenTheApplicationsStartStopNothing() throws Exception {
        assertTrue(payara.output().contains("deny was successfully deployed"), "see " + DIR.resolve("payara.log"));
        assertTrue(payara.output().contains("redis was successfully deployed"), "see " + DIR.resolve("payara.log"));
        assertTrue(payara.output().contains("jakarta-ratelimit: the counter store (ratelimit.cache.provider="
                + "com.hazelcast.client.cache.HazelcastClientCachingProvider) is not available yet"));
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> through = allow.get("api/greeting");
            assertEquals(200, through.statusCode(), "allow lets calls through, uncounted");
            assertTrue(through.headers().firstValue("RateLimit").isEmpty(), "no counts, so no headers");
        }
        assertRefused(deny.get("api/greeting"));
        assertRefused(viaRedis.get("api/greeting"));
        HttpResponse<String> ready = readiness();
        assertEquals(503, ready.statusCode(), ready.body());
        String checks = ready.body().replaceAll("\\s", "");
        assertTrue(checks.contains("\"name\":\"ratelimit-store\"") && checks.contains("\"status\":\"DOWN\""), checks);
        for (String policy : new String[] {"deny", "allow"}) {
            assertTrue(checks.contains("\"on-storage-failure\":\"" + policy + "\""), "the policy in force: " + checks);
        }
    }

    /** MicroProfile Health's readiness of the whole server: the three applications' checks {@code ratelimit-store}. */
    private static HttpResponse<String> readiness() throws Exception {
        return new Http(new URL("http://127.0.0.1:" + PORT + "/")).get("health/ready");
    }

    @Test
    @Order(2)
    void whenTheStoresComeUpTheLimitsApplyWithoutARedeployment() throws Exception {
        member.start();
        redis = RedisServer.start(redisPort);
        // The Hazelcast clients connect as soon as the member answers; Redis is tried again after 1, 2, 4... s.
        // Each application says when its store is connected.
        payara.await("connected to both stores", out -> payara.count("jakarta-ratelimit: counters in "
                + "com.hazelcast.client.cache.") == 2
                && out.contains("jakarta-ratelimit: counters in org.redisson.jcache.JCachingProvider"), 120);
        for (Http application : new Http[] {deny, allow, viaRedis}) {
            HttpResponse<String> counted = application.get("api/greeting");
            assertEquals(200, counted.statusCode(), counted.body());
            assertTrue(counted.headers().firstValue("RateLimit").isPresent(), "counted");
        }
        HttpResponse<String> ready = readiness();
        assertEquals(200, ready.statusCode(), ready.body());
        String checks = ready.body().replaceAll("\\s", "");
        assertTrue(checks.contains("\"name\":\"ratelimit-store\"") && !checks.contains("DOWN"), checks);
    }

    @Test
    @Order(3)
    void denyAnswers503AndAllowLetsCallsThroughUntilTheStoreAnswersAgain() throws Exception {
        assertEquals(200, allow.get("api/other-items").statusCode());
        member.stop();
        assertRefused(deny.get("api/greeting"));
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> through = allow.get("api/greeting");
            assertEquals(200, through.statusCode(), "allow lets calls through, uncounted");
            assertTrue(through.headers().firstValue("RateLimit").isEmpty(), "no counts, so no headers");
        }
        for (int i = 0; i < 5; i++) { // failures enough to open the breaker
            assertEquals(503, deny.get("api/greeting").statusCode());
        }
        assertTrue(payara.output().contains("jakarta-ratelimit: the counter store failed; ratelimit.on-storage-failure=deny"));
        assertTrue(payara.output().contains("jakarta-ratelimit: an observer of RateLimitStorageFailure threw"),
                "the applications' alarm (StorageAlarm) threw, and the calls were still answered 503 or 200");

        member.start();
        // Once open, the breaker probes the store only when its wait is over: move the application's clock past it
        // (32 s, the longest wait) instead of waiting in real time. Each probe is bounded by the storage timeout.
        int status = 503;
        for (int attempt = 0; attempt < 60 && status == 503; attempt++) {
            deny.post("api/clock?seconds=33");
            status = deny.get("api/greeting").statusCode();
        }
        assertEquals(200, status, "the store answers again and is used");
        HttpResponse<String> counted = deny.get("api/greeting");
        assertTrue(counted.headers().firstValue("RateLimit").isPresent(), "counted again");
        assertEquals(List.of("store available=false on-storage-failure=deny", "store available=true on-storage-failure=deny",
                        "store available=false on-storage-failure=deny", "store available=true on-storage-failure=deny"),
                deny.get("api/events").body().lines().filter(line -> line.startsWith("store ")).toList(),
                "down at deployment, up, down, up: each change once, to the application's observer");
    }

    private static void assertRefused(HttpResponse<String> refused) {
        assertEquals(503, refused.statusCode(), refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 32, "Retry-After " + retryAfter);
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(refused.body().startsWith("{\"type\":\"https://iana.org/assignments/http-problem-types"
                + "#temporary-reduced-capacity\",\"title\":\"Service Unavailable\",\"status\":503,"), refused.body());
    }
}
