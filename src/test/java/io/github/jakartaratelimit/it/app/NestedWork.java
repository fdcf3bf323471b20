package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.ApplicationScoped;

/** A limited bean behind a resource that falls under the default limit: two limits in one request. */
@ApplicationScoped
public class NestedWork {

    @RateLimited(name = "nested", value = "1 per minute")
    public String work() {
        return "nested";
    }
}
