package io.github.jakartaratelimit;

import java.time.Duration;
import java.util.List;

/**
 * A CDI event fired for each call refused by a limit, for auditing or alerting:
 * {@code void onRejected(@Observes RateLimitRejected rejected)}. The observer runs synchronously on the refused
 * call's thread, before the 429 is answered: keep it quick, or hand the work on. When the application observes no
 * such event (no observer of this type, or of a supertype such as {@code Object}), none is created.
 *
 * @param policy     the name of the policy whose limit refused the call
 * @param retryAfter how long until the call could pass, as {@code Retry-After} says
 * @param statuses   the state of each limit of the policy, as the headers report it
 * @param key        the caller's key, only with {@code ratelimit.events.include-key=true} (else {@code null}): the
 *                   principal as {@code u:<name>}, the address as {@code ip:<address>}, a resolver's key as
 *                   {@code k:<key>}, {@code *} for a global limit, a key over 128 characters as {@code #<SHA-256>}
 */
public record RateLimitRejected(String policy, Duration retryAfter, List<RateLimitStatus> statuses, String key) {
}
