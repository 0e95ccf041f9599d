/**
 * Actuator endpoint for the block directory: blocks of every process, orphans, on-demand cleanup.
 */
@NullMarked
package io.fastshare.spring.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
