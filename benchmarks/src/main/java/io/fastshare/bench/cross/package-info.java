/**
 * Cross-process benchmarks: a peer JVM that receives handoffs by token or over a socket.
 */
@NullMarked
package io.fastshare.bench.cross;

import org.jspecify.annotations.NullMarked;
