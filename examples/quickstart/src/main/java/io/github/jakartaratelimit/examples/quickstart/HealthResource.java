package io.github.jakartaratelimit.examples.quickstart;

import io.github.jakartaratelimit.RateLimitExempt;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Never limited: load balancers must always reach it. */
@Path("health")
public class HealthResource {

    @GET
    @RateLimitExempt
    public String health() {
        return "UP";
    }
}
