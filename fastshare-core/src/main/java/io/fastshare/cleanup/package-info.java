/**
 * Finding and reclaiming blocks nobody will release: the janitor, the state of each block, and what a
 * cleanup run reclaimed.
 */
@NullMarked
package io.fastshare.cleanup;

import org.jspecify.annotations.NullMarked;
