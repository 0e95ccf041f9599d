package io.fastshare.sample.producer;

import java.util.List;

/**
 * The result of a demo run: every payload size, and the same as a printable table.
 *
 * @param rounds measured rounds per path (after one warm-up round)
 * @param sizes one report per payload size
 * @param allChecksumsOk whether every measured and warm-up round delivered the right values
 * @param table the results as a fixed-width text table
 */
public record DemoReport(int rounds, List<SizeReport> sizes, boolean allChecksumsOk, String table) {
}
