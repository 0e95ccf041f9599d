package io.fastshare.sample.payload;

import java.util.SplittableRandom;

/**
 * Builds a deterministic batch of pseudo-random embedding vectors of a requested size, standing in
 * for the output of an embedding model. Stateless and thread-safe.
 */
public final class EmbeddingsFactory {

    /** Name recorded in the metadata of generated batches. */
    public static final String MODEL = "sample-minilm-384";

    /** Floats per vector, as in a small sentence-embedding model. */
    public static final int DIMENSIONS = 384;

    private EmbeddingsFactory() {
    }

    /**
     * Builds about {@code bytes} bytes of vectors (rounded down to whole vectors, at least one).
     *
     * @param bytes wanted size of the float data
     * @param seed random seed; the same seed gives the same values
     * @return the batch, with its checksum computed
     * @throws IllegalArgumentException when the size is not positive or over what one array holds
     */
    public static Embeddings ofSize(long bytes, long seed) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("payload size must be positive: " + bytes);
        }
        long count = Math.max(1, bytes / (4L * DIMENSIONS));
        if (count * DIMENSIONS > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("payload of " + bytes + " bytes is over the largest float[]");
        }
        float[] vectors = new float[(int) (count * DIMENSIONS)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return new Embeddings(new EmbeddingsMeta(MODEL, DIMENSIONS, (int) count, Checksum.of(vectors)), vectors);
    }
}
