package io.github.jakartaratelimit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitExpressionTest {

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "10 per minute        | 10 | 60000",
            "10/minute            | 10 | 60000",
            "10 / minute          | 10 | 60000",
            "10/minutes           | 10 | 60000",
            "10/m                 | 10 | 60000",
            "5/2 seconds          | 5  | 2000",
            "5 per 2 seconds      | 5  | 2000",
            "1 per second         | 1  | 1000",
            "3/s                  | 3  | 1000",
            "100 PER HOUR         | 100| 3600000",
            "7/h                  | 7  | 3600000",
            "1000/day             | 1000| 86400000",
            "2 per 3 days         | 2  | 259200000",
            "1/d                  | 1  | 86400000",
            "'  4   per   1 minute  ' | 4 | 60000",
    })
    void parsesOneLimit(String text, long quota, long window) {
        assertEquals(List.of(new Limit(quota, window)), LimitExpression.parse(text));
    }

    @Test
    void parsesSeveralLimitsInOrder() {
        assertEquals(List.of(new Limit(10, SECOND), new Limit(1000, HOUR)), LimitExpression.parse("10/second;1000/hour"));
        assertEquals(List.of(new Limit(2, MINUTE), new Limit(20, DAY)), LimitExpression.parse("2/minute, 20/day"));
        assertEquals(List.of(new Limit(1, SECOND), new Limit(5, MINUTE), new Limit(100, DAY)),
                LimitExpression.parse("1/s ; 5 per minute , 100/d"));
        assertEquals(List.of(new Limit(10, SECOND), new Limit(1000, HOUR)), LimitExpression.parse("10/second | 1000/hour"),
                "Flask-Limiter's other separator");
    }

    /** As Flask-Limiter's {@code limits} package counts them: a month is 30 days, a year 360. */
    @Test
    void monthsAndYearsAreThoseOfFlaskLimiter() {
        assertEquals(List.of(new Limit(1000, 30 * DAY)), LimitExpression.parse("1000 per month"));
        assertEquals(List.of(new Limit(5, 60 * DAY)), LimitExpression.parse("5/2 months"));
        assertEquals(List.of(new Limit(12, 360 * DAY)), LimitExpression.parse("12 per Year"));
        assertEquals(List.of(new Limit(1, 720 * DAY), new Limit(1, DAY)), LimitExpression.parse("1/2 years|1/day"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "''                          | 0  | missing limit",
            "'   '                       | 3  | missing limit",
            "ten per minute              | 0  | expected a count",
            "10                          | 2  | expected \"per\" or \"/\"",
            "10 minute                   | 3  | expected \"per\" or \"/\"",
            "10 per                      | 6  | expected a unit (second, minute, hour, day, month or year)",
            "10/                         | 3  | expected a unit (second, minute, hour, day, month or year)",
            "10 per fortnight            | 7  | unknown unit \"fortnight\" (expected second, minute, hour, day, month or year)",
            "10 per 2 weeks              | 9  | unknown unit \"weeks\"",
            "10 per minutely             | 7  | unknown unit \"minutely\"",
            "0 per minute                | 0  | count must be at least 1",
            "-1 per minute               | 0  | expected a count",
            "10 per 0 seconds            | 7  | window must be at least 1 unit",
            "10 per -2 seconds           | 7  | expected a unit",
            "1.5 per minute              | 1  | expected \"per\" or \"/\"",
            "10 per 2.5 minutes          | 8  | expected a unit",
            "10 per minute;              | 14 | trailing separator",
            "'10 per minute, '           | 15 | trailing separator",
            ";10 per minute              | 0  | empty limit",
            "10 per minute;;5/s          | 14 | empty limit",
            "10 per minute 5             | 14 | unexpected '5'",
            "10 per minute extra         | 14 | unexpected 'e'",
            "10 // minute                | 4  | expected a unit",
            "10 per 2 5 seconds          | 9  | expected a unit",
            "10 perminute                | 3  | expected \"per\" or \"/\"",
            "99999999999999999999/second | 0  | number too large",
            "10 per 99999999999999999999 days | 7 | number too large",
            "10 per 9999999999999999 days | 7  | window too long",
            "9999999999999999/day        | 0  | limit too large",
            "10/second 1000/hour         | 10 | unexpected '1'",
    })
    void rejectsInvalidExpressionsWithPositionAndExpectation(String text, int position, String problem) {
        InvalidLimitException e = assertThrows(InvalidLimitException.class, () -> LimitExpression.parse(text));
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.getMessage().startsWith(problem), e.getMessage());
        assertTrue(e.getMessage().contains("at position " + position + " of \"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("expected limits like \"10 per minute\""), e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(InvalidLimitException.class, () -> LimitExpression.parse(null));
    }
}
