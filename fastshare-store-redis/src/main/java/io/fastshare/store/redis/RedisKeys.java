package io.fastshare.store.redis;

import io.fastshare.format.BlockName;

import java.nio.charset.StandardCharsets;

/**
 * Names of the Redis keys of one block: {@code <prefix>{<block name>}:m} (the commit key, holding the
 * {@link Manifest}) and {@code <prefix>{<block name>}:<i>} for chunk {@code i}. The block name in
 * braces is the hash tag, so every key of a block lands in one Redis Cluster hash slot, which is what
 * lets one script or one {@code DEL} touch them all atomically.
 *
 * @param prefix the key prefix
 * @param name the block
 */
record RedisKeys(String prefix, BlockName name) {

    /**
     * Returns the commit key.
     *
     * @return key bytes
     */
    byte[] manifest() {
        return bytes(base() + "m");
    }

    /**
     * Returns the key of one chunk.
     *
     * @param index chunk index, from 0
     * @return key bytes
     */
    byte[] chunk(int index) {
        return bytes(base() + index);
    }

    /**
     * Returns the commit key followed by every chunk key, the order the scripts expect.
     *
     * @param chunks number of chunks
     * @return key bytes
     */
    byte[][] all(int chunks) {
        byte[][] keys = new byte[chunks + 1][];
        keys[0] = manifest();
        for (int i = 0; i < chunks; i++) {
            keys[i + 1] = chunk(i);
        }
        return keys;
    }

    private String base() {
        return prefix + "{" + name.value() + "}:";
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.US_ASCII);
    }
}
