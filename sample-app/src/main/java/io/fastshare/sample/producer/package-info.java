/**
 * The producer side: writes payloads, sends tokens to the consumer and reports the demo's timings.
 */
@NullMarked
package io.fastshare.sample.producer;

import org.jspecify.annotations.NullMarked;
