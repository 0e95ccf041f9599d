package io.fastshare.torture;

import io.fastshare.format.BlockLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a mutation did to a valid block, found by comparing the mutant with its base byte by byte, and
 * so what a reader may answer for it.
 *
 * <ul>
 *   <li>{@link #NEUTRAL}: only fields that do not describe the payload changed (creation and expiry
 *       times, owner, pid, reserved bytes, the header checksum). A reader may refuse the block, but a
 *       value it returns must equal the base block's value.</li>
 *   <li>{@link #CHECKSUMMED_PAYLOAD}: the base carries a payload checksum and only bytes it covers
 *       (the buffers' contents) changed. No reader may return a value.</li>
 *   <li>{@link #OTHER}: anything else; only "no crash, no hang, only FastShareException" applies.</li>
 * </ul>
 */
enum MutantDamage {
    NEUTRAL,
    CHECKSUMMED_PAYLOAD,
    OTHER;

    /** Header fields that say nothing about the payload, as (offset, width). */
    private static final int[][] NEUTRAL_FIELDS = {
        {BlockLayout.CREATED_OFFSET, 8}, {BlockLayout.EXPIRES_OFFSET, 8}, {BlockLayout.OWNER_OFFSET, 16},
        {BlockLayout.PID_OFFSET, 8}, {BlockLayout.HEADER_CRC_OFFSET, 4},
        {BlockLayout.RESERVED_OFFSET, BlockLayout.HEADER_LENGTH - BlockLayout.RESERVED_OFFSET},
    };

    /**
     * Classifies a mutant.
     *
     * @param base the valid block it was made from
     * @param mutant the mutated bytes
     * @return the damage class
     */
    static MutantDamage of(byte[] base, byte[] mutant) {
        if (base.length != mutant.length || base.length < BlockLayout.HEADER_LENGTH) {
            return OTHER;
        }
        boolean anyChange = false;
        boolean allNeutral = true;
        boolean allCovered = true;
        for (int i = 0; i < base.length; i++) {
            if (base[i] == mutant[i]) {
                continue;
            }
            anyChange = true;
            allNeutral &= inNeutralField(i);
            allCovered &= coveredByPayloadChecksum(base, i);
        }
        if (!anyChange || allNeutral) {
            return NEUTRAL;
        }
        boolean checksummed = (le(base).getInt(BlockLayout.FLAGS_OFFSET) & BlockLayout.FLAG_PAYLOAD_CRC) != 0;
        return checksummed && allCovered ? CHECKSUMMED_PAYLOAD : OTHER;
    }

    private static boolean inNeutralField(int offset) {
        for (int[] field : NEUTRAL_FIELDS) {
            if (offset >= field[0] && offset < field[0] + field[1]) {
                return true;
            }
        }
        return false;
    }

    /** Whether a byte of a valid block lies inside one of its buffers (padding is not checksummed). */
    private static boolean coveredByPayloadChecksum(byte[] base, int offset) {
        ByteBuffer in = le(base);
        int count = in.getInt(BlockLayout.BUFFER_COUNT_OFFSET);
        for (int i = 0; i < count; i++) {
            int entry = (int) BlockLayout.entryOffset(i);
            long start = in.getLong(entry + BlockLayout.ENTRY_OFFSET);
            long length = in.getLong(entry + BlockLayout.ENTRY_LENGTH);
            if (offset >= start && offset < start + length) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer le(byte[] block) {
        return ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    }
}
