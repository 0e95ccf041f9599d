/**
 * What producer and consumer agree on: handoff paths, receipts and headers.
 */
@NullMarked
package io.fastshare.sample.api;

import org.jspecify.annotations.NullMarked;
