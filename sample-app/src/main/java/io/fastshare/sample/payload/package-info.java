/**
 * The sample payload: embeddings, their metadata and checksums.
 */
@NullMarked
package io.fastshare.sample.payload;

import org.jspecify.annotations.NullMarked;
