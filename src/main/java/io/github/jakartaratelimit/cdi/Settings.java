package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.ClientAddress;
import io.github.jakartaratelimit.core.InvalidLimitException;
import io.github.jakartaratelimit.core.Limit;
import io.github.jakartaratelimit.core.LimitExpression;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.Config;

/**
 * The application-wide settings, read from MicroProfile Config once, when the application deploys.
 * Every value is checked strictly: a typo fails the deployment instead of silently meaning a default.
 */
public final class Settings {

    /** Which rate limit headers responses carry. */
    public enum Headers {
        /** {@code RateLimit-Policy} and {@code RateLimit} (IETF draft). */
        IETF,
        /** {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset}. */
        LEGACY,
        /** Both of the above. */
        BOTH,
        /** None; a 429 still carries {@code Retry-After}. */
        NONE;

        public boolean ietf() {
            return this == IETF || this == BOTH;
        }

        public boolean legacy() {
            return this == LEGACY || this == BOTH;
        }
    }

    /** What happens to a call while the counter store cannot be reached. */
    enum OnStorageFailure {
        ALLOW, DENY, LOCAL;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final boolean enabled;
    /** Whether {@code RateLimitRejected} events carry the caller's key ({@code ratelimit.events.include-key}). */
    final boolean eventsIncludeKey;
    final List<Limit> defaultLimits;
    final Algorithm algorithm;
    final Headers headers;
    final String cacheProvider;
    final URI cacheUri;
    final String cacheName;
    final String cacheNamespace;
    final long cacheMaxEntries;
    final long cacheTimeoutMillis;
    /** How often limits are read again from the configuration ({@code ratelimit.refresh-seconds}); 0: never. */
    final long refreshSeconds;
    final OnStorageFailure onStorageFailure;
    /** Whether distributed stores lend permits ahead of use ({@code ratelimit.lease}: auto or off). */
    final boolean lease;
    final ClientAddress clientAddress;
    final List<String> errors;

    private Settings(Config config) {
        List<String> problems = new ArrayList<>();
        // Every value is trimmed, and every keyword read regardless of case, the same way for each key.
        enabled = read(config, "ratelimit.enabled", "true", problems, "true or false", Settings::bool);
        eventsIncludeKey = read(config, "ratelimit.events.include-key", "false", problems, "true or false", Settings::bool);
        defaultLimits = read(config, "ratelimit.default", "", problems, "a limit such as \"100 per minute\", or empty",
                value -> value.isBlank() ? List.of() : LimitExpression.parse(value));
        algorithm = read(config, "ratelimit.algorithm", "fixed-window", problems,
                "fixed-window, sliding-window or token-bucket", Settings::algorithm);
        headers = read(config, "ratelimit.headers", "ietf", problems, "ietf, legacy, both or none",
                value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                    case "ietf" -> Headers.IETF;
                    case "legacy" -> Headers.LEGACY;
                    case "both" -> Headers.BOTH;
                    case "none" -> Headers.NONE;
                    default -> throw new IllegalArgumentException();
                });
        cacheProvider = read(config, "ratelimit.cache.provider", "auto", problems,
                "auto, ehcache, container or the class name of a javax.cache.spi.CachingProvider", value -> {
                    String trimmed = value.trim();
                    String keyword = trimmed.toLowerCase(Locale.ROOT);
                    if (keyword.matches("auto|ehcache|container")) {
                        return keyword;
                    }
                    if (!trimmed.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)+")) {
                        throw new IllegalArgumentException();
                    }
                    return trimmed;
                });
        cacheUri = read(config, "ratelimit.cache.uri", "", problems, "a URI", value -> {
            try {
                return value.isBlank() ? null : new URI(value.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e.getReason(), e);
            }
        });
        cacheName = read(config, "ratelimit.cache.name", "ratelimit", problems, "a non-empty cache name", value -> {
            if (value.isBlank()) {
                throw new IllegalArgumentException();
            }
            return value.trim();
        });
        cacheNamespace = read(config, "ratelimit.cache.namespace", "", problems,
                "letters, digits, '.', '_' or '-', or empty for the application's name", value -> {
                    String trimmed = value.trim();
                    if (!trimmed.matches("[A-Za-z0-9._-]*")) {
                        throw new IllegalArgumentException();
                    }
                    return trimmed.isEmpty() ? null : trimmed;
                });
        cacheMaxEntries = read(config, "ratelimit.cache.max-entries", "100000", problems,
                "a whole number of at least 1000", value -> positive(value, 1000));
        cacheTimeoutMillis = read(config, "ratelimit.cache.timeout-millis", "500", problems,
                "a whole number of milliseconds, or 0 to call the store directly", value -> positive(value, 0));
        refreshSeconds = read(config, "ratelimit.refresh-seconds", "0", problems,
                "a whole number of seconds, or 0 to read limits only at deployment", value -> positive(value, 0));
        onStorageFailure = read(config, "ratelimit.on-storage-failure", "allow", problems, "allow, deny or local",
                value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                    case "allow" -> OnStorageFailure.ALLOW;
                    case "deny" -> OnStorageFailure.DENY;
                    case "local" -> OnStorageFailure.LOCAL;
                    default -> throw new IllegalArgumentException();
                });
        lease = read(config, "ratelimit.lease", "auto", problems, "auto or off",
                value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                    case "auto" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException();
                });
        ClientAddress.Header forwardedHeader = read(config, "ratelimit.forwarded-header", "x-forwarded-for", problems,
                "x-forwarded-for or forwarded", value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                    case "x-forwarded-for" -> ClientAddress.Header.X_FORWARDED_FOR;
                    case "forwarded" -> ClientAddress.Header.FORWARDED;
                    default -> throw new IllegalArgumentException();
                });
        clientAddress = read(config, "ratelimit.trusted-proxies", "", problems,
                "comma-separated IPv4 or IPv6 networks such as 10.0.0.0/8, fd00::/8",
                value -> ClientAddress.trusting(value, forwardedHeader));
        errors = List.copyOf(problems);
    }

    private static long positive(String value, long minimum) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException();
        }
        if (parsed < minimum) {
            throw new IllegalArgumentException();
        }
        return parsed;
    }

    /** Reads and checks every setting; the problems found are in {@link #errors}. */
    static Settings read(Config config) {
        return new Settings(config);
    }

    static Algorithm algorithm(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "fixed-window" -> Algorithm.FIXED_WINDOW;
            case "sliding-window" -> Algorithm.SLIDING_WINDOW;
            case "token-bucket" -> Algorithm.TOKEN_BUCKET;
            default -> throw new IllegalArgumentException();
        };
    }

    /** Every key the library reads besides the limits: the ones it knows when it warns about others. */
    static final Set<String> KEYS = Set.of("ratelimit.enabled", "ratelimit.events.include-key", "ratelimit.refresh-seconds", "ratelimit.default", "ratelimit.algorithm",
            "ratelimit.headers", "ratelimit.cache.provider", "ratelimit.cache.uri", "ratelimit.cache.name",
            "ratelimit.cache.namespace", "ratelimit.cache.max-entries", "ratelimit.cache.timeout-millis",
            "ratelimit.on-storage-failure", "ratelimit.lease", "ratelimit.forwarded-header", "ratelimit.trusted-proxies");

    private static final String LIMITS = "ratelimit.limits.";

    /**
     * A warning for each {@code ratelimit.*} key that would change nothing: one the library does not know (a typo),
     * or {@code ratelimit.limits.<name>} (or {@code .<name>.<role>}) for a name no {@code @RateLimited} uses; each
     * names the closest key or name that would.
     *
     * @param names         the configuration's property names
     * @param policyNames   the {@code name}s of the application's {@code @RateLimited}
     */
    static List<String> strayKeys(Iterable<String> names, Set<String> policyNames) {
        List<String> warnings = new ArrayList<>();
        for (String key : names) {
            if (!key.startsWith("ratelimit.") || KEYS.contains(key)) {
                continue;
            }
            if (key.startsWith(LIMITS) && key.length() > LIMITS.length()) {
                String name = key.substring(LIMITS.length());
                if (!policyNames.contains(name) && policyNames.stream().noneMatch(used -> name.startsWith(used + "."))) {
                    warnings.add(key + " names no policy of this application (no @RateLimited(name = \"" + name
                            + "\")), so it changes nothing unless code defines it through RateLimits"
                            + closest(name, policyNames, "; the closest name in use is "));
                }
            } else {
                warnings.add(key + " is no setting of jakarta-ratelimit, so it changes nothing"
                        + closest(key, KEYS, "; the closest one is "));
            }
        }
        return warnings;
    }

    private static boolean bool(String value) {
        String trimmed = value.trim();
        if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException();
        }
        return Boolean.parseBoolean(trimmed);
    }

    private static String closest(String text, Set<String> candidates, String prefix) {
        String best = null;
        int distance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(text, candidate);
            if (d < distance || d == distance && candidate.compareTo(best) < 0) {
                best = candidate;
                distance = d;
            }
        }
        return best == null ? "" : prefix + best;
    }

    /** Levenshtein distance: the edits from one text to the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static <T> T read(Config config, String key, String fallback, List<String> problems, String expected,
                              Function<String, T> parse) {
        if (!KEYS.contains(key)) { // a key read must be known, or strayKeys would warn about it
            throw new IllegalStateException(key + " is missing from Settings.KEYS");
        }
        String value = config.getOptionalValue(key, String.class).orElse(fallback);
        try {
            return parse.apply(value);
        } catch (InvalidLimitException e) {
            problems.add("Invalid " + key + " \"" + value + "\": " + e.getMessage());
        } catch (RuntimeException e) {
            problems.add("Invalid " + key + " \"" + value + "\": expected " + expected
                    + Optional.ofNullable(e.getMessage()).map(m -> " (" + m + ")").orElse(""));
        }
        return parse.apply(fallback);
    }
}
