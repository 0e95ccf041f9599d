package io.fastshare.store.pool;

/**
 * One slot size of the pool and how many slots a segment of that size has.
 *
 * <p>Slot sizes are {@code 2^k}, {@code 1.25 * 2^k}, {@code 1.5 * 2^k} and {@code 1.75 * 2^k}, each plus
 * 64 KiB, for {@code k} from 16 to 30 (up to {@code 2^30 + 64 KiB}): four classes per power of two, as
 * allocators space their size classes, so a block wastes at most a fifth of its slot. A payload of
 * exactly {@code 2^k} bytes (a 256 MiB array, say) fits the {@code 2^k} class thanks to the 64 KiB of room
 * for its preamble, and one with a few megabytes of codec metadata beside it (ids of 256 MiB of
 * embeddings) the next class, {@code 1.25 * 2^k}, instead of a slot twice its size. A segment aims at
 * {@value #SEGMENT_TARGET} bytes (at least one slot, at most {@link PoolLayout#MAX_SLOTS}), so small
 * classes share one mapping and large ones are allocated one slot at a time.
 *
 * @param index class index, 0 for the smallest
 * @param slotSize bytes per slot, a multiple of 4096
 * @param slotCount slots per segment
 */
public record SizeClass(int index, long slotSize, int slotCount) {

    /** Bytes a segment aims at. */
    public static final long SEGMENT_TARGET = 16L << 20;
    /** Smallest power of two of a slot size. */
    static final int MIN_SHIFT = 16;
    /** Largest power of two of a slot size. */
    static final int MAX_SHIFT = 30;
    /** Extra room per slot for the block's preamble. */
    static final long PREAMBLE_ROOM = 64 << 10;
    /** Classes per power of two. */
    static final int STEPS = 4;
    /** Number of classes: four per power of two, and the largest power of two alone. */
    public static final int COUNT = (MAX_SHIFT - MIN_SHIFT) * STEPS + 1;

    /** Largest block the pool can hold. */
    public static final long MAX_BLOCK = (1L << MAX_SHIFT) + PREAMBLE_ROOM;

    /**
     * Returns the smallest class whose slots hold a block.
     *
     * @param blockLength total block length in bytes
     * @return the class
     * @throws IllegalArgumentException when {@code blockLength} is negative or above {@link #MAX_BLOCK}
     */
    public static SizeClass forBlock(long blockLength) {
        if (blockLength < 0 || blockLength > MAX_BLOCK) {
            throw new IllegalArgumentException("no pool size class for a block of " + blockLength + " bytes");
        }
        for (int i = 0; i < COUNT; i++) {
            SizeClass c = of(i);
            if (c.slotSize >= blockLength) {
                return c;
            }
        }
        throw new IllegalArgumentException("no pool size class for a block of " + blockLength + " bytes");
    }

    /**
     * Returns a class by index.
     *
     * @param index 0 to {@link #COUNT} - 1
     * @return the class
     * @throws IllegalArgumentException for other indexes
     */
    public static SizeClass of(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("size class index " + index);
        }
        int shift = MIN_SHIFT + index / STEPS;
        long slotSize = (1L << shift) + (index % STEPS) * (1L << (shift - 2)) + PREAMBLE_ROOM;
        int count = (int) Math.max(1, Math.min(PoolLayout.MAX_SLOTS, SEGMENT_TARGET / slotSize));
        return new SizeClass(index, slotSize, count);
    }

    /**
     * Returns the file size of a segment of this class.
     *
     * @return header plus all slots
     */
    public long segmentSize() {
        return PoolLayout.DATA_OFFSET + slotSize * slotCount;
    }
}
