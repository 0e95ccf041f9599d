package io.fastshare.format;

import io.fastshare.CorruptBlockException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The identifying fields of a block header, read leniently: unlike {@link BlockDecoder} it accepts a
 * block that is not committed yet (or never will be, because its writer died), so a janitor or a
 * listing can tell whose block it is. It still checks everything it returns: magic, version, header
 * length, a known commit state, non-negative timestamps, and a total length that the file does not
 * exceed.
 *
 * <p>Nothing a peek returns makes a block readable: payloads are only ever read after
 * {@link BlockDecoder} validated the block in full.
 *
 * @param commitState {@link BlockLayout#COMMITTED} or {@link BlockLayout#WRITING}
 * @param totalLength the length the writer planned for the block
 * @param createdMillis creation time, epoch milliseconds
 * @param expiresMillis expiry time, epoch milliseconds, 0 when the block has no TTL
 * @param owner the writer's owner id
 * @param pid the writer's process id, diagnostic only
 */
public record HeaderPeek(int commitState, long totalLength, long createdMillis, long expiresMillis, OwnerId owner,
        long pid) {

    /**
     * Reads the identifying fields of a header.
     *
     * @param bytes the first bytes of the block from index 0 (at least {@link BlockLayout#HEADER_LENGTH}
     *     of them for a valid header)
     * @param actualLength the real length of the block file
     * @param name block name, for messages
     * @return the fields
     * @throws CorruptBlockException when the bytes are not a fastshare header of a supported version, the
     *     commit state is neither committed nor writing, or a field is out of range
     */
    public static HeaderPeek read(ByteBuffer bytes, long actualLength, String name) {
        ByteBuffer in = BlockDecoder.checkIdentity(bytes, actualLength, name);
        int commit = in.getInt(BlockLayout.COMMIT_OFFSET);
        if (commit != BlockLayout.WRITING && commit != BlockLayout.COMMITTED) {
            throw corrupt(name, "invalid commit state 0x" + Integer.toHexString(commit));
        }
        long totalLength = in.getLong(BlockLayout.TOTAL_LENGTH_OFFSET);
        // A block being written may still be shorter than planned, never longer.
        if (totalLength < BlockLayout.HEADER_LENGTH || totalLength < actualLength) {
            throw corrupt(name, "length mismatch: header says " + totalLength + " bytes, file has " + actualLength);
        }
        long created = in.getLong(BlockLayout.CREATED_OFFSET);
        long expires = in.getLong(BlockLayout.EXPIRES_OFFSET);
        if (created < 0 || expires < 0) {
            throw corrupt(name, "negative timestamp");
        }
        OwnerId owner = new OwnerId(in.order(ByteOrder.BIG_ENDIAN).getLong(BlockLayout.OWNER_OFFSET),
                in.getLong(BlockLayout.OWNER_OFFSET + 8));
        long pid = in.order(ByteOrder.LITTLE_ENDIAN).getLong(BlockLayout.PID_OFFSET);
        return new HeaderPeek(commit, totalLength, created, expires, owner, pid);
    }

    /**
     * Tells whether the writer finished the block.
     *
     * @return true when the commit state is {@link BlockLayout#COMMITTED}
     */
    public boolean committed() {
        return commitState == BlockLayout.COMMITTED;
    }

    /**
     * Tells whether the block has a TTL.
     *
     * @return true when an expiry time is set
     */
    public boolean hasExpiry() {
        return expiresMillis != 0;
    }

    private static CorruptBlockException corrupt(String name, String problem) {
        return new CorruptBlockException("block " + name + " is corrupt: " + problem);
    }
}
