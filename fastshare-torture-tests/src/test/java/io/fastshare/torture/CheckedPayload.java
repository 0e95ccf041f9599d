package io.fastshare.torture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Self-verifying payloads: random bytes that carry their seed, length and CRC32C in the first 16 bytes.
 * The checksum tells a damaged payload (a torn write, a stale page) from an intact one without knowing
 * what was written; the seed is the payload's identity, which the writer announces next to the token,
 * so a token that resolves to another block's intact payload is caught too
 * ({@link #verify(byte[], long)}).
 *
 * <p>Layout: {@code [0,8)} seed, {@code [8,12)} length, {@code [12,16)} CRC32C of {@code [16,length)}.
 * Stateless and thread-safe.
 */
final class CheckedPayload {

    /** Smallest payload: the 16-byte trailer-free header. */
    static final int MIN_SIZE = 16;

    private CheckedPayload() {
    }

    /**
     * Makes a payload.
     *
     * @param size size in bytes, at least {@link #MIN_SIZE} (smaller sizes are raised)
     * @param seed content seed
     * @return the payload
     */
    static byte[] make(int size, long seed) {
        byte[] payload = new byte[Math.max(MIN_SIZE, size)];
        new SplittableRandom(seed).nextBytes(payload);
        CRC32C crc = new CRC32C();
        crc.update(payload, MIN_SIZE, payload.length - MIN_SIZE);
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putLong(0, seed).putInt(8, payload.length)
                .putInt(12, (int) crc.getValue());
        return payload;
    }

    /**
     * Verifies a payload read back.
     *
     * @param payload the bytes read
     * @return true when length and checksum match what the payload says of itself
     */
    static boolean verify(byte[] payload) {
        if (payload == null || payload.length < MIN_SIZE) {
            return false;
        }
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(8) != payload.length) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(payload, MIN_SIZE, payload.length - MIN_SIZE);
        return (int) crc.getValue() == in.getInt(12);
    }

    /**
     * Verifies a payload read back for a token whose payload identity is known.
     *
     * @param payload the bytes read
     * @param seed the seed the payload was made with, announced with its token
     * @return true when the payload is intact and is the one made with that seed
     */
    static boolean verify(byte[] payload, long seed) {
        return verify(payload) && ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong(0) == seed;
    }

    /**
     * Verifies a payload seen through a buffer, for a token whose payload identity is known.
     *
     * @param payload the bytes, from position to limit
     * @param seed the seed the payload was made with, announced with its token
     * @return true when the payload is intact and is the one made with that seed
     */
    static boolean verify(ByteBuffer payload, long seed) {
        return verify(payload) && payload.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position()) == seed;
    }

    /**
     * Verifies a payload seen through a buffer, without copying it.
     *
     * @param payload the bytes, from position to limit
     * @return true when length and checksum match
     */
    static boolean verify(ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int length = in.remaining();
        if (length < MIN_SIZE || in.getInt(in.position() + 8) != length) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(in.duplicate().position(in.position() + MIN_SIZE));
        return (int) crc.getValue() == in.getInt(in.position() + 12);
    }
}
