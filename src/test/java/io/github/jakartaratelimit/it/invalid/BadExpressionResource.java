package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("bad-expression")
@RequestScoped
public class BadExpressionResource {

    @GET
    @RateLimited("10 per fortnight")
    public String hello() {
        return "never deployed";
    }
}
