package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.cdi.Settings;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes the rate limit headers: the IETF draft's {@code RateLimit-Policy} and {@code RateLimit}
 * (structured-field lists of strings with parameters), and on request the legacy {@code X-RateLimit-*}.
 */
final class RateLimitHeaders {

    static final String POLICY = "RateLimit-Policy";
    static final String RATE_LIMIT = "RateLimit";

    private RateLimitHeaders() {
    }

    static void write(List<RateLimitStatus> statuses, Settings.Headers style, BiConsumer<String, Object> headers) {
        write(statuses, style, headers, System.currentTimeMillis() / 1000);
    }

    /**
     * @param nowEpochSeconds the server's time: the legacy reset is an instant, in epoch seconds, as GitHub and
     *                        Flask-Limiter send it and the clients written for them read it
     */
    static void write(List<RateLimitStatus> statuses, Settings.Headers style, BiConsumer<String, Object> headers,
                      long nowEpochSeconds) {
        if (statuses.isEmpty()) {
            return;
        }
        if (style.ietf()) {
            headers.accept(POLICY, policy(statuses));
            headers.accept(RATE_LIMIT, rateLimit(statuses));
        }
        if (style.legacy()) {
            // One value each: the legacy headers describe the limit closest to rejecting.
            RateLimitStatus tightest = statuses.get(0);
            for (RateLimitStatus status : statuses) {
                if (status.exceeded() != tightest.exceeded() ? status.exceeded() : status.remaining() < tightest.remaining()) {
                    tightest = status;
                }
            }
            headers.accept("X-RateLimit-Limit", tightest.quota());
            headers.accept("X-RateLimit-Remaining", tightest.remaining());
            headers.accept("X-RateLimit-Reset", nowEpochSeconds + tightest.resetSeconds());
        }
    }

    /** {@code "name";q=<quota>;w=<window seconds>}, one per limit. */
    static String policy(List<RateLimitStatus> statuses) {
        StringBuilder value = new StringBuilder();
        for (RateLimitStatus status : statuses) {
            separate(value);
            string(value, status.policy()).append(";q=").append(status.quota()).append(";w=").append(status.window().toSeconds());
        }
        return value.toString();
    }

    /** {@code "name";r=<remaining>;t=<seconds until the quota is back>}, one per limit. */
    static String rateLimit(List<RateLimitStatus> statuses) {
        StringBuilder value = new StringBuilder();
        for (RateLimitStatus status : statuses) {
            separate(value);
            string(value, status.policy()).append(";r=").append(status.remaining()).append(";t=").append(status.resetSeconds());
        }
        return value.toString();
    }

    private static void separate(StringBuilder value) {
        if (value.length() > 0) {
            value.append(", ");
        }
    }

    /** An RFC 8941 sf-string: printable ASCII, with {@code "} and {@code \} escaped; anything else becomes {@code ?}. */
    static StringBuilder string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
        }
        return out.append('"');
    }
}
