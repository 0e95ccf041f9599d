package io.fastshare.sample.payload;

import java.nio.FloatBuffer;

/**
 * A 64-bit FNV-1a style checksum over the raw bits of a sequence of floats, so both ends of a
 * handoff can tell that every element arrived intact. The same function runs over a heap array and
 * over a {@link FloatBuffer} view of shared memory, and gives the same result for the same values.
 *
 * <p>Not cryptographic: it detects accidents (truncation, a wrong offset, a stale block), not
 * tampering. Stateless and thread-safe.
 */
public final class Checksum {

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Checksum() {
    }

    /**
     * Checksums a whole array.
     *
     * @param values the floats
     * @return the checksum
     */
    public static long of(float[] values) {
        long hash = OFFSET_BASIS;
        for (float value : values) {
            hash = (hash ^ Float.floatToRawIntBits(value)) * PRIME;
        }
        return mix(hash, values.length);
    }

    /**
     * Checksums the remaining floats of a buffer without moving its position.
     *
     * @param values the floats, for example a view of shared memory
     * @return the checksum, equal to {@link #of(float[])} over the same values
     */
    public static long of(FloatBuffer values) {
        long hash = OFFSET_BASIS;
        int end = values.limit();
        for (int i = values.position(); i < end; i++) {
            hash = (hash ^ Float.floatToRawIntBits(values.get(i))) * PRIME;
        }
        return mix(hash, values.remaining());
    }

    // Folding in the length makes a truncated payload of zeros differ from a longer one.
    private static long mix(long hash, int length) {
        return (hash ^ length) * PRIME;
    }
}
