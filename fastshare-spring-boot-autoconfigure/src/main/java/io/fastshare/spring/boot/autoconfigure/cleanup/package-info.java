/**
 * Auto-configuration of the cleanup of the block directory and its periodic run.
 */
@NullMarked
package io.fastshare.spring.boot.autoconfigure.cleanup;

import org.jspecify.annotations.NullMarked;
