package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** No scope, so CDI never sees it: its limit is read when JAX-RS starts the application. */
@Path("unscoped-bad")
public class UnscopedBadResource {

    @GET
    @RateLimited("3 per moon")
    public String get() {
        return "never deployed";
    }
}
