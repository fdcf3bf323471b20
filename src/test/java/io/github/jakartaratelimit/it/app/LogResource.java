package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitExempt;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** What {@link LogWatch} collected, one error per line. */
@Path("errors")
@RequestScoped
@RateLimitExempt
public class LogResource {

    @Inject
    LogWatch watch;

    @GET
    public String errors() {
        return String.join("\n", watch.errors());
    }
}
