package io.github.jakartaratelimit.examples.testing;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("greeting")
public class GreetingResource {

    @GET
    @RateLimited(name = "greeting", value = "100 per minute")
    public String greeting() {
        return "hello";
    }
}
