package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.it.extended.AddedLimitExtension;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.interceptor.Interceptor;

/** An extension that adds {@code @RateLimited} after the library bound its interceptor: nothing would count the calls. */
public class LateLimitExtension implements Extension {

    void limit(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) ProcessAnnotatedType<LateLimitedWork> type) {
        type.configureAnnotatedType().add(new AddedLimitExtension.Literal("2 per minute", "late"));
    }
}
