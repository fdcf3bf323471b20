package io.github.jakartaratelimit.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.core.TimeSource;
import io.github.jakartaratelimit.storage.CacheManagers;
import io.github.jakartaratelimit.storage.CounterStore;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.cache.CacheManager;

import io.smallrye.config.SmallRyeConfigBuilder;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits read again from a configuration that changes, through a real MicroProfile Config and a real Ehcache. */
class LimitRefreshTest {

    /** A configuration source whose values the test changes, as an operator would change a config server's. */
    static final class Changing implements ConfigSource {
        final Map<String, String> values = new ConcurrentHashMap<>();

        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String name) {
            return values.get(name);
        }

        @Override
        public String getName() {
            return "changing";
        }
    }

    private final Changing source = new Changing();
    private CacheManager ehcache;
    private CounterStore store;
    private Guard guard;
    private LimitRefresh refresh;

    @BeforeEach
    void deploy() throws Exception {
        Config config = new SmallRyeConfigBuilder().withSources(source).build();
        Settings settings = Settings.read(config);
        Method hello = GuardsTest.Greetings.class.getMethod("hello"); // @RateLimited(name = "greeting", value = "5 per minute")
        Supplier<Guard> made = () -> Guards.forMethod(GuardsTest.Greetings.class, hello,
                Guards.annotation(GuardsTest.Greetings.class, hello), settings, config);
        guard = made.get();
        refresh = new LimitRefresh();
        refresh.watch(guard, made);
        ehcache = CacheManagers.open("ehcache", null, () -> null, getClass().getClassLoader());
        store = new CounterStore(ehcache, "refresh-test", TimeSource.SYSTEM, 1000);
    }

    @AfterEach
    void close() {
        ehcache.close();
    }

    /** Calls of alice admitted by the guard's limits in force, until the first refusal. */
    private int admitted() {
        int admitted = 0;
        while (store.acquire(guard.policy(), guard.counterKey("u:alice"), 1).allowed()) {
            admitted++;
        }
        return admitted;
    }

    @Test
    void aNewQuotaAppliesFromTheNextRefreshAndWhatWasCountedStaysCounted() {
        assertEquals(5, admitted());
        assertEquals(List.of(), refresh.refresh(), "nothing changed");

        source.values.put("ratelimit.limits.greeting", "7 per minute");
        assertEquals(5, guard.policy().limits().get(0).quota(), "not before the refresh");
        assertEquals(List.of("the limits of " + guard.where + " are now [7 per 60 s] fixed-window"), refresh.refresh());
        assertEquals(7, guard.filterOnly().policy().limits().get(0).quota(), "every variant of the guard has it");
        assertEquals(2, admitted(), "the five calls counted before still count");
    }

    @Test
    void anInvalidValueIsRefusedAndTheLimitsInForceStay() {
        source.values.put("ratelimit.limits.greeting", "7 per fortnight");
        assertEquals(List.of(), refresh.refresh());
        assertEquals("[5 per 60 s] fixed-window", guard.describe());
        source.values.put("ratelimit.limits.greeting", "6 per minute");
        assertEquals(1, refresh.refresh().size(), "corrected, it applies");
        assertEquals("[6 per 60 s] fixed-window", guard.describe());
    }

    /** The MicroProfile Fault Tolerance style key of the method is read again too, and wins as at deployment. */
    @Test
    void theMethodsOwnKeyIsReadAgainAndWins() {
        source.values.put("ratelimit.limits.greeting", "7 per minute");
        source.values.put(GuardsTest.Greetings.class.getName() + "/hello/RateLimited/value", "8 per minute");
        assertEquals(1, refresh.refresh().size());
        assertEquals("[8 per 60 s] fixed-window", guard.describe());
    }

    @Test
    void newWindowsStartNewCounters() {
        assertEquals(5, admitted());
        source.values.put("ratelimit.limits.greeting", "5 per hour");
        refresh.refresh();
        assertEquals(5, admitted(), "a counter of another window is another counter");
    }

    /** A change by code stays until the configuration itself changes; an invalid one is refused. */
    @Test
    void aChangeByCodeStaysUntilTheConfigurationChanges() {
        guard.replace(Guards.policyOf(guard, "9 per minute"));
        assertEquals(List.of(), refresh.refresh());
        assertEquals("[9 per 60 s] fixed-window", guard.describe(), "the configuration did not change");
        source.values.put("ratelimit.limits.greeting", "8 per minute");
        refresh.refresh();
        assertEquals("[8 per 60 s] fixed-window", guard.describe(), "it did now");
        assertTrue(assertThrows(Guards.DefinitionProblem.class, () -> Guards.policyOf(guard, "0 per minute"))
                .getMessage().startsWith("Invalid @RateLimited on " + guard.where + ": invalid limit in limits \"0 per minute\""));
        assertFalse(guard.describe().contains("0 per"));
    }
}
