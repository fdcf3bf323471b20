package io.github.jakartaratelimit;

/**
 * A CDI event fired when the counter store fails (at most once a minute, like the warning it logs), for
 * alerting. Observe it with {@code void onFailure(@Observes RateLimitStorageFailure failure)}; the observer
 * runs on the thread of the failing call, so keep it quick.
 *
 * @param cause           what the store threw, or the timeout
 * @param onStorageFailure the configured policy now in force: {@code allow}, {@code deny} or {@code local}
 */
public record RateLimitStorageFailure(Throwable cause, String onStorageFailure) {
}
