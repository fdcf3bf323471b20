package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.ApplicationScoped;

/** A limited bean that resources call, with a method named like the resource method that calls it. */
@ApplicationScoped
public class InnerWork {

    @RateLimited(name = "inner", value = "2 per minute")
    public String delegate() {
        return "delegated";
    }

    @RateLimited(name = "set-up", value = "100 per minute")
    public void setUp() {
    }
}
