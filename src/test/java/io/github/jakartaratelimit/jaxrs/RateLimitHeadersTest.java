package io.github.jakartaratelimit.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.cdi.Settings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static final RateLimitStatus GREETING = new RateLimitStatus("greeting", 5, Duration.ofMinutes(1), 0,
            Duration.ofMillis(41_001), true);
    private static final RateLimitStatus DAILY = new RateLimitStatus("daily", 1000, Duration.ofDays(1), 870,
            Duration.ofSeconds(3_600), false);

    private static Map<String, Object> headers(List<RateLimitStatus> statuses, Settings.Headers style) {
        Map<String, Object> headers = new LinkedHashMap<>();
        RateLimitHeaders.write(statuses, style, headers::put, NOW_EPOCH_SECONDS);
        return headers;
    }

    private static final long NOW_EPOCH_SECONDS = 1_800_000_000L;

    @Test
    void ietfHeadersListEveryPolicyWithWholeSecondsRoundedUp() {
        assertEquals(Map.of(
                "RateLimit-Policy", "\"greeting\";q=5;w=60, \"daily\";q=1000;w=86400",
                "RateLimit", "\"greeting\";r=0;t=42, \"daily\";r=870;t=3600"), headers(List.of(GREETING, DAILY), Settings.Headers.IETF));
    }

    /** The legacy reset is the instant the quota is back, in epoch seconds, as GitHub and Flask-Limiter send it. */
    @Test
    void legacyHeadersDescribeTheLimitClosestToRejecting() {
        assertEquals(Map.of("X-RateLimit-Limit", 5L, "X-RateLimit-Remaining", 0L, "X-RateLimit-Reset", NOW_EPOCH_SECONDS + 42),
                headers(List.of(DAILY, GREETING), Settings.Headers.LEGACY));
        assertEquals(5, headers(List.of(DAILY, GREETING), Settings.Headers.BOTH).size());
        assertEquals(Map.of(), headers(List.of(DAILY, GREETING), Settings.Headers.NONE));
    }

    /** A limit's header parts are formatted once, yet a quota or window changed at run time shows at once. */
    @Test
    void aPolicyWhoseLimitsChangeIsReportedWithItsNewLimits() {
        for (int quota = 5; quota <= 7; quota++) {
            RateLimitStatus status = new RateLimitStatus("changing", quota, Duration.ofMinutes(1), 1, Duration.ofSeconds(9), false);
            assertEquals("\"changing\";q=" + quota + ";w=60", RateLimitHeaders.policy(List.of(status)));
            assertEquals("\"changing\";q=" + quota + ";w=60", RateLimitHeaders.policy(List.of(status)), "asked again");
        }
        RateLimitStatus hourly = new RateLimitStatus("changing", 7, Duration.ofHours(1), 1, Duration.ofSeconds(9), false);
        assertEquals("\"changing\";q=7;w=3600", RateLimitHeaders.policy(List.of(hourly)));
        for (int i = 0; i < 2_500; i++) { // names made by code as it goes: the formatted parts stay bounded, and right
            RateLimitStatus made = new RateLimitStatus("tenant-" + i, i, Duration.ofSeconds(1), 0, Duration.ofSeconds(1), false);
            assertEquals("\"tenant-" + i + "\";r=0;t=1", RateLimitHeaders.rateLimit(List.of(made)));
            assertTrue(RateLimitHeaders.formattedLimits() <= 1_000);
        }
        assertEquals("\"changing\";q=7;w=3600, \"tenant-1\";q=1;w=1", RateLimitHeaders.policy(List.of(hourly,
                new RateLimitStatus("tenant-1", 1, Duration.ofSeconds(1), 0, Duration.ofSeconds(1), false))));
    }

    @Test
    void policyNamesAreEscapedAsStructuredFieldStrings() {
        RateLimitStatus odd = new RateLimitStatus("say \"hi\" \\ ok", 1, Duration.ofSeconds(1), 0, Duration.ofSeconds(1), false);
        assertEquals("\"say \\\"hi\\\" \\\\ ok\";q=1;w=1", RateLimitHeaders.policy(List.of(odd)));
        RateLimitStatus unicode = new RateLimitStatus("caf\u00e9\n", 1, Duration.ofSeconds(1), 0, Duration.ofSeconds(1), false);
        assertEquals("\"caf??\";r=0;t=1", RateLimitHeaders.rateLimit(List.of(unicode)));
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpNeverZeroAndNeverBeforeTheResetOfAViolatedPolicy() {
        assertEquals(Duration.ofSeconds(42), new RateLimitExceededException(List.of(GREETING, DAILY)).getRetryAfter());
        RateLimitStatus almost = new RateLimitStatus("x", 1, Duration.ofSeconds(1), 0, Duration.ofMillis(1), true);
        assertEquals(Duration.ofSeconds(1), new RateLimitExceededException(List.of(almost)).getRetryAfter());
        RateLimitStatus later = new RateLimitStatus("y", 1, Duration.ofHours(1), 0, Duration.ofMillis(59_000), true);
        assertEquals(Duration.ofSeconds(59), new RateLimitExceededException(List.of(almost, later)).getRetryAfter());
    }

    @Test
    void theProblemBodyNamesOnlyTheViolatedPolicies() {
        assertEquals("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                        + "\"title\":\"Too Many Requests\",\"status\":429,"
                        + "\"detail\":\"Rate limit exceeded: \\\"greeting\\\" allows 5 per 60 s, retry in 42 s.\","
                        + "\"violated-policies\":[\"greeting\"]}",
                RateLimitExceptionMapper.problem(new RateLimitExceededException(List.of(GREETING, DAILY))));
    }

    /**
     * A refusal by one limit reuses the body of the previous refusal of that policy, but never a stale one: a wait,
     * quota or window that changed is in the next body, and an application's subclass says what it says.
     */
    @Test
    void theProblemBodyOfARefusalShowsItsOwnWait() {
        for (long millis : new long[] {41_001, 41_500, 40_001, 40_000, 39_999}) {
            RateLimitStatus refused = new RateLimitStatus("body", 5, Duration.ofMinutes(1), 0, Duration.ofMillis(millis), true);
            assertTrue(RateLimitExceptionMapper.problem(new RateLimitExceededException(List.of(refused)))
                    .contains("\"body\\\" allows 5 per 60 s, retry in " + (millis + 999) / 1000 + " s."), millis + " ms");
        }
        RateLimitStatus raised = new RateLimitStatus("body", 9, Duration.ofHours(1), 0, Duration.ofMillis(39_999), true);
        assertTrue(RateLimitExceptionMapper.problem(new RateLimitExceededException(List.of(raised)))
                .contains("allows 9 per 3600 s, retry in 40 s."));
        RateLimitExceededException own = new RateLimitExceededException(List.of(raised)) {
            @Override
            public String getMessage() {
                return "Slow down, please.";
            }
        };
        assertTrue(RateLimitExceptionMapper.problem(own).contains("\"detail\":\"Slow down, please.\""));
    }
}
