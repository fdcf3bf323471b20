package io.github.jakartaratelimit.cdi;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * {@link CallMetrics} in the application's MicroProfile Metrics registry: the counter {@code ratelimit.calls} tagged
 * {@code policy} and {@code outcome} ({@code ratelimit_calls_total} in Prometheus text) and the timer
 * {@code ratelimit.store.duration}. Loaded only when the API is there.
 */
final class MicroProfileMetrics implements CallMetrics {

    private static final Metadata CALLS = Metadata.builder().withName("ratelimit.calls")
            .withDescription("Calls decided by jakarta-ratelimit, per policy and outcome").build();
    private static final Metadata STORE = Metadata.builder().withName("ratelimit.store.duration")
            .withDescription("Time each operation sent to a distributed counter store took to answer").build();

    private final MetricRegistry registry;
    private final Timer store;
    /** Per policy name, one counter per outcome: found without building tags on each call. */
    private final Map<String, Counter[]> calls = new ConcurrentHashMap<>();

    private MicroProfileMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.store = registry.timer(STORE);
    }

    /** A field of the registry's type, for an injection point: Payara's producer reads its scope from one. */
    private static final class Injected {
        MetricRegistry registry;
    }

    /** @return {@code null} when no registry bean is resolvable */
    static CallMetrics create(BeanManager beans) {
        if (beans.resolve(beans.getBeans(MetricRegistry.class)) == null) {
            return null;
        }
        InjectionPoint point = beans.createInjectionPoint(beans.createAnnotatedType(Injected.class).getFields().iterator().next());
        return new MicroProfileMetrics((MetricRegistry) beans.getInjectableReference(point, beans.createCreationalContext(null)));
    }

    @Override
    public void call(String policy, Outcome outcome) {
        Counter[] counters = calls.get(policy);
        if (counters == null) {
            counters = calls.computeIfAbsent(policy, this::counters);
        }
        counters[outcome.ordinal()].inc();
    }

    private Counter[] counters(String policy) {
        Outcome[] outcomes = Outcome.values();
        Counter[] counters = new Counter[outcomes.length];
        for (Outcome outcome : outcomes) {
            counters[outcome.ordinal()] = registry.counter(CALLS, new Tag("policy", policy), new Tag("outcome", outcome.tag));
        }
        return counters;
    }

    @Override
    public void store(long nanos) {
        store.update(Duration.ofNanos(nanos));
    }
}
