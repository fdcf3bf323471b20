package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Valid as annotated; the deployments that fail override it with bad configuration. */
@Path("search")
@RequestScoped
public class SearchResource {

    @GET
    @RateLimited(name = "search", value = "10/minute")
    public String search() {
        return "results";
    }
}
