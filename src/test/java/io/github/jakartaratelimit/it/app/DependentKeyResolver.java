package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.KeyResolver;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.Dependent;

/** A resolver with per-call state, as a dependent bean may have: one instance per call, destroyed after it. */
@Dependent
public class DependentKeyResolver implements KeyResolver {

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger DESTROYED = new AtomicInteger();

    @PostConstruct
    void created() {
        CREATED.incrementAndGet();
    }

    @PreDestroy
    void destroyed() {
        DESTROYED.incrementAndGet();
    }

    @Override
    public String resolve(Call call) {
        return "tenant-" + call.parameters()[0];
    }
}
