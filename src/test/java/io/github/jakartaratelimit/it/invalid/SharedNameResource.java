package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Two methods that share a counter by name but disagree on its limit. */
@Path("shared")
@RequestScoped
public class SharedNameResource {

    @GET
    @Path("a")
    @RateLimited(name = "shared", value = "10/minute")
    public String first() {
        return "a";
    }

    @GET
    @Path("b")
    @RateLimited(name = "shared", value = "20/minute")
    public String second() {
        return "b";
    }
}
