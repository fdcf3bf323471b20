package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.KeyResolver;

import jakarta.enterprise.context.ApplicationScoped;

/** A custom key resolver that finds no key. */
@ApplicationScoped
public class NullKeyResolver implements KeyResolver {

    @Override
    public String resolve(Call call) {
        return null;
    }
}
