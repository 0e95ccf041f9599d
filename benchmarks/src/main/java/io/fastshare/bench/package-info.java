/**
 * The benchmark harness: payloads, measurement, statistics and the reports the benchmark runs write.
 */
@NullMarked
package io.fastshare.bench;

import org.jspecify.annotations.NullMarked;
