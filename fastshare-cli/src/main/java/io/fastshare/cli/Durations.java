package io.fastshare.cli;

import io.fastshare.cleanup.HumanDuration;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way operators type them: {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, {@code 1d}, a bare number of seconds, or ISO-8601 ({@code PT1M30S}).
 *
 * <p>Stateless and thread-safe.
 */
final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text the option value
     * @return the duration, never negative
     * @throws UsageException when the text is not a duration
     */
    static Duration parse(String text) {
        String value = text.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher matcher = SIMPLE.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            Duration parsed = Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new UsageException("not a duration: '" + text + "' (examples: 500ms, 30s, 2m, 1h, PT1M30S)");
    }

    /**
     * Prints a duration compactly, such as {@code 3m12s} or {@code 850ms}, as the actuator endpoint does.
     *
     * @param duration a duration, may be negative
     * @return the text
     */
    static String format(Duration duration) {
        return HumanDuration.format(duration);
    }
}
