package io.fastshare.cleanup;

import java.time.Duration;
import java.util.Objects;

/**
 * How a cleanup runs.
 *
 * @param dryRun report what would be reclaimed without deleting anything
 * @param grace how long an orphaned, incomplete or corrupt block is left alone, so a reader can still
 *     pick up a handoff from a writer that just died; measured from the block's last write (see
 *     {@link Janitor})
 */
public record CleanupOptions(boolean dryRun, Duration grace) {

    /** The default grace period. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);

    /**
     * Validates the options.
     *
     * @param dryRun report what would be reclaimed without deleting anything
     * @param grace how long blocks of dead owners stay readable before reclaim
     * @throws NullPointerException when {@code grace} is null
     * @throws IllegalArgumentException when {@code grace} is negative
     */
    public CleanupOptions {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
    }

    /**
     * Returns the defaults: delete for real, grace of one minute.
     *
     * @return the default options
     */
    public static CleanupOptions defaults() {
        return new CleanupOptions(false, DEFAULT_GRACE);
    }

    /**
     * Returns a copy with another dry-run setting.
     *
     * @param dryRun true to only report
     * @return new options
     */
    public CleanupOptions withDryRun(boolean dryRun) {
        return new CleanupOptions(dryRun, grace);
    }

    /**
     * Returns a copy with another grace period.
     *
     * @param grace the grace period, not negative
     * @return new options
     * @throws IllegalArgumentException when {@code grace} is negative
     */
    public CleanupOptions withGrace(Duration grace) {
        return new CleanupOptions(dryRun, grace);
    }
}
