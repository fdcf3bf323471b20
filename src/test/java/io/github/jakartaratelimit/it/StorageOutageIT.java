package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The outage policies over HTTP, on a real Payara Micro whose counters live in a separate Hazelcast member
 * (reached with the Hazelcast JCache client Payara ships), which the test stops and starts again. Two
 * applications share the server: one denies while the store is down, one allows.
 */
@Tag("payara")
class StorageOutageIT {

    private static final Path DIR = Path.of("target/outage");
    private static HazelcastMember member;
    private static ServerProcess payara;
    private static Http deny;
    private static Http allow;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(DIR);
        member = HazelcastMember.start(5871);
        String store = member.clientStore(DIR) + "ratelimit.cache.timeout-millis=1000\n";
        List<String> arguments = new ArrayList<>(List.of("--nocluster", "--port", "18580"));
        for (String policy : new String[] {"deny", "allow"}) {
            Path war = DIR.resolve(policy + ".war");
            Deployments.testApplication(policy, store + "ratelimit.on-storage-failure=" + policy)
                    .as(ZipExporter.class).exportTo(war.toFile(), true);
            arguments.addAll(List.of("--deploy", war.toString()));
        }
        payara = ServerProcess.payara(DIR.resolve("payara.log"), List.of(), arguments);
        payara.awaitReady();
        deny = new Http(new URL("http://127.0.0.1:18580/deny/"));
        allow = new Http(new URL("http://127.0.0.1:18580/allow/"));
    }

    @AfterAll
    static void stop() {
        if (payara != null) {
            payara.close();
        }
        if (member != null) {
            member.stop();
        }
    }

    @Test
    void denyAnswers503AndAllowLetsCallsThroughUntilTheStoreAnswersAgain() throws Exception {
        assertTrue(payara.output().contains("HazelcastClientCachingProvider"), "the remote store is in use");
        assertEquals(200, deny.get("api/greeting").statusCode());
        assertEquals(200, allow.get("api/greeting").statusCode());

        member.stop();
        HttpResponse<String> refused = deny.get("api/greeting");
        assertEquals(503, refused.statusCode(), refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 32, "Retry-After " + retryAfter);
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(refused.body().startsWith("{\"type\":\"https://iana.org/assignments/http-problem-types"
                + "#temporary-reduced-capacity\",\"title\":\"Service Unavailable\",\"status\":503,"), refused.body());
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> through = allow.get("api/greeting");
            assertEquals(200, through.statusCode(), "allow lets calls through, uncounted");
            assertTrue(through.headers().firstValue("RateLimit").isEmpty(), "no counts, so no headers");
        }
        assertEquals(503, deny.get("api/greeting").statusCode());
        assertTrue(payara.output().contains("jakarta-ratelimit: the counter store failed; ratelimit.on-storage-failure=deny"));

        member.start();
        // The breaker tries the store again only when its wait is over: move the application's clock past
        // it (32 s, the longest wait) instead of waiting in real time. Each attempt is bounded by the storage timeout.
        int status = 503;
        for (int attempt = 0; attempt < 60 && status == 503; attempt++) {
            deny.post("api/clock?seconds=33");
            status = deny.get("api/greeting").statusCode();
        }
        assertEquals(200, status, "the store answers again and is used");
        HttpResponse<String> counted = deny.get("api/greeting");
        assertTrue(counted.headers().firstValue("RateLimit").isPresent(), "counted again");
    }
}
