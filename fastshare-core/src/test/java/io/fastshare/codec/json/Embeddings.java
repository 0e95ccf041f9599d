package io.fastshare.codec.json;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The structured payload of the brief: a model name, one id per vector, and the vectors.
 *
 * @param model model name
 * @param ids one id per vector
 * @param vectors {@code ids.size() * dimension} floats
 */
public record Embeddings(String model, List<String> ids, float[] vectors) {

    /**
     * Makes deterministic embeddings of about {@code bytes} bytes of vectors.
     *
     * @param bytes vector bytes
     * @param dimension floats per vector
     * @param seed random seed
     * @return the embeddings
     */
    public static Embeddings make(long bytes, int dimension, long seed) {
        int count = (int) (bytes / 4 / dimension);
        SplittableRandom random = new SplittableRandom(seed);
        float[] vectors = new float[count * dimension];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) random.nextDouble();
        }
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add("doc-" + i);
        }
        return new Embeddings("mini-lm-" + dimension, ids, vectors);
    }

    /**
     * Returns a checksum of every field, to compare copies across processes.
     *
     * @return CRC32C of model, ids and vector bits
     */
    public long checksum() {
        CRC32C crc = new CRC32C();
        crc.update(model.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String id : ids) {
            crc.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < vectors.length; from += chunk.capacity() / 4) {
            int count = Math.min(chunk.capacity() / 4, vectors.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(vectors, from, count);
            chunk.limit(count * 4);
            crc.update(chunk);
        }
        return crc.getValue();
    }
}
