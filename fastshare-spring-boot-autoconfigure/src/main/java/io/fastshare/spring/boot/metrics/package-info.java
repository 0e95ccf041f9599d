/**
 * Micrometer integration: fastshare's timers, counters and gauges.
 */
@NullMarked
package io.fastshare.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
