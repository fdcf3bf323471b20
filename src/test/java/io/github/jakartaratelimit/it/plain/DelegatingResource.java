package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimited;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** An unscoped resource whose limited method hands the work to a limited bean method of the same name. */
@Path("delegating")
public class DelegatingResource {

    @Inject
    InnerWork work;

    @GET
    @RateLimited(name = "outer", value = "5 per minute")
    public String delegate() {
        return work.delegate();
    }
}
