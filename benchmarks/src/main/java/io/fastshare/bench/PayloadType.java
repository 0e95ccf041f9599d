package io.fastshare.bench;

import java.util.SplittableRandom;

/**
 * The payload types benchmarked, and how to make one of a given size with non-trivial content.
 * Stateless.
 */
public enum PayloadType {

    /** {@code byte[]}. */
    BYTES("byte[]", byte[].class),
    /** {@code float[]}: the embedding case. */
    FLOATS("float[]", float[].class),
    /** The structured {@link Embeddings} record (fastshare's JSON codec, vectors out of band). */
    EMBEDDINGS("Embeddings", Embeddings.class);

    private final String label;
    private final Class<?> javaType;

    PayloadType(String label, Class<?> javaType) {
        this.label = label;
        this.javaType = javaType;
    }

    /**
     * Returns the label used in reports.
     *
     * @return for example {@code float[]}
     */
    public String label() {
        return label;
    }

    /**
     * Returns the Java array class.
     *
     * @return {@code byte[].class} or {@code float[].class}
     */
    public Class<?> javaType() {
        return javaType;
    }

    /**
     * Makes a payload of about {@code bytes} bytes (rounded down to whole elements) with seeded random
     * content, so compressing transports would get no unfair advantage.
     *
     * @param bytes payload size in bytes
     * @return a {@code byte[]}, {@code float[]} or {@link Embeddings}
     */
    public Object create(long bytes) {
        SplittableRandom random = new SplittableRandom(42);
        switch (this) {
            case BYTES -> {
                byte[] array = new byte[Math.toIntExact(bytes)];
                for (int i = 0; i < array.length; i += 8) {
                    long value = random.nextLong();
                    for (int j = 0; j < 8 && i + j < array.length; j++) {
                        array[i + j] = (byte) (value >>> (8 * j));
                    }
                }
                return array;
            }
            case FLOATS -> {
                float[] array = new float[Math.toIntExact(bytes / 4)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = (float) random.nextGaussian();
                }
                return array;
            }
            case EMBEDDINGS -> {
                return Embeddings.ofSize(bytes);
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /**
     * Returns the length in bytes of a payload of this type (of its vectors, for {@link Embeddings}).
     *
     * @param payload an array made by {@link #create}
     * @return bytes
     */
    public static long byteLength(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes.length;
        }
        if (payload instanceof float[] floats) {
            return floats.length * 4L;
        }
        if (payload instanceof Embeddings embeddings) {
            return embeddings.vectors().length * 4L;
        }
        throw new IllegalArgumentException("not a benchmark payload: " + payload.getClass());
    }
}
