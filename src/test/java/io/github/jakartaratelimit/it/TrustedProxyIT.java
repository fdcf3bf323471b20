package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Behind a trusted proxy (here the test client itself, on loopback), each forwarded client has its own quota. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class TrustedProxyIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.testApplication("ratelimit-proxied", "ratelimit.trusted-proxies=127.0.0.1/32, ::1/128");
    }

    @ArquillianResource
    URL base;

    @Test
    void distinctForwardedClientsHaveDistinctQuotas() {
        Http proxy = new Http(base);
        for (String client : new String[] {"198.51.100.1", "198.51.100.2"}) {
            for (int i = 0; i < 2; i++) {
                assertEquals(200, proxy.getWithHeader("api/spoofable", "X-Forwarded-For", "203.0.113.99, " + client).statusCode());
            }
            assertEquals(429, proxy.getWithHeader("api/spoofable", "X-Forwarded-For", client).statusCode(), client);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(200, proxy.getWithHeader("api/spoofable", "X-Forwarded-For", "[2001:db8:1::1]:443").statusCode());
        }
        assertEquals(429, proxy.getWithHeader("api/spoofable", "X-Forwarded-For", "2001:db8:1::2").statusCode(),
                "one IPv6 /64 is one client");
        assertEquals(200, proxy.getWithHeader("api/spoofable", "X-Forwarded-For", "2001:db8:2::1").statusCode());
        // The proxies here write X-Forwarded-For: a Forwarded header from the client is never read, so
        // three different values are one caller (the proxy itself).
        assertEquals(200, proxy.getWithHeader("api/spoofable", "Forwarded", "for=198.51.100.77").statusCode());
        assertEquals(200, proxy.getWithHeader("api/spoofable", "Forwarded", "for=198.51.100.78").statusCode());
        assertEquals(429, proxy.getWithHeader("api/spoofable", "Forwarded", "for=198.51.100.79").statusCode());
    }

    @Test
    void malformedForwardingHeadersFallBackToTheProxyAndNeverFail() {
        Http proxy = new Http(base);
        assertEquals(200, proxy.getWithHeader("api/greeting", "Forwarded", "for=\"[broken").statusCode());
        // Longer than any real chain (over 2 KB, yet within the server's own header limit): ignored.
        assertEquals(200, proxy.getWithHeader("api/greeting", "X-Forwarded-For", "198.51.100.7, ".repeat(200)).statusCode());
    }
}
