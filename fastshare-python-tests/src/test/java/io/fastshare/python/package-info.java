/**
 * Cross-language tests: Java and Python processes handing fastshare blocks to each other through the
 * Python package {@code fastshare_interop} (repository folder {@code python/}), and the Java peer the
 * pytest suite starts to check Java's view of Python writers.
 */
@NullMarked
package io.fastshare.python;

import org.jspecify.annotations.NullMarked;
