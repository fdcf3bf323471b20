package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ratelimit.enabled=false} switches everything off: annotations, the default limit and headers. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class DisabledIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.testApplication("ratelimit-disabled", "ratelimit.enabled=false\nratelimit.default=1 per minute");
    }

    @ArquillianResource
    URL base;

    @Test
    void nothingIsLimitedWhenDisabled() {
        Http http = new Http(base);
        for (int i = 0; i < 8; i++) {
            for (String path : new String[] {"api/greeting", "api/items", "api/per-method"}) {
                HttpResponse<String> response = http.get(path);
                assertEquals(200, response.statusCode(), path);
                assertTrue(response.headers().firstValue("RateLimit-Policy").isEmpty(), path);
            }
            assertEquals(200, http.post("api/reports").statusCode());
        }
    }
}
