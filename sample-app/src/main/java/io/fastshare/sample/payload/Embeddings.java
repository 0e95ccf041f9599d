package io.fastshare.sample.payload;

import java.util.Objects;

/**
 * The sample's large payload: a batch of embedding vectors stored row after row in one
 * {@code float[]}, plus their metadata. Immutable by convention: the array is shared, not copied.
 *
 * @param meta model, shape and checksum
 * @param vectors all vectors, {@code meta.count()} rows of {@code meta.dimensions()} floats
 */
public record Embeddings(EmbeddingsMeta meta, float[] vectors) {

    /**
     * Checks that the array has the shape the metadata claims.
     *
     * @throws IllegalArgumentException when it does not
     */
    public Embeddings {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.length != meta.floats()) {
            throw new IllegalArgumentException("vectors hold " + vectors.length + " floats, metadata says "
                    + meta.count() + " x " + meta.dimensions());
        }
    }

    /**
     * Returns the size of the vectors in bytes.
     *
     * @return 4 bytes per float
     */
    public long byteSize() {
        return 4L * vectors.length;
    }
}
