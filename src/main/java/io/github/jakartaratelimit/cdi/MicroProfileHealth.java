package io.github.jakartaratelimit.cdi;

import java.util.function.Supplier;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check {@code ratelimit-store}: UP while the counter store answers, DOWN (with the policy in force)
 * while it does not. Added by the extension as a bean only where MicroProfile Health is there: no class of the
 * library that every server loads refers to its API.
 */
final class MicroProfileHealth {

    static final String NAME = "ratelimit-store";

    private MicroProfileHealth() {
    }

    /**
     * @param limiter the application's limiter once it started, else {@code null} (a lookup from the bean would be
     *                resolved in the extension's archive, which does not see the library's beans on Payara)
     */
    static void register(AfterBeanDiscovery event, Supplier<RateLimiter> limiter) {
        event.addBean()
                .beanClass(MicroProfileHealth.class)
                .types(HealthCheck.class, Object.class)
                .qualifiers(Readiness.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Dependent.class)
                .createWith(context -> check(limiter));
    }

    private static HealthCheck check(Supplier<RateLimiter> limiter) {
        return () -> {
            RateLimiter started = limiter.get();
            if (started == null) {
                return HealthCheckResponse.named(NAME).down().withData("store", "starting").build();
            }
            RateLimiter.StoreState store = started.storeState();
            return HealthCheckResponse.named(NAME)
                    .status(!store.down())
                    .withData("store", store.description())
                    .withData("on-storage-failure", store.onFailure())
                    .build();
        };
    }
}
