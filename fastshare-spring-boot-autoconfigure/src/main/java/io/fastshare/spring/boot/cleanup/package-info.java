/**
 * Cleanup of the block directory for a Spring application: on-demand and periodic runs of the janitor,
 * the latest scan, and listeners told of each run.
 */
@NullMarked
package io.fastshare.spring.boot.cleanup;

import org.jspecify.annotations.NullMarked;
