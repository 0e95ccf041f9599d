package io.fastshare.sample.producer;

import java.util.List;

/**
 * Results of all paths at one payload size.
 *
 * @param bytes size of the float data
 * @param vectors number of vectors
 * @param dimensions floats per vector
 * @param paths one summary per path, in the order they were run
 */
public record SizeReport(long bytes, int vectors, int dimensions, List<PathSummary> paths) {
}
