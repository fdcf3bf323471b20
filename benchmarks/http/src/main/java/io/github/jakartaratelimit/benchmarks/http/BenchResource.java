package io.github.jakartaratelimit.benchmarks.http;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Three identical endpoints: without a limit, under a limit never reached, and over an exhausted one. */
@Path("/")
@ApplicationScoped
public class BenchResource {

    @GET
    @Path("unlimited")
    public String unlimited() {
        return "ok";
    }

    @GET
    @Path("limited")
    @RateLimited(name = "limited", value = "1000000000 per day")
    public String limited() {
        return "ok";
    }

    @GET
    @Path("exhausted")
    @RateLimited(name = "exhausted", value = "1 per day")
    public String exhausted() {
        return "ok";
    }
}
