package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.cdi.RateLimiter;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Answers a rate limit breach with {@code 429 Too Many Requests}: {@code Retry-After}, the rate limit
 * headers, and an RFC 9457 problem body that names the violated policies and nothing else about the caller.
 */
final class RateLimitExceptionMapper implements ExceptionMapper<RateLimitExceededException> {

    static final String PROBLEM_TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";

    private final RateLimiter limiter;

    RateLimitExceptionMapper(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Response toResponse(RateLimitExceededException exception) {
        Response.ResponseBuilder response = Response.status(Response.Status.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, exception.getRetryAfter().toSeconds())
                .type("application/problem+json")
                .entity(problem(exception));
        List<RateLimitStatus> statuses = limiter.requestStatuses();
        RateLimitHeaders.write(statuses.isEmpty() ? exception.getStatuses() : statuses, limiter.headers(),
                response::header);
        return response.build();
    }

    static String problem(RateLimitExceededException exception) {
        StringBuilder json = new StringBuilder(256)
                .append("{\"type\":\"").append(PROBLEM_TYPE).append("\",\"title\":\"Too Many Requests\",\"status\":429,")
                .append("\"detail\":");
        Json.string(json, exception.getMessage()).append(",\"violated-policies\":[");
        List<String> violated = exception.getViolatedPolicies();
        for (int i = 0; i < violated.size(); i++) {
            Json.string(i == 0 ? json : json.append(','), violated.get(i));
        }
        return json.append("]}").toString();
    }
}
