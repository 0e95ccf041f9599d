package io.fastshare.bench;

import java.util.Arrays;

/**
 * Summary of repeated timings of one operation: median and spread in nanoseconds.
 *
 * @param samples number of timed iterations
 * @param median median time
 * @param min fastest iteration
 * @param p90 90th percentile
 * @param max slowest iteration
 */
public record Stats(int samples, double median, double min, double p90, double max) {

    /**
     * Summarises raw timings.
     *
     * @param nanos one duration per iteration, in nanoseconds; not modified
     * @return the summary
     * @throws IllegalArgumentException when there are no samples
     */
    public static Stats of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, quantile(sorted, 0.5), sorted[0], quantile(sorted, 0.9),
                sorted[sorted.length - 1]);
    }

    private static double quantile(long[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    /**
     * Returns the throughput at the median for a payload size.
     *
     * @param bytes payload size
     * @return gigabytes (10^9 bytes) per second
     */
    public double gigabytesPerSecond(long bytes) {
        return bytes / median;
    }
}
