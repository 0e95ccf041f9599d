package io.fastshare.sample.producer;

import io.fastshare.sample.api.HandoffPath;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Medians over the measured rounds of one path at one payload size.
 *
 * @param path the path
 * @param tokenKind {@code shm}, {@code inline} or {@code -}
 * @param rounds measured rounds
 * @param failures rounds whose checksum did not match
 * @param writeMedianNanos median producer write time
 * @param readMedianNanos median consumer read time
 * @param verifyMedianNanos median consumer checksum time
 * @param endToEndMedianNanos median end-to-end time
 * @param endToEndMinNanos fastest end-to-end time
 * @param endToEndMaxNanos slowest end-to-end time
 */
public record PathSummary(HandoffPath path, String tokenKind, int rounds, int failures, long writeMedianNanos,
        long readMedianNanos, long verifyMedianNanos, long endToEndMedianNanos, long endToEndMinNanos,
        long endToEndMaxNanos) {

    /**
     * Summarises the rounds of one path.
     *
     * @param path the path
     * @param results its measured rounds, at least one
     * @return the summary
     * @throws IllegalArgumentException when there are no rounds
     */
    static PathSummary of(HandoffPath path, List<RoundResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no rounds for " + path);
        }
        int failures = (int) results.stream().filter(r -> !r.checksumOk()).count();
        long[] endToEnd = sorted(results, RoundResult::endToEndNanos);
        return new PathSummary(path, results.get(0).tokenKind(), results.size(), failures,
                median(sorted(results, RoundResult::writeNanos)), median(sorted(results, RoundResult::readNanos)),
                median(sorted(results, RoundResult::verifyNanos)), median(endToEnd), endToEnd[0],
                endToEnd[endToEnd.length - 1]);
    }

    private static long[] sorted(List<RoundResult> results, ToLongFunction<RoundResult> field) {
        long[] values = results.stream().mapToLong(field).toArray();
        Arrays.sort(values);
        return values;
    }

    /**
     * Returns the median of sorted values: the middle one, or the mean of the two middle ones.
     *
     * @param sorted values in ascending order, at least one
     * @return the median
     */
    static long median(long[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
