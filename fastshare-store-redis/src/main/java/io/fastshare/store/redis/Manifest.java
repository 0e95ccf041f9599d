package io.fastshare.store.redis;

import io.fastshare.CorruptBlockException;
import io.fastshare.format.OwnerId;

import java.nio.charset.StandardCharsets;

/**
 * The value of a block's commit key: how the block is chunked, written last so that its presence
 * means every chunk is complete. ASCII, one line:
 * {@code fshr1 <chunks> <chunkSize> <totalLength> <expiresMillis> <ownerId hex>}.
 *
 * @param chunks number of chunk keys
 * @param chunkSize bytes in every chunk but the last
 * @param totalLength bytes of the whole block
 * @param expiresMillis the block's expiry, epoch milliseconds, 0 for none
 * @param owner the writer's owner id
 */
record Manifest(int chunks, int chunkSize, long totalLength, long expiresMillis, OwnerId owner) {

    /** Largest block the store handles: the whole block is read into one heap array. */
    static final long MAX_TOTAL_LENGTH = Integer.MAX_VALUE - 8;

    private static final String MAGIC = "fshr1";

    /**
     * Plans the manifest of a new block.
     *
     * @param totalLength block length
     * @param chunkSize chunk size
     * @param expiresMillis expiry, 0 for none
     * @param owner the writer
     * @return the manifest
     */
    static Manifest plan(long totalLength, int chunkSize, long expiresMillis, OwnerId owner) {
        return new Manifest((int) ((totalLength + chunkSize - 1) / chunkSize), chunkSize, totalLength, expiresMillis,
                owner);
    }

    /**
     * Returns the length of one chunk.
     *
     * @param index chunk index
     * @return bytes in that chunk
     */
    int chunkLength(int index) {
        return (int) Math.min(chunkSize, totalLength - (long) index * chunkSize);
    }

    /**
     * Encodes the manifest.
     *
     * @return ASCII bytes
     */
    byte[] encode() {
        return (MAGIC + " " + chunks + " " + chunkSize + " " + totalLength + " " + expiresMillis + " "
                + owner.toHex()).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses and checks a commit key's value: the numbers must be consistent with each other so a
     * reader never allocates or reads on the strength of a forged or damaged value.
     *
     * @param value the bytes read from Redis
     * @param label block name for messages
     * @return the manifest
     * @throws CorruptBlockException when the value is not a valid manifest
     */
    static Manifest parse(byte[] value, String label) {
        String text = new String(value, StandardCharsets.US_ASCII);
        String[] parts = text.split(" ", -1);
        if (value.length > 200 || parts.length != 6 || !parts[0].equals(MAGIC) || !OwnerId.isValid(parts[5])) {
            throw corrupt(label, text);
        }
        try {
            int chunks = Integer.parseInt(parts[1]);
            int chunkSize = Integer.parseInt(parts[2]);
            long total = Long.parseLong(parts[3]);
            long expires = Long.parseLong(parts[4]);
            if (chunkSize < RedisStoreOptions.MIN_CHUNK_SIZE || chunkSize > RedisStoreOptions.MAX_CHUNK_SIZE
                    || chunkSize % 64 != 0 || total <= 0 || total > MAX_TOTAL_LENGTH || expires < 0
                    || chunks != (total + chunkSize - 1) / chunkSize) {
                throw corrupt(label, text);
            }
            return new Manifest(chunks, chunkSize, total, expires, OwnerId.parse(parts[5]));
        } catch (NumberFormatException e) {
            throw corrupt(label, text);
        }
    }

    private static CorruptBlockException corrupt(String label, String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new CorruptBlockException("Redis block " + label + " has an invalid commit key value '"
                + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'; it was not written by fastshare or was damaged");
    }
}
