package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.it.app.LogResource;
import io.github.jakartaratelimit.it.app.LogWatch;
import io.github.jakartaratelimit.it.app.TokenAuthFilter;
import io.github.jakartaratelimit.it.extended.AddedLimitExtension;
import io.github.jakartaratelimit.it.plain.ListedApplication;
import io.github.jakartaratelimit.it.plain.ScopedResource;
import io.github.jakartaratelimit.it.plain.UnscopedResource;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.spi.Extension;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The application most users write, on every server: no EJB, no {@code web.xml}, no {@code beans.xml}, resources
 * without a scope, a catch-all exception mapper, asynchronous methods, a stereotype, another extension's binding;
 * served both by an {@code Application} that lists its classes and by one that scans. Every limit must hold, and
 * the library must never be the cause of a 500 or of a logged error.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class PlainWarIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        // Another library's jar: its own beans.xml and extension, and the resource that extension limits.
        JavaArchive extending = ShrinkWrap.create(JavaArchive.class, "extending.jar")
                .addPackage(AddedLimitExtension.class.getPackage())
                .addAsServiceProvider(Extension.class, AddedLimitExtension.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
        return Deployments.withLibrary("plain")
                .addPackage(ListedApplication.class.getPackage())
                .addClasses(TokenAuthFilter.class, LogWatch.class, LogResource.class)
                .addAsLibrary(extending)
                .addAsResource(new StringAsset("ratelimit.default=3 per minute"), "META-INF/microprofile-config.properties");
    }

    @ArquillianResource
    URL base;

    private Http http;
    private String errorsBefore;

    @BeforeEach
    void client() {
        http = new Http(base);
        errorsBefore = errors();
    }

    /** Nothing the test did made the server log an error. */
    @AfterEach
    void noErrorsLogged() {
        assertEquals(errorsBefore, errors(), "errors logged by the server");
    }

    private String errors() {
        HttpResponse<String> errors = http.get("listed/errors");
        assertEquals(200, errors.statusCode(), errors.body());
        return errors.body();
    }

    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void anUnscopedResourceIsLimited(String app) {
        assertLimited(app + "/unscoped", "unscoped-" + app, 3, "limited");
    }

    /**
     * A limited resource method is counted by the JAX-RS filter alone: its class, unscoped or a bean, is instantiated
     * without an intercepted subclass (and without an interceptor per request) when nothing else intercepts it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void aLimitedResourceMethodIsCountedWithoutInterceptingItsClass(String app) {
        for (Class<?> resource : List.of(UnscopedResource.class, ScopedResource.class)) {
            String scope = resource == UnscopedResource.class ? "unscoped" : "scoped";
            HttpResponse<String> first = http.get(app + "/" + scope + "/instance");
            HttpResponse<String> second = http.get(app + "/" + scope + "/instance");
            assertEquals(200, second.statusCode(), second.body());
            assertEquals(resource.getName(), second.body(), "the application's own class serves the call");
            String policy = scope + "-instance";
            assertEquals(remaining(first, policy) - 1, remaining(second, policy), "and the call is counted: "
                    + Http.header(second, "RateLimit"));
        }
    }

    private static int remaining(HttpResponse<String> response, String policy) {
        Matcher r = Pattern.compile("\"" + policy + "\";r=(\\d+);").matcher(Http.header(response, "RateLimit"));
        assertTrue(r.find(), Http.header(response, "RateLimit"));
        return Integer.parseInt(r.group(1));
    }

    /**
     * An anonymous caller is keyed by the connection's address, read without asking Jakarta Security (which, in a war
     * without EJBs on Payara, logs an error per call). One method is one counter, whichever application serves it.
     */
    @Test
    void anAnonymousCallerIsKeyedByItsAddressWithoutErrors() {
        for (int remaining = 1; remaining >= 0; remaining--) {
            HttpResponse<String> ok = http.get("listed/unscoped/anonymous");
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(Http.header(ok, "RateLimit").startsWith("\"anonymous\";r=" + remaining + ";"), Http.header(ok, "RateLimit"));
        }
        assertTooManyRequests(http.get("scanned/unscoped/anonymous"), "anonymous");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void theDefaultLimitAppliesToUnannotatedMethods(String app) {
        assertLimited(app + "/unscoped/items", "items-" + app, 3, "default");
    }

    /** An application that answers breaches with its own mapper keeps its answer; the library adds its headers. */
    @Test
    void anApplicationsOwnMapperForBreachesIsTheOneUsed() {
        assertEquals(200, http.get("own/answer").statusCode());
        HttpResponse<String> refused = http.get("own/answer");
        assertEquals(429, refused.statusCode());
        assertTrue(refused.body().startsWith("slow down, retry in "), refused.body());
        assertTrue(Http.header(refused, "RateLimit").startsWith("\"own-answer\";r=0;"), Http.header(refused, "RateLimit"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void exemptMethodsAndApplicationErrorsAreLeftAlone(String app) {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> health = http.get(app + "/unscoped/health");
            assertEquals(200, health.statusCode());
            assertTrue(health.headers().firstValue("RateLimit").isEmpty());
        }
        HttpResponse<String> failure = http.get(app + "/unscoped/fails");
        assertEquals(500, failure.statusCode());
        assertEquals("catch-all: java.lang.IllegalStateException", failure.body(), "the application's own mapper is in force");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void aLimitFromAStereotypeHolds(String app) {
        assertLimited(app + "/stereotyped", "stereotyped-" + app, 2, "throttled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void aLimitAddedByAnotherExtensionHolds(String app) {
        assertLimited(app + "/configured", "configured-" + app, 2, "added");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void asynchronousResourceMethodsAreLimitedPerCaller(String app) {
        for (String user : new String[] {"first-" + app, "second-" + app}) {
            assertLimited(app + "/async/stage", user, 2, "stage");
            assertLimited(app + "/async/suspended", user, 2, "suspended");
        }
    }

    /** The bean's method runs on another thread; it must still be counted for the caller who started it. */
    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void anAsynchronousBeanCountsTheCallerWhoStartedIt(String app) {
        for (String user : new String[] {"first-" + app, "second-" + app}) {
            assertEquals("done", assertLimited(app + "/async/work", user, 2, "async-work"));
        }
    }

    /**
     * The resource method and the bean it calls are each counted once per call, although the bean's method has the
     * same name: whether CDI intercepts the resource (RESTEasy makes it a bean) or not (Jersey).
     */
    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void aResourceAndTheBeanItCallsAreEachCountedOnce(String app) {
        String caller = "Bearer delegating-" + app + "-token";
        for (int call = 1; call <= 2; call++) {
            HttpResponse<String> ok = http.get(app + "/delegating", caller);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("\"outer\";q=5;w=60, \"inner\";q=2;w=60", Http.header(ok, "RateLimit-Policy"));
            assertTrue(Http.header(ok, "RateLimit").matches("\"outer\";r=" + (5 - call) + ";t=\\d+, \"inner\";r=" + (2 - call)
                    + ";t=\\d+"), Http.header(ok, "RateLimit"));
        }
        assertTooManyRequests(http.get(app + "/delegating", caller), "inner");
    }

    /** A bean called while the resource is created does not make the resource's own interceptor count it again. */
    @ParameterizedTest
    @ValueSource(strings = {"listed", "scanned"})
    void aResourceCallingALimitedBeanAsItIsCreatedIsCountedOnce(String app) {
        String caller = "Bearer scoped-" + app + "-token";
        for (int remaining = 4; remaining >= 0; remaining--) {
            HttpResponse<String> ok = http.get(app + "/scoped", caller);
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(Http.header(ok, "RateLimit").startsWith("\"scoped\";r=" + remaining + ";"), Http.header(ok, "RateLimit"));
        }
        assertTooManyRequests(http.get(app + "/scoped", caller), "scoped");
    }

    /**
     * {@code quota} calls of one caller pass with the policy's headers, the next one gets a complete 429.
     *
     * @return the body of the last call that passed
     */
    private String assertLimited(String path, String user, int quota, String policy) {
        String authorization = "Bearer " + user + "-token";
        String body = null;
        for (int remaining = quota - 1; remaining >= 0; remaining--) {
            HttpResponse<String> ok = http.get(path, authorization);
            assertEquals(200, ok.statusCode(), path + " for " + user + ": " + ok.body());
            assertEquals("\"" + policy + "\";q=" + quota + ";w=60", Http.header(ok, "RateLimit-Policy"));
            String rateLimit = Http.header(ok, "RateLimit");
            assertTrue(rateLimit.startsWith("\"" + policy + "\";r=" + remaining + ";t="), path + " for " + user + ": " + rateLimit);
            body = ok.body();
        }
        assertTooManyRequests(http.get(path, authorization), policy);
        return body;
    }

    private static void assertTooManyRequests(HttpResponse<String> response, String policy) {
        assertEquals(429, response.statusCode(), response.body());
        long retryAfter = Long.parseLong(Http.header(response, "Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(Http.header(response, "RateLimit-Policy").contains("\"" + policy + "\";q="), Http.header(response, "RateLimit-Policy"));
        assertTrue(Http.header(response, "RateLimit").contains("\"" + policy + "\";r=0;t="), Http.header(response, "RateLimit"));
        assertTrue(response.body().startsWith("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\""),
                response.body());
        assertTrue(response.body().endsWith("\"violated-policies\":[\"" + policy + "\"]}"), response.body());
    }
}
