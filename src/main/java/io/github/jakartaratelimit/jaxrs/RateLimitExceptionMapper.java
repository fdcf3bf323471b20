package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.cdi.RateLimiter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    /** The last body made per policy, for refusals by one limit (see {@link #problem}). */
    private static final Map<String, Problem> PROBLEMS = new ConcurrentHashMap<>();
    private static final int MAX_PROBLEMS = 1_000;

    private final RateLimiter limiter;

    RateLimitExceptionMapper(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Response toResponse(RateLimitExceededException exception) {
        List<RateLimitStatus> statuses = limiter.requestStatuses(); // every limit the request met, else the exception's
        Response.ResponseBuilder response = refusal(exception);
        RateLimitHeaders.write(statuses.isEmpty() ? exception.getStatuses() : statuses, limiter.headers(),
                response::header);
        return response.build();
    }

    /**
     * The 429 of a refusal by the JAX-RS filter, but for the rate limit headers: the response filter writes them
     * into the response's own headers, as on any response of a request that met a limit, which spares a copy of
     * each (a builder's headers are copied when it builds).
     */
    Response refusalWithoutLimits(RateLimitExceededException exception) {
        return refusal(exception).build();
    }

    private static Response.ResponseBuilder refusal(RateLimitExceededException exception) {
        return Response.status(Response.Status.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, exception.getRetryAfter().toSeconds())
                .type(PROBLEM_JSON)
                .entity(problem(exception));
    }

    /**
     * The body of a refusal by one limit, which every refusal of a hot key repeats until its wait changes by a second:
     * the last one made per policy (bounded, since code may name policies as it goes).
     */
    static String problem(RateLimitExceededException exception) {
        List<RateLimitStatus> statuses = exception.getStatuses();
        if (statuses.size() != 1 || exception.getClass() != RateLimitExceededException.class) {
            return body(exception); // a subclass may say something else
        }
        RateLimitStatus status = statuses.get(0);
        Problem last = PROBLEMS.get(status.policy());
        if (last != null && last.sameBody(status)) {
            return last.body;
        }
        Problem made = new Problem(status, body(exception));
        if (PROBLEMS.size() >= MAX_PROBLEMS) {
            PROBLEMS.clear();
        }
        PROBLEMS.put(status.policy(), made);
        return made.body;
    }

    /** A body, and the status it was made for: what of a status the body shows, its remaining and exact reset do not. */
    private record Problem(RateLimitStatus status, String body) {
        boolean sameBody(RateLimitStatus other) {
            return status.exceeded() == other.exceeded() && status.quota() == other.quota()
                    && status.resetSeconds() == other.resetSeconds() && status.window().equals(other.window());
        }
    }

    private static String body(RateLimitExceededException exception) {
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
