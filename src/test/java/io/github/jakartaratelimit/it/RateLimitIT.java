package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The library on a real Payara Micro, seen from an HTTP client. Each test has endpoints of its own. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class RateLimitIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.testApplication("ratelimit-it", String.join("\n",
                "ratelimit.default=3 per minute",
                "ratelimit.limits.overridden=2 per minute",
                "ratelimit.limits.tiered.gold=3 per minute",
                "ratelimit.events.include-key=true",
                "ratelimit.on-storage-failure=deny",
                "io.github.jakartaratelimit.it.app.LimitedResource/perMethod/RateLimited/value=1 per minute"));
    }

    @ArquillianResource
    URL base;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(base);
    }

    @Test
    void admitsTheLimitThenAnswers429WithHeadersAndProblem() {
        for (int i = 4; i >= 0; i--) {
            HttpResponse<String> ok = http.get("api/greeting");
            assertEquals(200, ok.statusCode());
            assertEquals("hello", ok.body());
            assertEquals("\"greeting\";q=5;w=60", header(ok, "RateLimit-Policy"));
            long reset = Long.parseLong(header(ok, "RateLimit").replaceAll(".*;t=", ""));
            assertTrue(reset >= 1 && reset <= 60, header(ok, "RateLimit"));
            assertTrue(header(ok, "RateLimit").startsWith("\"greeting\";r=" + i + ";t="), header(ok, "RateLimit"));
        }
        HttpResponse<String> rejected = http.get("api/greeting");
        assertEquals(429, rejected.statusCode());
        assertEquals("application/problem+json", header(rejected, "Content-Type"));
        long retryAfter = Long.parseLong(header(rejected, "Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("\"greeting\";q=5;w=60", header(rejected, "RateLimit-Policy"));
        assertEquals("\"greeting\";r=0;t=" + retryAfter, header(rejected, "RateLimit"));
        String body = rejected.body();
        assertTrue(body.startsWith("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\""), body);
        assertTrue(body.endsWith(",\"violated-policies\":[\"greeting\"]}"), body);
        assertFalse(body.contains("127.0.0.1"), "the problem must not reveal the caller's key: " + body);
    }

    @Test
    void anEjbBreachReachesTheClientAs429WithoutAServerStackTrace() {
        String errorsBefore = http.get("api/errors").body();
        assertEquals(200, http.post("api/reports").statusCode());
        assertEquals(200, http.post("api/reports").statusCode());
        HttpResponse<String> rejected = http.post("api/reports");
        assertEquals(429, rejected.statusCode(), rejected.body());
        assertTrue(rejected.body().contains("\"violated-policies\":[\"reports\"]"), rejected.body());
        assertTrue(header(rejected, "RateLimit-Policy").contains("\"reports\";q=2;w=60"), header(rejected, "RateLimit-Policy"));
        assertTrue(header(rejected, "RateLimit").contains("\"reports\";r=0;t="), header(rejected, "RateLimit"));
        assertEquals(errorsBefore, http.get("api/errors").body(), "the server logged an exception for a rejected EJB call");
    }

    @Test
    void anAsynchronousEjbResourceMethodIsCountedOnceForItsCaller() {
        for (int remaining = 1; remaining >= 0; remaining--) {
            HttpResponse<String> ok = http.get("api/async-reports");
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("report", ok.body());
            assertTrue(header(ok, "RateLimit").startsWith("\"async-reports\";r=" + remaining + ";"), header(ok, "RateLimit"));
        }
        HttpResponse<String> rejected = http.get("api/async-reports");
        assertEquals(429, rejected.statusCode(), rejected.body());
        assertTrue(rejected.body().endsWith("\"violated-policies\":[\"async-reports\"]}"), rejected.body());
    }

    @Test
    void eachPrincipalHasItsOwnQuotaFromOneAddress() {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> alice = http.get("api/account", "alice", "alice-pw");
            assertEquals(200, alice.statusCode());
            assertEquals("alice", alice.body());
        }
        assertEquals(429, http.get("api/account", "alice", "alice-pw").statusCode());
        for (int i = 0; i < 5; i++) {
            assertEquals(200, http.get("api/account", "bob", "bob-pw").statusCode(), "bob's call " + (i + 1));
        }
        assertEquals(429, http.get("api/account", "bob", "bob-pw").statusCode());
        assertEquals(401, http.get("api/account", "bob", "wrong").statusCode());
    }

    @Test
    void exemptMethodsAreNeverLimited() {
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> health = http.get("api/health");
            assertEquals(200, health.statusCode());
            assertTrue(health.headers().firstValue("RateLimit").isEmpty());
        }
    }

    @Test
    void theDefaultLimitAppliesPerUnannotatedMethod() {
        for (int i = 2; i >= 0; i--) {
            HttpResponse<String> ok = http.get("api/items");
            assertEquals(200, ok.statusCode());
            assertEquals("\"default\";q=3;w=60", header(ok, "RateLimit-Policy"));
            assertTrue(header(ok, "RateLimit").startsWith("\"default\";r=" + i + ";"));
        }
        HttpResponse<String> rejected = http.get("api/items");
        assertEquals(429, rejected.statusCode());
        assertTrue(rejected.body().contains("\"violated-policies\":[\"default\"]"), rejected.body());
        assertEquals(200, http.get("api/other-items").statusCode(), "another method has its own default counter");
    }

    /**
     * One request, one verdict: the resource's default limit admitted the call, the bean it called refused it, so the
     * default limit takes its charge back. Without that, a client obeying Retry-After would find the default limit
     * used up by calls that were all refused.
     */
    @Test
    void aCallRefusedDeeperInTheRequestKeepsNoChargeInTheLimitsBeforeIt() {
        HttpResponse<String> first = http.get("api/nested");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("\"default\";q=3;w=60, \"nested\";q=1;w=60", header(first, "RateLimit-Policy"));
        assertTrue(header(first, "RateLimit").matches("\"default\";r=2;t=\\d+, \"nested\";r=0;t=\\d+"), header(first, "RateLimit"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = http.get("api/nested");
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().endsWith("\"violated-policies\":[\"nested\"]}"), refused.body());
            assertTrue(header(refused, "RateLimit").matches("\"default\";r=2;t=\\d+, \"nested\";r=0;t=\\d+"),
                    "refusal " + (i + 1) + ": " + header(refused, "RateLimit"));
        }
    }

    /**
     * A resolver on a resource that is a bean sees the method's parameters (here the tenant in the path), and a
     * {@code @Dependent} one is a new instance for each call, destroyed after it.
     */
    @Test
    void aDependentResolverSeesTheParametersAndLivesForOneCall() {
        for (String tenant : new String[] {"acme", "globex"}) {
            assertEquals(200, http.get("api/tenants/" + tenant).statusCode());
            assertEquals(200, http.get("api/tenants/" + tenant).statusCode());
            assertEquals(429, http.get("api/tenants/" + tenant).statusCode(), tenant + " has its own counter");
        }
        assertEquals("6 created, 6 destroyed", http.get("api/dependent-resolvers").body());
    }

    @Test
    void configurationOverridesTheAnnotationByName() {
        assertEquals(200, http.get("api/overridden").statusCode());
        HttpResponse<String> second = http.get("api/overridden");
        assertEquals("\"overridden\";q=2;w=60", header(second, "RateLimit-Policy"));
        assertEquals(429, http.get("api/overridden").statusCode());
    }

    @Test
    void configurationOverridesOneMethodFaultToleranceStyle() {
        HttpResponse<String> first = http.get("api/per-method");
        assertEquals(200, first.statusCode());
        assertEquals("\"perMethod\";q=1;w=60", header(first, "RateLimit-Policy"));
        assertEquals(429, http.get("api/per-method").statusCode());
    }

    @Test
    void severalLimitsAreAllReported() {
        HttpResponse<String> ok = http.get("api/two-limits");
        assertEquals("\"two-1\";q=3;w=60, \"two-2\";q=10;w=3600", header(ok, "RateLimit-Policy"));
        assertTrue(header(ok, "RateLimit").matches("\"two-1\";r=2;t=\\d+, \"two-2\";r=9;t=\\d+"), header(ok, "RateLimit"));
        http.get("api/two-limits");
        http.get("api/two-limits");
        HttpResponse<String> rejected = http.get("api/two-limits");
        assertEquals(429, rejected.statusCode());
        assertTrue(rejected.body().endsWith("\"violated-policies\":[\"two-1\"]}"), rejected.body());
        assertTrue(header(rejected, "RateLimit").matches("\"two-1\";r=0;t=\\d+, \"two-2\";r=7;t=\\d+"), header(rejected, "RateLimit"));
    }

    @Test
    void aPrincipalSetByAJaxRsAuthenticationFilterIsTheKey() {
        for (String user : new String[] {"carol", "dave"}) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> ok = http.get("api/token-account", "Bearer " + user + "-token");
                assertEquals(200, ok.statusCode());
                assertEquals(user, ok.body());
            }
            assertEquals(429, http.get("api/token-account", "Bearer " + user + "-token").statusCode(), user);
        }
    }

    @Test
    void anInheritedMethodIsLimitedAsEachSubclassSays() {
        for (int i = 0; i < 2; i++) {
            assertEquals(200, http.get("api/cats").statusCode(), "cat " + (i + 1));
        }
        assertEquals(429, http.get("api/cats").statusCode());
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> dog = http.get("api/dogs");
            assertEquals(200, dog.statusCode(), "dog " + (i + 1));
            assertEquals("\"list\";q=4;w=60", header(dog, "RateLimit-Policy"));
        }
        assertEquals(429, http.get("api/dogs").statusCode());
    }

    @Test
    void callsWithoutAnHttpRequestShareOneCounter() {
        assertEquals("ok,ok,limited", http.get("api/background").body());
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerGainNoQuota() {
        assertEquals(200, http.getWithHeader("api/spoofable", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(200, http.getWithHeader("api/spoofable", "Forwarded", "for=198.51.100.2").statusCode());
        assertEquals(429, http.getWithHeader("api/spoofable", "X-Forwarded-For", "198.51.100.3").statusCode());
    }

    @Test
    void aKeyResolverThatFailsNeitherBreaksTheCallNorLiftsTheLimit() {
        for (String path : new String[] {"api/resolver-throws", "api/resolver-null"}) {
            assertEquals(200, http.get(path).statusCode(), path);
            assertEquals(200, http.get(path).statusCode(), path);
            HttpResponse<String> limited = http.get(path);
            assertEquals(429, limited.statusCode(), path + ": calls whose key cannot be resolved share one counter");
            assertFalse(limited.body().contains("tenant header missing"), limited.body());
        }
    }

    @Test
    void aRejectionRevealsNeitherTheCallerNorTheServer() {
        for (int i = 0; i < 5; i++) {
            http.get("api/account", "dave-not-a-user", "x"); // 401s do not count
        }
        HttpResponse<String> rejected;
        do {
            rejected = http.get("api/token-account", "Bearer mallory-token");
        } while (rejected.statusCode() == 200);
        assertEquals(429, rejected.statusCode());
        String everything = rejected.headers().map() + rejected.body();
        for (String secret : new String[] {"mallory", "127.0.0.1", "Exception", "io.github", "u:", "ip:"}) {
            assertFalse(everything.contains(secret), "the 429 reveals \"" + secret + "\": " + everything);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        Optional<String> value = response.headers().firstValue(name);
        assertTrue(value.isPresent(), "missing header " + name + " in " + response.headers().map());
        return value.get();
    }

    /** Only failed logins count; a success is given back; after the third failure even the right password is refused. */
    @Test
    void onlyFailedAttemptsCountAndThenEvenTheRightPasswordIsRefused() {
        String ann = "Bearer ann-token";
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> welcome = http.postForm("api/attempts/login", ann, "user=ann&password=ann-pw");
            assertEquals(200, welcome.statusCode(), welcome.body());
            assertEquals("\"attempts-login\";q=3;w=60", header(welcome, "RateLimit-Policy"));
            assertTrue(header(welcome, "RateLimit").startsWith("\"attempts-login\";r=3;"), "a success is given back: "
                    + header(welcome, "RateLimit"));
        }
        for (int remaining = 2; remaining >= 0; remaining--) {
            HttpResponse<String> wrong = http.postForm("api/attempts/login", ann, "user=ann&password=guess");
            assertEquals(401, wrong.statusCode(), wrong.body());
            assertTrue(header(wrong, "RateLimit").startsWith("\"attempts-login\";r=" + remaining + ";"), header(wrong, "RateLimit"));
        }
        HttpResponse<String> refused = http.postForm("api/attempts/login", ann, "user=ann&password=ann-pw");
        assertEquals(429, refused.statusCode(), refused.body());
        long retryAfter = Long.parseLong(header(refused, "Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    }

    /**
     * Each attempt is charged before it runs: of fifty concurrent wrong passwords, the three that reach the check are
     * held there while all the others are answered, and those are all refused.
     */
    @Test
    void concurrentFailuresNeverPassTheLimit() throws Exception {
        int checkedBefore = Integer.parseInt(http.get("api/attempts/checked").body());
        assertEquals(204, http.post("api/attempts/gate/close").statusCode());
        List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
        CountDownLatch answered = new CountDownLatch(47);
        try {
            for (int i = 0; i < 50; i++) {
                attempts.add(http.postFormAsync("api/attempts/login", "Bearer crowd-token", "user=crowd&password=guess" + i)
                        .whenComplete((response, failure) -> answered.countDown()));
            }
            assertTrue(answered.await(60, TimeUnit.SECONDS), "47 attempts answered while 3 were held in the check");
        } finally {
            http.post("api/attempts/gate/open");
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> attempt : attempts) {
            statuses.merge(attempt.get(60, TimeUnit.SECONDS).statusCode(), 1, Integer::sum);
        }
        assertEquals(Map.of(401, 3, 429, 47), statuses);
        assertEquals(3, Integer.parseInt(http.get("api/attempts/checked").body()) - checkedBefore,
                "attempts that reached the password check");
    }

    /** A counted exception counts; a call that returns is given back. */
    @Test
    void onlyTheCountedExceptionCounts() {
        String caller = "Bearer coder-token";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.get("api/attempts/code/1234", caller).statusCode());
        }
        assertEquals(403, http.get("api/attempts/code/0000", caller).statusCode());
        assertEquals(403, http.get("api/attempts/code/0001", caller).statusCode());
        assertEquals(429, http.get("api/attempts/code/0002", caller).statusCode());
        assertEquals(429, http.get("api/attempts/code/1234", caller).statusCode(), "the right code, too late");
    }

    /** A CDI bean that counts only the calls that throw its failure: the resource maps the failure, not the library. */
    @Test
    void aBeanCountsOnlyItsFailures() {
        String caller = "Bearer safecracker-token";
        for (int i = 0; i < 3; i++) {
            assertEquals("opened", http.get("api/attempts/vault/1234", caller).body());
        }
        assertEquals(403, http.get("api/attempts/vault/0000", caller).statusCode());
        assertEquals(403, http.get("api/attempts/vault/0001", caller).statusCode());
        HttpResponse<String> refused = http.get("api/attempts/vault/1234", caller);
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"violated-policies\":[\"vault\"]"), refused.body());
    }

    /** A caller gets the tier of their role, counted apart and shown in the headers; configuration adds tiers. */
    @Test
    void aCallerGetsTheTierOfTheirRole() {
        assertTier("Bearer premium-dora-token", 4);
        assertTier("Bearer gold-finn-token", 3); // ratelimit.limits.tiered.gold
        assertTier("Bearer eve-token", 2);
    }

    private void assertTier(String caller, int quota) {
        for (int remaining = quota - 1; remaining >= 0; remaining--) {
            HttpResponse<String> ok = http.get("api/tiered", caller);
            assertEquals(200, ok.statusCode(), caller + ": " + ok.body());
            assertEquals("\"tiered\";q=" + quota + ";w=60", header(ok, "RateLimit-Policy"), caller);
            assertTrue(header(ok, "RateLimit").startsWith("\"tiered\";r=" + remaining + ";"), caller + ": " + header(ok, "RateLimit"));
        }
        assertEquals(429, http.get("api/tiered", caller).statusCode(), caller);
    }

    /** The application's observer sees each rejection, with the caller's key since the application asks for it. */
    @Test
    void anObserverSeesEachRejection() {
        for (int i = 0; i < 2; i++) {
            assertEquals(200, http.get("api/observed", "Bearer observed-token").statusCode());
        }
        HttpResponse<String> refused = http.get("api/observed", "Bearer observed-token");
        assertEquals(429, refused.statusCode());
        assertEquals(429, http.get("api/observed", "Bearer observed-token").statusCode());
        String retryAfter = header(refused, "Retry-After");
        List<String> seen = http.get("api/events").body().lines().filter(line -> line.contains("observed")).toList();
        assertEquals(2, seen.size(), String.join("\n", seen));
        assertTrue(seen.get(0).matches("rejected observed retry-after=\\d+ remaining=0 key=u:observed"), seen.get(0));
        assertTrue(http.get("api/errors").body().contains("an observer of RateLimitRejected threw"),
                "StorageAlarm's audit observer threw after EventLog's, and the calls were still answered 429");
        long told = Long.parseLong(seen.get(0).replaceAll(".*retry-after=(\\d+).*", "$1"));
        assertTrue(Math.abs(told - Long.parseLong(retryAfter)) <= 1, seen.get(0) + " vs Retry-After " + retryAfter);
    }

    /** Code counts a policy it defines, reads it without counting and resets one key: through {@code RateLimits}. */
    @Test
    void codeCountsPeeksAndResetsAPolicyItDefines() {
        assertEquals("quota-exports q=3 r=3 exceeded=false", http.get("api/quota/exports/acme").body().replaceAll(" t=.*", ""));
        assertEquals("quota-exports q=3 r=2 exceeded=false", body(http.post("api/quota/exports/acme")).replaceAll(" t=.*", ""));
        assertEquals("quota-exports q=3 r=2 exceeded=false", http.get("api/quota/exports/acme").body().replaceAll(" t=.*", ""),
                "a peek counts nothing");
        assertEquals("quota-exports q=3 r=0 exceeded=false", body(http.post("api/quota/exports/acme?cost=2")).replaceAll(" t=.*", ""));
        assertEquals("false", body(http.post("api/quota/exports/acme/try")));
        HttpResponse<String> refused = http.post("api/quota/exports/acme");
        assertEquals(429, refused.statusCode(), refused.body());
        long retryAfter = Long.parseLong(header(refused, "Retry-After"));
        assertTrue(refused.body().endsWith("\"violated-policies\":[\"quota-exports\"]}"), refused.body());
        assertEquals("quota-exports q=3 r=0 exceeded=true t=" + retryAfter, http.get("api/quota/exports/acme").body());
        assertEquals("true", body(http.post("api/quota/exports/other/try")), "another key has its own counter");

        assertEquals(204, http.delete("api/quota/exports/acme").statusCode());
        assertEquals("quota-exports q=3 r=3 exceeded=false", http.get("api/quota/exports/acme").body().replaceAll(" t=.*", ""));
        assertEquals("true", body(http.post("api/quota/exports/acme/try")));
        assertEquals("quota-exports q=3 r=2 exceeded=false", http.get("api/quota/exports/other").body().replaceAll(" t=.*", ""),
                "a reset of one key leaves the others");

        HttpResponse<String> tooDear = http.post("api/quota/exports/acme?cost=4");
        assertEquals(400, tooDear.statusCode());
        assertEquals("Cost 4 for policy \"quota-exports\" is invalid: expected 1 to 3 (its smallest quota), or no call "
                + "could ever pass", tooDear.body());
        HttpResponse<String> blank = http.post("api/quota/exports/%20");
        assertEquals(400, blank.statusCode());
        assertTrue(blank.body().startsWith("The key is blank"), blank.body());

        HttpResponse<String> conflict = http.post("api/quota/define/quota-exports?limits=5%20per%20minute");
        assertEquals(400, conflict.statusCode());
        assertTrue(conflict.body().contains("policy \"quota-exports\" is already "), conflict.body());
        HttpResponse<String> invalid = http.post("api/quota/define/quota-bad?limits=5%20per%20fortnight");
        assertEquals(400, invalid.statusCode());
        assertTrue(invalid.body().startsWith("Invalid RateLimits.policy(\"quota-bad\"): invalid limit in limits \"5 per fortnight\""),
                invalid.body());
    }

    /** Code reads the current caller's state in an annotated policy and resets the policy for every caller. */
    @Test
    void codeReadsAndResetsAnAnnotatedPolicyByName() {
        assertEquals(204, http.delete("api/quota/policies/quota-limited").statusCode());
        assertEquals(200, http.get("api/quota/limited").statusCode());
        assertEquals(200, http.get("api/quota/limited", "alice", "alice-pw").statusCode());
        assertEquals("quota-limited q=4 r=3 exceeded=false", http.get("api/quota/policies/quota-limited").body().replaceAll(" t=.*", ""),
                "the anonymous caller, keyed by address, spent one");
        assertEquals("quota-limited q=4 r=3 exceeded=false",
                http.get("api/quota/policies/quota-limited", "alice", "alice-pw").body().replaceAll(" t=.*", ""), "alice spent one");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.get("api/quota/limited").statusCode());
        }
        assertEquals(429, http.get("api/quota/limited").statusCode());
        assertTrue(http.get("api/quota/policies/quota-limited").body().startsWith("quota-limited q=4 r=0 exceeded=true t="));

        assertEquals(204, http.delete("api/quota/policies/quota-limited").statusCode());
        HttpResponse<String> again = http.get("api/quota/limited");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(header(again, "RateLimit").startsWith("\"quota-limited\";r=3;"), header(again, "RateLimit"));
        assertEquals("quota-limited q=4 r=4 exceeded=false",
                http.get("api/quota/policies/quota-limited", "alice", "alice-pw").body().replaceAll(" t=.*", ""),
                "alice's counter is gone too");

        assertEquals(204, http.post("api/quota/policies/quota-limited/limits?limits=6%20per%20minute").statusCode());
        HttpResponse<String> updated = http.get("api/quota/limited");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("\"quota-limited\";q=6;w=60", header(updated, "RateLimit-Policy"), "the new limit, from the next call on");
        assertTrue(header(updated, "RateLimit").startsWith("\"quota-limited\";r=4;"), "the call counted before still counts: "
                + header(updated, "RateLimit"));
        HttpResponse<String> invalid = http.post("api/quota/policies/quota-limited/limits?limits=6%20per%20fortnight");
        assertEquals(400, invalid.statusCode());
        assertTrue(invalid.body().contains("invalid limit in limits \"6 per fortnight\""), invalid.body());
        assertTrue(http.get("api/quota/policies/quota-limited").body().startsWith("quota-limited q=6 "), "unchanged");
        HttpResponse<String> unknown = http.get("api/quota/policies/quota-nope");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().startsWith("No policy \"quota-nope\""), unknown.body());
    }

    private static String body(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /**
     * Payara has MicroProfile Metrics: {@code ratelimit_calls_total} counts the decisions per policy and outcome, and
     * {@code ratelimit.store.duration} times the round trips to the store (Payara's grid here): with a quota of 5, a
     * lease is a single permit, so each admitted call makes one.
     */
    @Test
    @Tag("payara")
    void metricsCountTheDecisionsPerPolicyAndOutcome() {
        double admitted = metric("greeting", "admitted");
        double rejected = metric("greeting", "rejected");
        double roundTrips = metric("ratelimit_store_duration_count{");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, http.get("api/greeting", "Bearer metered-token").statusCode());
        }
        assertEquals(429, http.get("api/greeting", "Bearer metered-token").statusCode());
        assertEquals(admitted + 5, metric("greeting", "admitted"));
        assertEquals(rejected + 1, metric("greeting", "rejected"));
        double timed = metric("ratelimit_store_duration_count{") - roundTrips;
        assertTrue(timed >= 5, "round trips timed: " + timed);
    }

    /**
     * Payara has MicroProfile OpenAPI: each limited operation (its own limit, or the default) documents 429 with its
     * headers and problem body, and 503 since this application denies calls while the store is down; an exempt one
     * documents neither.
     */
    @Test
    @Tag("payara")
    void theOpenApiDocumentShowsWhatLimitedOperationsMayAnswer() {
        HttpResponse<String> document = http.get("/openapi?format=json");
        assertEquals(200, document.statusCode());
        String json = document.body().replaceAll("\\s", "");
        for (String limited : new String[] {"/api/greeting", "/api/items"}) {
            String get = member(member(json, "\"" + limited + "\""), "\"get\"");
            String tooMany = member(member(get, "\"responses\""), "\"429\"");
            for (String header : new String[] {"\"Retry-After\"", "\"RateLimit-Policy\"", "\"RateLimit\""}) {
                assertTrue(member(tooMany, "\"headers\"").contains(header + ":"), limited + " 429 lacks " + header + ": " + tooMany);
            }
            assertTrue(member(tooMany, "\"content\"").contains("\"application/problem+json\":{\"schema\":{\"$ref\":"
                    + "\"#/components/schemas/RateLimitProblem\"}}"), tooMany);
            assertTrue(member(get, "\"responses\"").contains("\"503\":"), limited + " documents 503 under deny: " + get);
        }
        String exempt = member(member(json, "\"/api/health\""), "\"get\"");
        assertFalse(exempt.contains("\"429\"") || exempt.contains("\"503\""), "an exempt operation: " + exempt);
        String problem = member(member(member(json, "\"components\""), "\"schemas\""), "\"RateLimitProblem\"");
        assertTrue(problem.contains("\"violated-policies\":{"), problem);
    }

    /** The value of {@code name} in a JSON text without whitespace: the balanced object after it. */
    private static String member(String json, String name) {
        int at = json.indexOf(name + ":{");
        assertTrue(at >= 0, name + " not found in " + (json.length() > 2000 ? json.substring(0, 2000) + "..." : json));
        int start = at + name.length() + 1;
        int depth = 0;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (depth == 0) {
                return json.substring(start, i + 1);
            }
        }
        throw new AssertionError("unbalanced JSON after " + name);
    }

    /** A counter of Payara's Prometheus text, read as a monitoring system would; 0 before its first call. */
    private double metric(String policy, String outcome) {
        return metric("ratelimit_calls_total{", "policy=\"" + policy + "\"", "outcome=\"" + outcome + "\"");
    }

    /** The value of the first line of {@code /metrics} that starts with {@code name} and contains every tag; 0 if none. */
    private double metric(String name, String... tags) {
        HttpResponse<String> metrics = http.get("/metrics");
        assertEquals(200, metrics.statusCode());
        return metrics.body().lines()
                .filter(line -> line.startsWith(name) && java.util.Arrays.stream(tags).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
