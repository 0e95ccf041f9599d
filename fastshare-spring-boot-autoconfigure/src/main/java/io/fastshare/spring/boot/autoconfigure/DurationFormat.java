package io.fastshare.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Prints durations the way users write them in properties ({@code 10m}, {@code 30s}, {@code 250ms}).
 *
 * <p>Stateless.
 */
final class DurationFormat {

    private static final ChronoUnit[] UNITS = { ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
        ChronoUnit.SECONDS, ChronoUnit.MILLIS };

    private DurationFormat() {
    }

    /**
     * Prints a duration in the largest unit that represents it exactly.
     *
     * @param duration the duration, may be null
     * @return for example {@code 10m}; {@code none} for null
     */
    static String print(@Nullable Duration duration) {
        if (duration == null) {
            return "none";
        }
        for (ChronoUnit unit : UNITS) {
            if (duration.toNanos() % unit.getDuration().toNanos() == 0) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        return DurationStyle.SIMPLE.print(duration, ChronoUnit.NANOS);
    }
}
