package io.fastshare.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The structured payload of the benchmarks: embedding vectors with their model and document ids,
 * as an embedding service would hand them on. fastshare's JSON codec moves {@code vectors} out of
 * band (raw, aligned) and keeps the rest as JSON. Equality compares the vectors' content.
 *
 * @param model model name
 * @param ids one id per vector
 * @param vectors all vectors, row after row, {@link #DIMENSIONS} floats each
 */
public record Embeddings(String model, List<String> ids, float[] vectors) implements Serializable {

    /** Floats per vector. */
    public static final int DIMENSIONS = 384;

    /**
     * Makes embeddings whose vectors take about {@code bytes} bytes.
     *
     * @param bytes size of the vectors in bytes
     * @return the payload, with seeded random content
     */
    public static Embeddings ofSize(long bytes) {
        SplittableRandom random = new SplittableRandom(42);
        float[] vectors = new float[Math.toIntExact(bytes / 4)];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) random.nextGaussian();
        }
        int rows = Math.max(1, (vectors.length + DIMENSIONS - 1) / DIMENSIONS);
        List<String> ids = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            ids.add("doc-" + i);
        }
        return new Embeddings("all-MiniLM-L6-v2", ids, vectors);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Embeddings that && model.equals(that.model) && ids.equals(that.ids)
                && Arrays.equals(vectors, that.vectors);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * model.hashCode() + ids.hashCode()) + Arrays.hashCode(vectors);
    }

    @Override
    public String toString() {
        return "Embeddings[" + model + ", " + ids.size() + " ids, " + vectors.length + " floats]";
    }
}
