package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class LimitedTask {

    @RateLimited(name = "background", value = "2 per minute")
    public String run() {
        return "ok";
    }
}
