package io.github.jakartaratelimit.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.RateLimited;
import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Limit;
import io.github.jakartaratelimit.core.TimeSource;
import io.github.jakartaratelimit.storage.CacheManagers;
import io.github.jakartaratelimit.storage.CounterStore;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.cache.CacheManager;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** How annotation and configuration combine into a method's limit, read through a real MicroProfile Config. */
class GuardsTest {

    static class Greetings {
        @RateLimited(name = "account", value = "5/minute", tiers = {
                @RateLimited.Tier(role = "premium", value = "20/minute"), @RateLimited.Tier(role = "staff", value = "50/minute")})
        public void account() {
        }

        @RateLimited(value = "3/minute", countStatuses = {403, 401}, countExceptions = IllegalStateException.class)
        public void login() {
        }

        @RateLimited(name = "greeting", value = "5 per minute")
        public void hello() {
        }

        @RateLimited("10/second;1000/hour")
        public void both() {
        }

        @RateLimited(value = "5/minute", cost = 2, algorithm = RateLimited.Algorithm.TOKEN_BUCKET)
        public void expensive() {
        }
    }

    @RateLimited("3 per minute")
    static class WholeClass {
        public void inherits() {
        }

        @RateLimited("7 per minute")
        public void own() {
        }
    }

    static class Invalid {
        @RateLimited
        public void noLimit() {
        }

        @RateLimited(name = "grüße", value = "1/s")
        public void badName() {
        }

        @RateLimited(value = "1/s", cost = 0)
        public void freeCall() {
        }

        @RateLimited(value = "5/s", cost = -1)
        public void refund() {
        }

        @RateLimited(value = "3/s;2/minute", cost = 3)
        public void neverPasses() {
        }

        @RateLimited(value = "1/s", countStatuses = {401, 99})
        public void oddStatus() {
        }

        @RateLimited(value = "1/s", tiers = @RateLimited.Tier(role = " ", value = "2/s"))
        public void noRole() {
        }

        @RateLimited(value = "1/s", tiers = {@RateLimited.Tier(role = "a", value = "2/s"), @RateLimited.Tier(role = "a", value = "3/s")})
        public void twoTiers() {
        }

        @RateLimited(value = "1/s", tiers = @RateLimited.Tier(role = "premium", value = "2 per fortnight"))
        public void badTier() {
        }
    }

    private static Config config(Map<String, String> properties, Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100), new EnvConfigSource(environment, 300))
                .build();
    }

    private static Guard guard(Class<?> type, String method, Map<String, String> properties, Map<String, String> env)
            throws NoSuchMethodException {
        Config config = config(properties, env);
        Settings settings = Settings.read(config);
        assertEquals(List.of(), settings.errors);
        Method m = type.getMethod(method);
        return Guards.forMethod(type, m, Guards.annotation(type, m), settings, config);
    }

    private static Guard guard(Class<?> type, String method, Map<String, String> properties) throws NoSuchMethodException {
        return guard(type, method, properties, Map.of());
    }

    @Test
    void theAnnotationAloneGivesTheLimitAndNamesThePolicy() throws Exception {
        Guard greeting = guard(Greetings.class, "hello", Map.of());
        assertEquals(List.of(new Limit(5, 60_000)), greeting.policy().limits());
        assertEquals("greeting", greeting.name);
        assertEquals(Algorithm.FIXED_WINDOW, greeting.policy().algorithm());

        Guard both = guard(Greetings.class, "both", Map.of());
        assertEquals(List.of(new Limit(10, 1_000), new Limit(1000, 3_600_000)), both.policy().limits());
        assertEquals("both", both.name, "an unnamed method is named after itself");
        assertEquals(List.of("both-1", "both-2"), both.statuses(both.policy().acquire(null, 0, 1).decision())
                .stream().map(s -> s.policy()).toList());
    }

    @Test
    void costAndAlgorithmComeFromTheAnnotationOrTheDefault() throws Exception {
        Guard expensive = guard(Greetings.class, "expensive", Map.of("ratelimit.algorithm", "sliding-window"));
        assertEquals(2, expensive.cost);
        assertEquals(Algorithm.TOKEN_BUCKET, expensive.policy().algorithm());
        assertEquals(Algorithm.SLIDING_WINDOW,
                guard(Greetings.class, "hello", Map.of("ratelimit.algorithm", "sliding-window")).policy().algorithm());
    }

    @Test
    void overridesGoFromNameToClassToMethod() throws Exception {
        String method = Greetings.class.getName() + "/hello/RateLimited/value";
        assertEquals(List.of(new Limit(3, 60_000)),
                guard(Greetings.class, "hello", Map.of("ratelimit.limits.greeting", "3/minute")).policy().limits());
        assertEquals(List.of(new Limit(9, 1_000)), guard(Greetings.class, "hello",
                Map.of("ratelimit.limits.greeting", "3/minute", method, "9/s")).policy().limits());
    }

    @Test
    void environmentVariablesReachTheOverrides() throws Exception {
        Guard guard = guard(Greetings.class, "hello", Map.of(), Map.of("RATELIMIT_LIMITS_GREETING", "3/minute"));
        assertEquals(List.of(new Limit(3, 60_000)), guard.policy().limits());
    }

    @Test
    void aClassLevelOverrideAppliesWhereTheClassAnnotationDoes() throws Exception {
        Map<String, String> config = Map.of(WholeClass.class.getName() + "/RateLimited/value", "1 per hour");
        assertEquals(List.of(new Limit(1, 3_600_000)), guard(WholeClass.class, "inherits", config).policy().limits());
        assertEquals(List.of(new Limit(7, 60_000)), guard(WholeClass.class, "own", config).policy().limits(),
                "a method's own annotation wins over the class, and so does its own override key");
    }

    @Test
    void invalidAnnotationsNameTheMethodTheTextAndWhatWasExpected() {
        String where = "Invalid @RateLimited on " + Invalid.class.getName() + "#";
        assertEquals(where + "noLimit: no limit: set @RateLimited(value = \"...\"), for example \"10 per minute\"",
                problem("noLimit", Map.of()));
        assertEquals(where + "badName: name \"grüße\" is invalid: expected printable ASCII, not empty (it is sent in HTTP headers)",
                problem("badName", Map.of()));
        assertEquals(where + "freeCall: cost 0 is invalid: expected 1 to 1 (the smallest quota of \"1/s\"), or no call could ever pass",
                problem("freeCall", Map.of()));
        assertTrue(problem("neverPasses", Map.of()).startsWith(where + "neverPasses: cost 3 is invalid: expected 1 to 2"));
        assertTrue(problem("refund", Map.of()).startsWith(where + "refund: cost -1 is invalid: expected 1 to 5"));
        assertEquals(where + "oddStatus: countStatuses 99 is invalid: expected HTTP statuses, 100 to 599",
                problem("oddStatus", Map.of()));
        assertEquals(where + "noRole: a tier has no role; expected the name of a role, as isUserInRole knows it",
                problem("noRole", Map.of()));
        assertEquals(where + "twoTiers: role a has two tiers; expected one per role", problem("twoTiers", Map.of()));
        assertTrue(problem("badTier", Map.of()).startsWith(where + "badTier: invalid limit in the tier of role premium: "
                + "unknown unit \"fortnight\""), problem("badTier", Map.of()));
        assertTrue(problem("noLimit", Map.of(Invalid.class.getName() + "/noLimit/RateLimited/value", "5 per eon"))
                .startsWith(where + "noLimit: invalid limit in config key " + Invalid.class.getName()
                        + "/noLimit/RateLimited/value: unknown unit \"eon\""));
    }

    private static Guard forMethod(Class<?> type, String method, Config config) throws NoSuchMethodException {
        Method m = type.getMethod(method);
        return Guards.forMethod(type, m, Guards.annotation(type, m), Settings.read(config), config);
    }

    private static String problem(String method, Map<String, String> properties) {
        Config config = config(properties, Map.of());
        return assertThrows(Guards.DefinitionProblem.class,
                () -> forMethod(Invalid.class, method, config)).getMessage();
    }

    @Test
    void settingsAreCheckedStrictly() {
        Settings settings = Settings.read(config(Map.of(
                "ratelimit.enabled", "maybe",
                "ratelimit.default", "100 per moon",
                "ratelimit.algorithm", "leaky-bucket",
                "ratelimit.headers", "all",
                "ratelimit.cache.provider", "not a class",
                "ratelimit.cache.uri", "file:///a b"), Map.of()));
        assertEquals(List.of(
                "Invalid ratelimit.enabled \"maybe\": expected true or false",
                "Invalid ratelimit.default \"100 per moon\": unknown unit \"moon\" (expected second, minute, hour, day, month or year) at "
                        + "position 8 of \"100 per moon\"; expected limits like \"10 per minute\", \"10/minute\", \"5/2 seconds\" "
                        + "or \"10/second;1000/hour\"",
                "Invalid ratelimit.algorithm \"leaky-bucket\": expected fixed-window, sliding-window or token-bucket",
                "Invalid ratelimit.headers \"all\": expected ietf, legacy, both or none",
                "Invalid ratelimit.cache.provider \"not a class\": expected auto, ehcache, container or the class name of a "
                        + "javax.cache.spi.CachingProvider",
                "Invalid ratelimit.cache.uri \"file:///a b\": expected a URI (Illegal character in path)"), settings.errors);
    }

    @Test
    void storageAndProxySettingsAreCheckedStrictlyEvenFromTheEnvironment() {
        Settings settings = Settings.read(config(Map.of(), Map.of(
                "RATELIMIT_CACHE_MAX_ENTRIES", "10",
                "RATELIMIT_CACHE_TIMEOUT_MILLIS", "soon",
                "RATELIMIT_ON_STORAGE_FAILURE", "retry",
                "RATELIMIT_TRUSTED_PROXIES", "10.0.0.0/8, 10.0.0.0/40",
                "RATELIMIT_FORWARDED_HEADER", "x-real-ip",
                "RATELIMIT_CACHE_NAMESPACE", "my app",
                "RATELIMIT_DEFAULT", "100 per minute;")));
        assertEquals(List.of(
                "Invalid ratelimit.default \"100 per minute;\": trailing separator at position 15 of \"100 per minute;\"; "
                        + "expected limits like \"10 per minute\", \"10/minute\", \"5/2 seconds\" or \"10/second;1000/hour\"",
                "Invalid ratelimit.cache.namespace \"my app\": expected letters, digits, '.', '_' or '-', or empty for the "
                        + "application's name",
                "Invalid ratelimit.cache.max-entries \"10\": expected a whole number of at least 1000",
                "Invalid ratelimit.cache.timeout-millis \"soon\": expected a whole number of milliseconds, or 0 to call the store directly",
                "Invalid ratelimit.on-storage-failure \"retry\": expected allow, deny or local",
                "Invalid ratelimit.forwarded-header \"x-real-ip\": expected x-forwarded-for or forwarded",
                "Invalid ratelimit.trusted-proxies \"10.0.0.0/8, 10.0.0.0/40\": expected comma-separated IPv4 or IPv6 "
                        + "networks such as 10.0.0.0/8, fd00::/8 (\"10.0.0.0/40\" has a prefix length outside 0 to 32)"),
                settings.errors);
    }

    @Test
    void anInvalidOverrideFromTheEnvironmentNamesTheKeyItCameFrom() {
        Config config = config(Map.of(), Map.of("RATELIMIT_LIMITS_GREETING", "3 per fortnight"));
        Guards.DefinitionProblem problem = assertThrows(Guards.DefinitionProblem.class,
                () -> forMethod(Greetings.class, "hello", config));
        assertTrue(problem.getMessage().startsWith("Invalid @RateLimited on " + Greetings.class.getName()
                + "#hello: invalid limit in config key ratelimit.limits.greeting: unknown unit \"fortnight\""), problem.getMessage());
    }

    @Test
    void defaultSettings() {
        Settings settings = Settings.read(config(Map.of(), Map.of()));
        assertEquals(List.of(), settings.errors);
        assertTrue(settings.enabled);
        assertEquals(List.of(), settings.defaultLimits);
        assertEquals(Algorithm.FIXED_WINDOW, settings.algorithm);
        assertEquals(Settings.Headers.IETF, settings.headers);
        assertEquals("auto", settings.cacheProvider);
        assertEquals("ratelimit", settings.cacheName);
    }

    @Test
    void longKeyMaterialIsStoredInBoundedSize() throws Exception {
        Guard guard = guard(Greetings.class, "hello", Map.of());
        String huge = "u:" + "x".repeat(10_000);
        String other = "u:" + "x".repeat(9_999) + "y";
        assertTrue(guard.counterKey(huge).length() < 100, guard.counterKey(huge));
        assertEquals(guard.counterKey(huge), guard.counterKey(huge));
        assertNotEquals(guard.counterKey(huge), guard.counterKey(other));
        assertEquals(guard.counterKey("u:alice").length(), guard.counterKey("u:alice").length());
        assertTrue(guard.counterKey("u:alice").endsWith("/u:alice"), "short keys are kept as they are");
    }

    /**
     * A redeployment (or a change at run time) that changes a policy's algorithm or windows must not read the state
     * the old definition stored: on a shared store the old counters are still there, under the same name. A changed
     * quota keeps the counters: the calls already counted still count.
     */
    @Test
    void aChangedLayoutStartsAfreshAndAChangedQuotaKeepsTheCount() throws Exception {
        Guard fixed = guard(Greetings.class, "hello", Map.of());
        Guard tokens = guard(Greetings.class, "hello", Map.of("ratelimit.algorithm", "token-bucket"));
        Guard hourly = guard(Greetings.class, "hello", Map.of("ratelimit.limits.greeting", "5 per hour"));
        Guard larger = guard(Greetings.class, "hello", Map.of("ratelimit.limits.greeting", "6 per minute"));
        assertEquals(fixed.counterKey("u:alice"), guard(Greetings.class, "hello", Map.of()).counterKey("u:alice"));
        CacheManager ehcache = CacheManagers.open("ehcache", null, () -> null, getClass().getClassLoader());
        try {
            CounterStore store = new CounterStore(ehcache, "guards-test", TimeSource.SYSTEM, 1000);
            for (int i = 0; i < 5; i++) {
                assertTrue(store.acquire(fixed.policy(), fixed.counterKey("u:alice"), 1).allowed());
            }
            assertFalse(store.acquire(fixed.policy(), fixed.counterKey("u:alice"), 1).allowed());
            for (Guard changed : new Guard[] {tokens, hourly}) {
                Decision first = store.acquire(changed.policy(), changed.counterKey("u:alice"), 1);
                assertTrue(first.allowed(), changed.describe());
                assertEquals(4, first.remaining(0), changed.describe() + " starts afresh");
            }
            Decision sixth = store.acquire(larger.policy(), larger.counterKey("u:alice"), 1);
            assertTrue(sixth.allowed(), "one more call under the larger quota");
            assertEquals(0, sixth.remaining(0), "the five calls counted before still count");
        } finally {
            ehcache.close();
        }
    }

    @Test
    void counterKeysCannotCollideAcrossNames() throws Exception {
        Guard a = new Guard("A#a", "a", "n:a b", guard(Greetings.class, "hello", Map.of()).policy(), RateLimited.Key.IP, null, 1);
        Guard b = new Guard("B#b", "b", "n:a", a.policy(), RateLimited.Key.IP, null, 1);
        assertNotEquals(a.counterKey("c"), b.counterKey("b c"));
    }

    @Test
    void countedOutcomesComeFromTheAnnotation() throws Exception {
        Outcomes login = guard(Greetings.class, "login", Map.of()).outcomes;
        assertTrue(login.conditional());
        assertTrue(login.countsStatus(401) && login.countsStatus(403));
        assertFalse(login.countsStatus(200) || login.countsStatus(500));
        assertTrue(login.countsThrown(new IllegalStateException()));
        assertTrue(login.countsThrown(new java.nio.channels.IllegalBlockingModeException()), "a subclass counts");
        assertFalse(login.countsThrown(new IllegalArgumentException()));
        assertFalse(guard(Greetings.class, "hello", Map.of()).outcomes.conditional(), "by default every call counts");
    }

    /** The response's status settles a conditional call once: given back unless it counts; a refusal takes back the rest. */
    @Test
    void aConditionalCallIsGivenBackUnlessItsStatusCounts() throws Exception {
        Guard login = guard(Greetings.class, "login", Map.of());
        Guard hello = guard(Greetings.class, "hello", Map.of());
        RequestState state = new RequestState();
        RequestState.Charge success = new RequestState.Charge(login, login.plan(), "ann", login.policy().acquire(null, 0, 1).decision(), null);
        RequestState.Charge always = new RequestState.Charge(hello, hello.plan(), "ann", hello.policy().acquire(null, 0, 1).decision(), null);
        state.add(success);
        state.add(always);
        assertFalse(success.settled());
        assertTrue(always.settled(), "an unconditional call counts whatever happens");
        assertEquals(List.of(success), state.settle(200));
        assertEquals(List.of(), state.settle(200), "settled once");
        assertEquals(3, state.statuses().get(0).remaining(), "the headers show it given back");
        assertEquals(4, state.statuses().get(1).remaining());

        RequestState failed = new RequestState();
        RequestState.Charge failure = new RequestState.Charge(login, login.plan(), "ann", login.policy().acquire(null, 0, 1).decision(), null);
        failed.add(failure);
        assertEquals(List.of(), failed.settle(401));
        assertEquals(2, failed.statuses().get(0).remaining(), "a failure counts");
        assertEquals(List.of(failure), failed.takeBack(), "until a refusal of its request takes everything back");
    }

    /** A caller gets the first tier whose role they have; configuration overrides a tier or adds one; tiers count apart. */
    @Test
    void tiersPerRole() throws Exception {
        Guard account = guard(Greetings.class, "account", Map.of(
                "ratelimit.limits.account.staff", "60/minute", "ratelimit.limits.account.gold", "100/minute"));
        assertEquals(List.of("premium", "staff", "gold"), account.tiers().stream().map(Guard.Tier::role).toList());
        assertEquals(List.of(new Limit(5, 60_000)), account.policy().limits());
        assertEquals(List.of(new Limit(20, 60_000)), account.tierFor(Set.of("premium")::contains).policy().limits());
        assertEquals(List.of(new Limit(60, 60_000)), account.tierFor(Set.of("staff")::contains).policy().limits(),
                "overridden by ratelimit.limits.account.staff");
        assertEquals(List.of(new Limit(100, 60_000)), account.tierFor(Set.of("gold", "user")::contains).policy().limits(),
                "added by ratelimit.limits.account.gold");
        assertEquals(List.of(new Limit(20, 60_000)), account.tierFor(Set.of("staff", "premium")::contains).policy().limits(),
                "the first tier declared wins");
        assertSame(account, account.tierFor(Set.of("user")::contains));
        Guard premium = account.tierFor(Set.of("premium")::contains);
        assertEquals("account", premium.name, "headers show the policy's name with the tier's quota");
        assertNotEquals(account.counterKey("u:", "carol"), premium.counterKey("u:", "carol"), "each tier counts apart");
        assertFalse(account.sameLimits(guard(Greetings.class, "account", Map.of())), "tiers are part of the limits");
    }

    /** A key that changes nothing is named with the closest one that would; keys in use and other libraries' are not. */
    @Test
    void strayKeysAreNamedWithTheClosestKnownOne() {
        List<String> warnings = Settings.strayKeys(List.of("ratelimit.algoritm", "ratelimit.limits.serach",
                "ratelimit.limits.search", "ratelimit.limits.account.premium", "ratelimit.limits.acount.premium",
                "ratelimit.cache.provider", "mp.openapi.filter", "RATELIMIT_DEFAULT"), Set.of("search", "account"));
        assertEquals(List.of(
                "ratelimit.algoritm is no setting of jakarta-ratelimit, so it changes nothing; the closest one is "
                        + "ratelimit.algorithm",
                "ratelimit.limits.serach names no policy of this application (no @RateLimited(name = \"serach\")), so it "
                        + "changes nothing unless code defines it through RateLimits; the closest name in use is search",
                "ratelimit.limits.acount.premium names no policy of this application (no @RateLimited(name = "
                        + "\"acount.premium\")), so it changes nothing unless code defines it through RateLimits; the "
                        + "closest name in use is account"), warnings);
        assertEquals(List.of(), Settings.strayKeys(Settings.KEYS, Set.of()), "every setting the library reads is known");
    }

    /** A policy code defines: its limits as given, or as configured; an invalid one is named with what was expected. */
    @Test
    void codeDefinesPoliciesThatConfigurationOverrides() {
        Config config = config(Map.of("ratelimit.limits.exports", "7 per hour", "ratelimit.algorithm", "sliding-window"), Map.of());
        Guard exports = Guards.forCode("exports", "3 per minute", Settings.read(config), config);
        assertEquals("[7 per 3600 s] sliding-window", exports.describe());
        assertEquals("n:exports", exports.counterId, "one counter with @RateLimited(name = \"exports\") methods");
        Guard imports = Guards.forCode("imports", "3 per minute", Settings.read(config), config);
        assertEquals("[3 per 60 s] sliding-window", imports.describe());
        assertEquals("Invalid RateLimits.policy(\"imports\"): invalid limit in limits \"3 per fortnight\": "
                        + "unknown unit \"fortnight\"",
                assertThrows(Guards.DefinitionProblem.class,
                        () -> Guards.forCode("imports", "3 per fortnight", Settings.read(config), config)).getMessage()
                        .replaceAll(" \\(expected.*", ""));
        assertTrue(assertThrows(Guards.DefinitionProblem.class, () -> Guards.forCode(" imports", "3 per minute",
                Settings.read(config), config)).getMessage().contains("expected printable ASCII"));
        assertTrue(assertThrows(Guards.DefinitionProblem.class, () -> Guards.forCode("imports", " ",
                Settings.read(config), config)).getMessage().contains("no limit: expected limits such as"));
    }

    @Test
    void valuesAreTrimmedAndKeywordsReadRegardlessOfCase() {
        Settings settings = Settings.read(config(Map.of("ratelimit.enabled", " FALSE ", "ratelimit.cache.provider", " EhCache",
                "ratelimit.headers", " Legacy ", "ratelimit.algorithm", "Sliding-Window ", "ratelimit.lease", " OFF"), Map.of()));
        assertEquals(List.of(), settings.errors);
        assertFalse(settings.enabled);
        assertEquals("ehcache", settings.cacheProvider);
        assertEquals(Settings.Headers.LEGACY, settings.headers);
        assertEquals(Algorithm.SLIDING_WINDOW, settings.algorithm);
        assertFalse(settings.lease);
    }
}
