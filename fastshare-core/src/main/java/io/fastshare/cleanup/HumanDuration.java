package io.fastshare.cleanup;

import java.time.Duration;

/**
 * Prints durations the way operators read and type them ({@code 850ms}, {@code 42s}, {@code 3m12s},
 * {@code 2h5m}, {@code 1d3h}), at most two units. Where durations are published as JSON (the actuator
 * endpoint, the CLI's {@code --json}) this text goes with the exact value in milliseconds, such as
 * {@code "age": "3m12s", "ageMillis": 192345}: one form for people and one for programs, the same
 * everywhere.
 *
 * <p>Stateless and thread-safe.
 */
public final class HumanDuration {

    private HumanDuration() {
    }

    /**
     * Prints a duration compactly, truncated to its two largest units.
     *
     * @param duration a duration, may be negative
     * @return the text, such as {@code 3m12s} or {@code 850ms}; {@code 0s} for zero
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis == 0 ? "0s" : millis + "ms";
        }
        long seconds = duration.toSeconds();
        long days = seconds / 86_400;
        long hours = seconds / 3600 % 24;
        long minutes = seconds / 60 % 60;
        long secs = seconds % 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append('d');
        }
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0 && days == 0) {
            text.append(minutes).append('m');
        }
        if (secs > 0 && days == 0 && hours == 0) {
            text.append(secs).append('s');
        }
        return text.length() == 0 ? "0s" : text.toString();
    }
}
