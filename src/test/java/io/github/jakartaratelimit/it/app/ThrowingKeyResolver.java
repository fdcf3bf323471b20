package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.KeyResolver;

import jakarta.enterprise.context.ApplicationScoped;

/** A custom key resolver that fails, as user code will: the call must neither fail nor go unlimited. */
@ApplicationScoped
public class ThrowingKeyResolver implements KeyResolver {

    @Override
    public String resolve(Call call) {
        throw new IllegalStateException("tenant header missing");
    }
}
