package io.fastshare.torture;

import io.fastshare.format.BlockLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Recomputes the header checksum of a (mutated) block, written from the format description rather
 * than by calling the library: CRC32C of header, buffer table and codec metadata, with the commit
 * state (bytes 8-11) and the checksum field itself (bytes 84-87) taken as zero. After a mutation the
 * fuzzer recomputes it so the mutant gets past the checksum and reaches the deeper validators.
 *
 * <p>Stateless and thread-safe.
 */
final class HeaderChecksum {

    private HeaderChecksum() {
    }

    /**
     * Rewrites the header checksum field from the block's own (possibly mutated) buffer count and
     * metadata length. Leaves the block alone when those name a preamble longer than the block.
     *
     * @param block the block bytes, modified in place
     * @return true when the checksum was rewritten
     */
    static boolean recompute(byte[] block) {
        if (block.length < BlockLayout.HEADER_LENGTH) {
            return false;
        }
        ByteBuffer in = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        long count = Integer.toUnsignedLong(in.getInt(BlockLayout.BUFFER_COUNT_OFFSET));
        long metadata = Integer.toUnsignedLong(in.getInt(BlockLayout.METADATA_LENGTH_OFFSET));
        long preamble = BlockLayout.HEADER_LENGTH + count * BlockLayout.TABLE_ENTRY_LENGTH + metadata;
        if (preamble > block.length) {
            return false;
        }
        in.putInt(BlockLayout.HEADER_CRC_OFFSET, compute(block, (int) preamble));
        return true;
    }

    /**
     * Computes the checksum of the first {@code length} bytes.
     *
     * @param block the block bytes
     * @param length preamble length
     * @return the CRC32C as stored in the header
     */
    static int compute(byte[] block, int length) {
        CRC32C crc = new CRC32C();
        byte[] zeros = new byte[4];
        crc.update(block, 0, BlockLayout.COMMIT_OFFSET);
        crc.update(zeros);
        crc.update(block, BlockLayout.COMMIT_OFFSET + 4, BlockLayout.HEADER_CRC_OFFSET - BlockLayout.COMMIT_OFFSET - 4);
        crc.update(zeros);
        crc.update(block, BlockLayout.HEADER_CRC_OFFSET + 4, length - BlockLayout.HEADER_CRC_OFFSET - 4);
        return (int) crc.getValue();
    }
}
