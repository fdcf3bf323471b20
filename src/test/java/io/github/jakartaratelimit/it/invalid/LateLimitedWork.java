package io.github.jakartaratelimit.it.invalid;

import jakarta.enterprise.context.ApplicationScoped;

/** Limited only by {@link LateLimitExtension}, too late. */
@ApplicationScoped
public class LateLimitedWork {

    public String work() {
        return "done";
    }
}
