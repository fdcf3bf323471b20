package io.github.jakartaratelimit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses limit expressions in the Flask-Limiter style: {@code count (per|/) [n] unit}, several joined by
 * {@code ;}, {@code ,} or {@code |}. Units are second, minute, hour and day, singular, plural or abbreviated to
 * their first letter; and month and year, singular or plural, of 30 and 360 days as in Flask-Limiter's
 * {@code limits} package (so that a limit carried over counts the same), not calendar months.
 */
public final class LimitExpression {

    private static final Map<String, Long> UNIT_MILLIS = Map.ofEntries(
            Map.entry("s", 1_000L), Map.entry("second", 1_000L), Map.entry("seconds", 1_000L),
            Map.entry("m", 60_000L), Map.entry("minute", 60_000L), Map.entry("minutes", 60_000L),
            Map.entry("h", 3_600_000L), Map.entry("hour", 3_600_000L), Map.entry("hours", 3_600_000L),
            Map.entry("d", 86_400_000L), Map.entry("day", 86_400_000L), Map.entry("days", 86_400_000L),
            Map.entry("month", 30 * 86_400_000L), Map.entry("months", 30 * 86_400_000L),
            Map.entry("year", 360 * 86_400_000L), Map.entry("years", 360 * 86_400_000L));

    private final String text;
    private int pos;

    private LimitExpression(String text) {
        this.text = text;
    }

    /**
     * Parses {@code text} into its limits, in the order written.
     *
     * @throws InvalidLimitException naming the offending position and what was expected
     */
    public static List<Limit> parse(String text) {
        if (text == null) {
            throw new InvalidLimitException("", 0, "missing limit");
        }
        return new LimitExpression(text).limits();
    }

    private List<Limit> limits() {
        List<Limit> limits = new ArrayList<>();
        do {
            limits.add(limit());
        } while (separator());
        skipSpaces();
        if (pos < text.length()) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        return List.copyOf(limits);
    }

    private Limit limit() {
        skipSpaces();
        int start = pos;
        if (pos == text.length() || isSeparator(text.charAt(pos))) {
            throw error(text.isBlank() ? "missing limit" : "empty limit");
        }
        long count = number("a count");
        if (count == 0) {
            throw new InvalidLimitException(text, start, "count must be at least 1");
        }
        skipSpaces();
        if (text.startsWith("/", pos)) {
            pos++;
        } else if (text.regionMatches(true, pos, "per", 0, 3) && !letterAt(pos + 3)) {
            pos += 3;
        } else {
            throw error("expected \"per\" or \"/\"");
        }
        skipSpaces();
        long multiple = 1;
        int multipleAt = pos;
        if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            multiple = number("a number of units");
            if (multiple == 0) {
                throw new InvalidLimitException(text, multipleAt, "window must be at least 1 unit");
            }
            skipSpaces();
        }
        long unit = unit();
        if (multiple > Long.MAX_VALUE / unit) {
            throw new InvalidLimitException(text, multipleAt, "window too long");
        }
        try {
            return new Limit(count, multiple * unit);
        } catch (IllegalArgumentException tooLarge) {
            throw new InvalidLimitException(text, start, "limit too large (" + count + " per " + multiple * unit / 1000 + " s)");
        }
    }

    private long number(String what) {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
            pos++;
        }
        if (start == pos) {
            throw error("expected " + what);
        }
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException overflow) {
            throw new InvalidLimitException(text, start, "number too large");
        }
    }

    private long unit() {
        int start = pos;
        while (letterAt(pos)) {
            pos++;
        }
        String word = text.substring(start, pos).toLowerCase(Locale.ROOT);
        Long millis = UNIT_MILLIS.get(word);
        if (millis == null) {
            throw new InvalidLimitException(text, start, word.isEmpty()
                    ? "expected a unit (second, minute, hour, day, month or year)"
                    : "unknown unit \"" + word + "\" (expected second, minute, hour, day, month or year)");
        }
        return millis;
    }

    private boolean separator() {
        skipSpaces();
        if (pos < text.length() && isSeparator(text.charAt(pos))) {
            pos++;
            skipSpaces();
            if (pos == text.length()) {
                throw error("trailing separator");
            }
            return true;
        }
        return false;
    }

    private static boolean isSeparator(char c) {
        return c == ';' || c == ',' || c == '|';
    }

    private boolean letterAt(int i) {
        return i < text.length() && Character.isLetter(text.charAt(i));
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private InvalidLimitException error(String problem) {
        return new InvalidLimitException(text, pos, problem);
    }
}
