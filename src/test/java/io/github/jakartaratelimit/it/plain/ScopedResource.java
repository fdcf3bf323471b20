package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimited;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A request-scoped resource that calls a limited bean while it is created, before its own method is intercepted. */
@Path("scoped")
@RequestScoped
public class ScopedResource {

    @Inject
    InnerWork work;

    @PostConstruct
    void setUp() {
        work.setUp();
    }

    @GET
    @RateLimited(name = "scoped", value = "5 per minute")
    public String get() {
        return "scoped";
    }

    @GET
    @Path("instance")
    @RateLimited(name = "scoped-instance", value = "100 per minute")
    public String instance() {
        return getClass().getName();
    }
}
