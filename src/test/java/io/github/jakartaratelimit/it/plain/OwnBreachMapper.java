package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimitExceededException;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * An application's own answer to a breach. Not a {@code @Provider}: only {@link OwnAnswerApplication}, which lists it,
 * uses it, so the other applications of the war keep the library's.
 */
public class OwnBreachMapper implements ExceptionMapper<RateLimitExceededException> {

    @Override
    public Response toResponse(RateLimitExceededException exception) {
        return Response.status(429).entity("slow down, retry in " + exception.getRetryAfter().toSeconds() + " s").build();
    }
}
