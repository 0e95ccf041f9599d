/**
 * The Java side of the Python interop benchmark ({@code benchmarks/python/python_bench.py}): a peer
 * process driven over its standard input that reads and writes fastshare blocks and streams the same
 * arrays over a Unix domain socket, so the Python driver can time both paths across two processes.
 */
@NullMarked
package io.fastshare.bench.python;

import org.jspecify.annotations.NullMarked;
