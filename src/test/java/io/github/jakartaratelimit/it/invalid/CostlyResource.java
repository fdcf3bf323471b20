package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("costly")
@RequestScoped
public class CostlyResource {

    @GET
    @RateLimited(value = "2/minute", cost = 3)
    public String expensive() {
        return "never deployed";
    }
}
