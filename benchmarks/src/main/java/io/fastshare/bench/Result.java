package io.fastshare.bench;

import java.util.Locale;

/**
 * One measured row: which operation, on which payload, and its timing summary.
 *
 * @param suite where it was measured ({@code headline}, {@code jmh}, {@code cross})
 * @param operation what was timed, for example {@code fastshare write+read(copy)}
 * @param type payload type label
 * @param bytes payload size
 * @param stats timings in nanoseconds
 */
public record Result(String suite, String operation, String type, long bytes, Stats stats) {

    /** CSV header matching {@link #csv()}. */
    public static final String CSV_HEADER = "suite,operation,type,bytes,samples,median_ns,min_ns,p90_ns,max_ns,median_gb_per_s";

    /**
     * Returns this row as CSV (operation quoted).
     *
     * @return one line without a line break
     */
    public String csv() {
        return String.format(Locale.ROOT, "%s,\"%s\",%s,%d,%d,%.0f,%.0f,%.0f,%.0f,%.3f", suite, operation, type,
                bytes, stats.samples(), stats.median(), stats.min(), stats.p90(), stats.max(),
                stats.gigabytesPerSecond(bytes));
    }

    /**
     * Returns a one-line human summary.
     *
     * @return text
     */
    public String describe() {
        return String.format(Locale.ROOT, "%-40s %-8s %12s  median %s  [min %s, p90 %s, max %s]  %.2f GB/s",
                operation, type, Sizes.label(bytes), Sizes.time(stats.median()), Sizes.time(stats.min()),
                Sizes.time(stats.p90()), Sizes.time(stats.max()),
                stats.gigabytesPerSecond(bytes));
    }
}
