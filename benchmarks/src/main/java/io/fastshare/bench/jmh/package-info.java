/**
 * JMH benchmarks of in-process writes and reads and of inline tokens.
 */
@NullMarked
package io.fastshare.bench.jmh;

import org.jspecify.annotations.NullMarked;
