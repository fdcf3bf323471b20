package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimited;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A resource without any scope or bean-defining annotation: in annotated discovery it is no CDI bean. */
@Path("unscoped")
public class UnscopedResource {

    @GET
    @RateLimited(value = "3 per minute")
    public String limited() {
        return "limited";
    }

    @GET
    @Path("anonymous")
    @RateLimited(value = "2 per minute")
    public String anonymous() {
        return "anonymous";
    }

    @GET
    @Path("instance")
    @RateLimited(name = "unscoped-instance", value = "100 per minute")
    public String instance() {
        return getClass().getName();
    }

    @GET
    @Path("items")
    public String items() {
        return "items";
    }

    @GET
    @Path("health")
    @RateLimitExempt
    public String health() {
        return "ok";
    }

    @GET
    @Path("fails")
    @RateLimitExempt
    public String fails() {
        throw new IllegalStateException("the application failed");
    }
}
