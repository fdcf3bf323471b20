package io.github.jakartaratelimit.examples.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The war the build packaged, library included, plus a clock and a reset for the tests, on a real Payara Micro. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class GreetingLimitIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/greetings.war"))
                .addClasses(TestClock.class, LimitsForTests.class)
                // A small limit for the test; in production, the annotation's (or the environment's).
                .addAsResource(new StringAsset("ratelimit.limits.greeting=3 per minute"),
                        "META-INF/microprofile-config.properties");
    }

    @ArquillianResource
    URL base;

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void freshCounters() throws Exception {
        assertEquals(204, send("DELETE", "api/test-support/limits/greeting").statusCode());
    }

    @Test
    void theFourthGreetingInAMinuteIsRefused() throws Exception {
        for (int remaining = 2; remaining >= 0; remaining--) {
            HttpResponse<String> ok = send("GET", "api/greeting");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.headers().firstValue("RateLimit").orElseThrow().startsWith("\"greeting\";r=" + remaining + ";"));
        }
        HttpResponse<String> refused = send("GET", "api/greeting");
        assertEquals(429, refused.statusCode());
        assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) <= 60);
    }

    @Test
    void theQuotaComesBackWithTheNextWindow() throws Exception {
        for (int i = 0; i < 3; i++) {
            send("GET", "api/greeting");
        }
        assertEquals(429, send("GET", "api/greeting").statusCode());
        assertEquals(204, send("POST", "api/test-support/clock?seconds=60").statusCode()); // no sleeping
        assertEquals(200, send("GET", "api/greeting").statusCode());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
