package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("answer")
public class OwnAnswerResource {

    @GET
    @RateLimited(name = "own-answer", value = "1 per minute")
    public String answer() {
        return "answered";
    }
}
