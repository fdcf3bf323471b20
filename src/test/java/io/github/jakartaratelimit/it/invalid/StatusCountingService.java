package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.ApplicationScoped;

/** A bean method has no response status to count by. */
@ApplicationScoped
public class StatusCountingService {

    @RateLimited(value = "3 per minute", countStatuses = 401)
    public String check() {
        return "checked";
    }
}
