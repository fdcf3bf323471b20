package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.cdi.RateLimiter;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Answers a rate limit breach with {@code 429 Too Many Requests}: {@code Retry-After}, the rate limit
 * headers, and an RFC 9457 problem body that names the violated policies and nothing else about the caller.
 */
final class RateLimitExceptionMapper implements ExceptionMapper<RateLimitExceededException> {

    static final String PROBLEM_TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";
    /** Parsed once: every 429 carries it. */
    static final MediaType PROBLEM_JSON = MediaType.valueOf("application/problem+json");

    private final RateLimiter limiter;

    RateLimitExceptionMapper(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Response toResponse(RateLimitExceededException exception) {
        return toResponse(exception, limiter.requestStatuses());
    }

    /** @param statuses every limit the request met, or none to report the exception's own */
    Response toResponse(RateLimitExceededException exception, List<RateLimitStatus> statuses) {
        Response.ResponseBuilder response = Response.status(Response.Status.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, exception.getRetryAfter().toSeconds())
                .type(PROBLEM_JSON)
                .entity(problem(exception));
        RateLimitHeaders.write(statuses.isEmpty() ? exception.getStatuses() : statuses, limiter.headers(),
                response::header);
        return response.build();
    }

    static String problem(RateLimitExceededException exception) {
        StringBuilder json = new StringBuilder(256)
                .append("{\"type\":\"").append(PROBLEM_TYPE).append("\",\"title\":\"Too Many Requests\",\"status\":429,")
                .append("\"detail\":");
        Json.string(json, exception.getMessage()).append(",\"violated-policies\":[");
        // The exception's getViolatedPolicies(), without its stream: once per policy that refused, in order.
        List<RateLimitStatus> statuses = exception.getStatuses();
        boolean first = true;
        for (int i = 0; i < statuses.size(); i++) {
            RateLimitStatus status = statuses.get(i);
            if (status.exceeded() && !violatedBefore(statuses, i)) {
                Json.string(first ? json : json.append(','), status.policy());
                first = false;
            }
        }
        return json.append("]}").toString();
    }

    private static boolean violatedBefore(List<RateLimitStatus> statuses, int index) {
        for (int i = 0; i < index; i++) {
            if (statuses.get(i).exceeded() && statuses.get(i).policy().equals(statuses.get(index).policy())) {
                return true;
            }
        }
        return false;
    }
}
