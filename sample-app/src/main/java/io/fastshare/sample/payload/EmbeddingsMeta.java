package io.fastshare.sample.payload;

/**
 * What travels next to the vectors: the model that produced them, their shape, and a checksum of
 * all their values. Small enough for any message; on the token path it travels beside the token.
 *
 * @param model name of the embedding model
 * @param dimensions floats per vector
 * @param count number of vectors
 * @param checksum {@link Checksum} of all floats
 */
public record EmbeddingsMeta(String model, int dimensions, int count, long checksum) {

    /**
     * Returns the number of floats the vectors hold.
     *
     * @return dimensions times count
     */
    public long floats() {
        return (long) dimensions * count;
    }
}
