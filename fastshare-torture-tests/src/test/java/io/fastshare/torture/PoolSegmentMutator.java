package io.fastshare.torture;

import io.fastshare.store.pool.PoolLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutates a copy of a real pool segment file in place: one field of the segment header or of a slot
 * entry set to an interesting value, bit flips in the header page, the file cut or extended, or the
 * block of a published slot replaced by a {@link BlockMutator} mutant (with the slot's block length
 * usually made to match it).
 *
 * <p>Header, slot-table and file-size mutations change nothing a block's bytes are made of, so a reader
 * may refuse the token but must never return anything but the original payload: they are reported as
 * {@link MutantDamage#NEUTRAL}. Block mutations carry the damage class of the mutant.
 *
 * <p>Deterministic for a given random source. Not thread-safe.
 */
final class PoolSegmentMutator {

    /**
     * A published slot of the copied segment.
     *
     * @param slot slot index
     * @param generation its generation (the token's)
     * @param block the block bytes as the writer published them
     */
    record Target(int slot, long generation, byte[] block) {
    }

    /**
     * What was done to a copy.
     *
     * @param target index into the target list: the slot whose token is exercised
     * @param description how the copy was mutated, for reports
     * @param damage what a reader may answer for the target's token
     */
    record Mutation(int target, String description, MutantDamage damage) {
    }

    /** Segment header fields as (offset, width). */
    private static final int[][] HEADER_FIELDS = {
        {PoolLayout.MAGIC_OFFSET, 4}, {PoolLayout.VERSION_OFFSET, 2}, {PoolLayout.HEADER_LENGTH_OFFSET, 2},
        {PoolLayout.SEGMENT_STATE_OFFSET, 4}, {PoolLayout.SLOT_COUNT_OFFSET, 4}, {PoolLayout.SLOT_SIZE_OFFSET, 8},
        {PoolLayout.SLOT_DATA_OFFSET, 8}, {PoolLayout.OWNER_OFFSET, 8}, {PoolLayout.OWNER_OFFSET + 8, 8},
        {PoolLayout.CREATED_OFFSET, 8}, {PoolLayout.PID_OFFSET, 8},
    };

    /** Slot entry fields (and padding) as (relative offset, width). */
    private static final int[][] ENTRY_FIELDS = {
        {PoolLayout.SLOT_STATE, 4}, {4, 4}, {PoolLayout.SLOT_GENERATION, 8}, {PoolLayout.SLOT_BLOCK_LENGTH, 8},
        {PoolLayout.SLOT_STATE_MILLIS, 8}, {32, 8}, {56, 8},
    };

    private final SplittableRandom random;
    private final List<Target> targets;
    private final BlockMutator blocks;
    private final long slotSize;
    private final int slotCount;
    private final long fileSize;

    PoolSegmentMutator(SplittableRandom random, List<Target> targets, List<byte[]> targetBlocks, long slotSize,
            int slotCount, long fileSize) {
        this.random = random;
        this.targets = targets;
        this.blocks = new BlockMutator(random, targetBlocks);
        this.slotSize = slotSize;
        this.slotCount = slotCount;
        this.fileSize = fileSize;
    }

    /**
     * Mutates the copy open on a channel.
     *
     * @param file read-write channel on the copy
     * @return what was done
     * @throws IOException when the copy cannot be written
     */
    Mutation mutate(FileChannel file) throws IOException {
        int kind = random.nextInt(16);
        if (kind >= 11) {
            return mutateBlock(file);
        }
        int t = random.nextInt(targets.size());
        Target target = targets.get(t);
        StringBuilder description = new StringBuilder("slot ").append(target.slot()).append(':');
        switch (kind) {
            case 0, 1, 2 -> {
                int[] field = HEADER_FIELDS[random.nextInt(HEADER_FIELDS.length)];
                long value = pick(headerValues(target), field[1]);
                put(file, field[0], field[1], value);
                description.append(" segment@").append(field[0]).append('=').append(value);
            }
            case 3, 4, 5, 6 -> {
                int[] field = ENTRY_FIELDS[random.nextInt(ENTRY_FIELDS.length)];
                long value = pick(entryValues(target), field[1]);
                put(file, PoolLayout.entryOffset(target.slot()) + field[0], field[1], value);
                description.append(" entry@").append(field[0]).append('=').append(value);
            }
            case 7 -> {
                int other = random.nextInt(PoolLayout.MAX_SLOTS);
                int[] field = ENTRY_FIELDS[random.nextInt(ENTRY_FIELDS.length)];
                long value = pick(entryValues(target), field[1]);
                put(file, PoolLayout.entryOffset(other) + field[0], field[1], value);
                description.append(" other-entry#").append(other).append('@').append(field[0]).append('=').append(value);
            }
            case 8, 9 -> {
                int flips = 1 + random.nextInt(6);
                int limit = random.nextBoolean() ? PoolLayout.SLOT_TABLE_OFFSET
                        : (int) PoolLayout.entryOffset(slotCount);
                for (int i = 0; i < flips; i++) {
                    int bit = random.nextInt(limit * 8);
                    ByteBuffer one = ByteBuffer.allocate(1);
                    file.read(one, bit / 8);
                    one.put(0, (byte) (one.get(0) ^ (1 << (bit % 8)))).clear();
                    file.write(one, bit / 8);
                }
                description.append(" header-flip").append(flips);
            }
            default -> {
                long[] sizes = {0, 1, PoolLayout.DATA_OFFSET - 1, PoolLayout.DATA_OFFSET, fileSize - slotSize,
                    fileSize - 4096, fileSize - 1, fileSize + 1, fileSize + 4096, fileSize + slotSize,
                    PoolLayout.DATA_OFFSET + slotSize * (target.slot() + 1)};
                long size = sizes[random.nextInt(sizes.length)];
                if (size < fileSize) {
                    file.truncate(size);
                } else {
                    file.write(ByteBuffer.allocate(1), size - 1);
                }
                description.append(" file-size=").append(size);
            }
        }
        return new Mutation(t, description.toString(), MutantDamage.NEUTRAL);
    }

    private Mutation mutateBlock(FileChannel file) throws IOException {
        BlockMutator.Mutant mutant = blocks.next();
        Target target = targets.get(mutant.base());
        byte[] bytes = mutant.bytes();
        MutantDamage damage = mutant.damage();
        if (bytes.length > slotSize) {
            bytes = java.util.Arrays.copyOf(bytes, (int) slotSize);
            damage = MutantDamage.OTHER;
        }
        long slotStart = PoolLayout.DATA_OFFSET + slotSize * target.slot();
        file.write(ByteBuffer.wrap(bytes), slotStart);
        StringBuilder description = new StringBuilder("slot ").append(target.slot()).append(": block ")
                .append(mutant.description());
        if (bytes.length != target.block().length && random.nextInt(4) != 0) {
            put(file, PoolLayout.entryOffset(target.slot()) + PoolLayout.SLOT_BLOCK_LENGTH, 8, bytes.length);
            description.append(" +slot-length");
        }
        return new Mutation(mutant.base(), description.toString(), damage);
    }

    private long[] headerValues(Target target) {
        return new long[] {0, 1, 2, 3, -1, 4095, 4096, 4097, slotCount - 1L, slotCount + 1L, PoolLayout.MAX_SLOTS,
            PoolLayout.MAX_SLOTS + 1L, slotSize - 1, slotSize + 1, slotSize - 4096, slotSize + 4096, 2 * slotSize,
            fileSize, fileSize - PoolLayout.DATA_OFFSET, Integer.MAX_VALUE, 1L << 31, 1L << 32, Long.MAX_VALUE,
            Long.MIN_VALUE, PoolLayout.MAGIC, target.generation()};
    }

    private long[] entryValues(Target target) {
        long length = target.block().length;
        return new long[] {0, 1, 2, 3, 4, -1, target.generation() - 1, target.generation() + 1, length - 1,
            length + 1, length + 64, length - 64, slotSize, slotSize + 1, slotSize - 1, fileSize, 2 * slotSize,
            Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, 1L << 32, PoolLayout.PUBLISHED, PoolLayout.CLAIMED};
    }

    private long pick(long[] values, int width) {
        long value = values[random.nextInt(values.length)];
        return width == 8 ? value : value & ((1L << (8 * width)) - 1);
    }

    private static void put(FileChannel file, long offset, int width, long value) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        bytes.limit(width);
        file.write(bytes, offset);
    }
}
