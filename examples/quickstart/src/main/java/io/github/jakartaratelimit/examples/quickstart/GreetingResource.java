package io.github.jakartaratelimit.examples.quickstart;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Five greetings per minute for each caller: the signed-in user, else the client address. */
@Path("greeting")
public class GreetingResource {

    @GET
    @RateLimited(name = "greeting", value = "5 per minute")
    public String hello() {
        return "Hello!";
    }
}
