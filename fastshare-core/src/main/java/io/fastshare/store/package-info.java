/**
 * Blocks on a filesystem: the block directory, writing and mapping block files, owner leases.
 */
@NullMarked
package io.fastshare.store;

import org.jspecify.annotations.NullMarked;
