/**
 * The consumer side: receives tokens (or bodies) and takes the payloads.
 */
@NullMarked
package io.fastshare.sample.consumer;

import org.jspecify.annotations.NullMarked;
