package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** No scope, so no CDI bean: nothing could see what its method throws. */
@Path("attempts")
public class UnscopedAttemptResource {

    @GET
    @RateLimited(value = "3 per minute", countExceptions = IllegalStateException.class)
    public String attempt() {
        return "attempted";
    }
}
