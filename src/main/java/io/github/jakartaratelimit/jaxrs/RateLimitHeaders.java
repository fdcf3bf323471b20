package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.cdi.Settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Writes the rate limit headers: the IETF draft's {@code RateLimit-Policy} and {@code RateLimit}
 * (structured-field lists of strings with parameters), and on request the legacy {@code X-RateLimit-*}.
 */
final class RateLimitHeaders {

    static final String POLICY = "RateLimit-Policy";
    static final String RATE_LIMIT = "RateLimit";
    static final String LEGACY_LIMIT = "X-RateLimit-Limit";

    /** What a limit's headers repeat on every response, formatted once per limit (bounded). */
    private static final Map<Limit, Formatted> FORMATTED = new ConcurrentHashMap<>();
    private static final int MAX_FORMATTED = 1_000;

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
            if (statuses.size() == 1) { // the usual response: one limit, its parts looked up once
                RateLimitStatus status = statuses.get(0);
                Formatted limit = limit(status);
                headers.accept(POLICY, limit.policy);
                headers.accept(RATE_LIMIT, limit.rateLimit(status));
            } else {
                headers.accept(POLICY, policy(statuses));
                headers.accept(RATE_LIMIT, rateLimit(statuses));
            }
        }
        if (style.legacy()) {
            // One value each: the legacy headers describe the limit closest to rejecting.
            RateLimitStatus tightest = statuses.get(0);
            for (RateLimitStatus status : statuses) {
                if (status.exceeded() != tightest.exceeded() ? status.exceeded() : status.remaining() < tightest.remaining()) {
                    tightest = status;
                }
            }
            headers.accept(LEGACY_LIMIT, tightest.quota());
            headers.accept("X-RateLimit-Remaining", tightest.remaining());
            headers.accept("X-RateLimit-Reset", nowEpochSeconds + tightest.resetSeconds());
        }
    }

    /** {@code "name";q=<quota>;w=<window seconds>}, one per limit. */
    static String policy(List<RateLimitStatus> statuses) {
        if (statuses.size() == 1) {
            return limit(statuses.get(0)).policy;
        }
        StringBuilder value = new StringBuilder();
        for (RateLimitStatus status : statuses) {
            separate(value).append(limit(status).policy);
        }
        return value.toString();
    }

    /** {@code "name";r=<remaining>;t=<seconds until the quota is back>}, one per limit. */
    static String rateLimit(List<RateLimitStatus> statuses) {
        if (statuses.size() == 1) {
            return limit(statuses.get(0)).rateLimit(statuses.get(0));
        }
        StringBuilder value = new StringBuilder(64);
        for (RateLimitStatus status : statuses) {
            separate(value).append(limit(status).remainingPrefix).append(status.remaining())
                    .append(";t=").append(status.resetSeconds());
        }
        return value.toString();
    }

    private static Formatted limit(RateLimitStatus status) {
        Limit limit = new Limit(status.policy(), status.quota(), status.window());
        Formatted known = FORMATTED.get(limit);
        if (known != null) {
            return known;
        }
        String name = string(new StringBuilder(status.policy().length() + 2), status.policy()).toString();
        Formatted formatted = new Formatted(name + ";r=", name + ";q=" + status.quota() + ";w=" + status.window().toSeconds());
        if (FORMATTED.size() >= MAX_FORMATTED) {
            FORMATTED.clear(); // code may name policies as it goes: the ones in use come back at once
        }
        FORMATTED.put(limit, formatted);
        return formatted;
    }

    /** How many limits have their parts formatted: for tests. */
    static int formattedLimits() {
        return FORMATTED.size();
    }

    /** Looked up on every response of a limited request: compared and hashed by hand, without the record's generic ones. */
    private record Limit(String policy, long quota, Duration window) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Limit limit && quota == limit.quota && policy.equals(limit.policy)
                    && window.equals(limit.window);
        }

        @Override
        public int hashCode() {
            return 31 * policy.hashCode() + Long.hashCode(quota); // the name's hash is kept in the string
        }
    }

    /** The start of a limit's {@code RateLimit} item (its name as an sf-string, then {@code ;r=}), and its {@code RateLimit-Policy} item. */
    private record Formatted(String remainingPrefix, String policy) {

        /** Its {@code RateLimit} item: one string built to its exact length. */
        String rateLimit(RateLimitStatus status) {
            return remainingPrefix + status.remaining() + ";t=" + status.resetSeconds();
        }
    }

    private static StringBuilder separate(StringBuilder value) {
        return value.length() > 0 ? value.append(", ") : value;
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
