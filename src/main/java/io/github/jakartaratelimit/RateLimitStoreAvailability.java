package io.github.jakartaratelimit;

/**
 * A CDI event fired when the counter store stops answering (the breaker opens, or it cannot be reached when the
 * application starts) and when it answers again: {@code void onStore(@Observes RateLimitStoreAvailability change)}.
 * Fired once per change, on a thread of the library's; {@link RateLimitStorageFailure} reports the failures themselves.
 *
 * @param available        whether the store answers from now on
 * @param onStorageFailure the configured policy, in force while it does not: {@code allow}, {@code deny} or
 *                         {@code local}
 */
public record RateLimitStoreAvailability(boolean available, String onStorageFailure) {
}
