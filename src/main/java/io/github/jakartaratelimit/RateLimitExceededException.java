package io.github.jakartaratelimit;

import java.time.Duration;
import java.util.List;

import jakarta.ejb.ApplicationException;

/**
 * Thrown when a call is over its limit. The call was not counted: not by the limit that refused it, and, within a
 * request, not by the limits the request met before it either (a default limit on the resource, a limited bean
 * called first), which are taken back. JAX-RS turns it into
 * {@code 429 Too Many Requests} with {@code Retry-After}, the rate limit headers and a problem body.
 *
 * <p>It carries no stack trace (a rejection must cost less than the call it prevents) and is an EJB
 * application exception, so an EJB throws it as it is rather than wrapped and logged.
 */
@ApplicationException(rollback = false)
public class RateLimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<RateLimitStatus> statuses;
    private final Duration retryAfter;

    /**
     * @param statuses the state of every limit that applied, at least one of them exceeded
     */
    public RateLimitExceededException(List<RateLimitStatus> statuses) {
        super(null, null, false, false);
        this.statuses = List.copyOf(statuses);
        long seconds = 1;
        for (RateLimitStatus status : statuses) {
            if (status.exceeded()) {
                seconds = Math.max(seconds, status.resetSeconds());
            }
        }
        this.retryAfter = Duration.ofSeconds(seconds);
    }

    /** Built when asked for: a rejection must stay cheap, and most are never logged. */
    @Override
    public String getMessage() {
        return message(statuses);
    }

    /** Every limit that applied to the call, exceeded or not. */
    public List<RateLimitStatus> getStatuses() {
        return statuses;
    }

    /** The names of the policies that rejected the call. */
    public List<String> getViolatedPolicies() {
        return statuses.stream().filter(RateLimitStatus::exceeded).map(RateLimitStatus::policy).distinct().toList();
    }

    /** How long until the call could pass, in whole seconds rounded up and at least one second. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    private static String message(List<RateLimitStatus> statuses) {
        StringBuilder message = new StringBuilder("Rate limit exceeded:");
        for (RateLimitStatus status : statuses) {
            if (status.exceeded()) {
                message.append(" \"").append(status.policy()).append("\" allows ").append(status.quota())
                        .append(" per ").append(status.window().toSeconds()).append(" s, retry in ")
                        .append(status.resetSeconds()).append(" s;");
            }
        }
        message.setLength(message.length() - 1);
        return message.append('.').toString();
    }
}
