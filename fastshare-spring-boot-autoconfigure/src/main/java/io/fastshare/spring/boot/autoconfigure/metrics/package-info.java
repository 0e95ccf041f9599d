/**
 * Auto-configuration of fastshare's Micrometer meters.
 */
@NullMarked
package io.fastshare.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
