package io.fastshare.sample.api;

import io.fastshare.sample.payload.EmbeddingsMeta;

/**
 * The whole HTTP request body of a token handoff: a few hundred bytes, whatever the payload size.
 *
 * @param token the fastshare token naming the payload
 * @param meta model, shape and checksum of the vectors
 */
public record TokenHandoff(String token, EmbeddingsMeta meta) {
}
