/**
 * Payload codecs: how values become the metadata and raw buffers of a block, and back; the type
 * allow-list of untyped reads.
 */
@NullMarked
package io.fastshare.codec;

import org.jspecify.annotations.NullMarked;
