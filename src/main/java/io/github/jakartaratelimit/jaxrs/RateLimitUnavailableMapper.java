package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitUnavailableException;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Answers a call refused because the counter store is down ({@code ratelimit.on-storage-failure=deny}) with 503. */
final class RateLimitUnavailableMapper implements ExceptionMapper<RateLimitUnavailableException> {

    static final String PROBLEM_TYPE = "https://iana.org/assignments/http-problem-types#temporary-reduced-capacity";

    @Override
    public Response toResponse(RateLimitUnavailableException exception) {
        StringBuilder json = new StringBuilder(200).append("{\"type\":\"").append(PROBLEM_TYPE)
                .append("\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":");
        Json.string(json, exception.getMessage() + "; retry in " + exception.getRetryAfter().toSeconds() + " s.").append('}');
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, exception.getRetryAfter().toSeconds())
                .type(RateLimitExceptionMapper.PROBLEM_JSON)
                .entity(json.toString())
                .build();
    }
}
