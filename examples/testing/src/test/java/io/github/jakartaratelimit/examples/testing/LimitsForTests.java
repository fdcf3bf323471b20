package io.github.jakartaratelimit.examples.testing;

import io.github.jakartaratelimit.RateLimits;

import java.time.Duration;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** Endpoints of the test deployment only: the test resets counters and moves time through them. */
@Path("test-support")
@RequestScoped
public class LimitsForTests {

    @Inject
    RateLimits limits;

    @DELETE
    @Path("limits/{name}")
    public void reset(@PathParam("name") String name) {
        limits.policy(name).reset();
    }

    @POST
    @Path("clock")
    public void advance(@QueryParam("seconds") long seconds) {
        TestClock.advance(Duration.ofSeconds(seconds));
    }
}
