package io.fastshare.store.pool;

/**
 * Byte offsets, states and lock positions of a pool segment file, as specified in
 * {@code docs/block-format.md} ("Pooled blocks"). All integers are little-endian.
 *
 * <pre>
 *  0        segment header (fields below), padded to 256
 *  256      slot table: slotCount entries of 64 bytes, entry i at 256 + 64 * i
 *  4096     slot 0 data, then slot i at 4096 + i * slotSize; each holds one block
 * </pre>
 *
 * <p>Constants only; thread-safe.
 */
public final class PoolLayout {

    /** Name of the pool directory inside the block directory. */
    public static final String DIRECTORY = ".pool";
    /** Prefix of segment file names: {@code FSHP_} and 32 lower-case hex digits. */
    public static final String SEGMENT_PREFIX = "FSHP_";

    /** ASCII {@code FSHP} read as a little-endian u32. */
    public static final int MAGIC = 0x50485346;
    /** Segment format version. */
    public static final int VERSION = 1;
    /** Length of the segment header and slot table; the first slot starts here. */
    public static final int DATA_OFFSET = 4096;
    /** Most slots one segment may have (the slot table must fit before {@link #DATA_OFFSET}). */
    public static final int MAX_SLOTS = 32;

    /** u32 magic. */
    public static final int MAGIC_OFFSET = 0;
    /** u16 version. */
    public static final int VERSION_OFFSET = 4;
    /** u16 header length, {@link #DATA_OFFSET}. */
    public static final int HEADER_LENGTH_OFFSET = 6;
    /** u32 segment state. */
    public static final int SEGMENT_STATE_OFFSET = 8;
    /** u32 number of slots. */
    public static final int SLOT_COUNT_OFFSET = 12;
    /** u64 size of every slot, a multiple of 4096. */
    public static final int SLOT_SIZE_OFFSET = 16;
    /** u64 offset of slot 0, {@link #DATA_OFFSET}. */
    public static final int SLOT_DATA_OFFSET = 24;
    /** 16 bytes: owner id of the process that created the segment (hex order, as in block headers). */
    public static final int OWNER_OFFSET = 32;
    /** i64 creation time, milliseconds since the epoch. */
    public static final int CREATED_OFFSET = 48;
    /** i64 creator's process id, diagnostics only. */
    public static final int PID_OFFSET = 56;

    /** Offset of the slot table. */
    public static final int SLOT_TABLE_OFFSET = 256;
    /** Length of one slot-table entry. */
    public static final int SLOT_ENTRY_LENGTH = 64;
    /** u32 slot state, within an entry. */
    public static final int SLOT_STATE = 0;
    /** u64 generation, within an entry: incremented each time the slot is allocated. */
    public static final int SLOT_GENERATION = 8;
    /** u64 length of the published block, within an entry. */
    public static final int SLOT_BLOCK_LENGTH = 16;
    /** i64 time of the last state change, milliseconds since the epoch, within an entry. */
    public static final int SLOT_STATE_MILLIS = 24;

    /** Segment state: being formatted by its creator; not usable yet. */
    public static final int SEGMENT_CREATING = 0;
    /** Segment state: in use. */
    public static final int SEGMENT_ACTIVE = 1;
    /** Segment state: given back (decay or reclaim); its file is being or has been deleted. */
    public static final int SEGMENT_RETIRED = 2;

    /** Slot state: free for its owner to allocate. */
    public static final int FREE = 0;
    /** Slot state: allocated; the writer holds the slot's pin byte exclusively. */
    public static final int WRITING = 1;
    /** Slot state: holds a committed block readable by token. */
    public static final int PUBLISHED = 2;
    /** Slot state: taken by a reader ({@code take}); freed by that reader when it is done. */
    public static final int CLAIMED = 3;

    /** Lock byte held exclusively by the segment's owner process for the segment's whole life. */
    public static final long OWNER_LOCK = 0;

    private PoolLayout() {
    }

    /**
     * Returns the offset of a slot's table entry.
     *
     * @param slot slot index
     * @return {@code 256 + 64 * slot}
     */
    public static long entryOffset(int slot) {
        return SLOT_TABLE_OFFSET + (long) SLOT_ENTRY_LENGTH * slot;
    }

    /**
     * Returns the lock byte that serialises a slot's state changes (held exclusively for microseconds).
     *
     * @param slot slot index
     * @return the first byte of the slot's entry
     */
    public static long stateLock(int slot) {
        return entryOffset(slot);
    }

    /**
     * Returns the lock byte of a slot's pins: readers hold it shared while they read or map the slot,
     * a writer (or a reclaimer) exclusively, so a slot can never be reused while anyone reads it.
     *
     * @param slot slot index
     * @return the second byte of the slot's entry
     */
    public static long pinLock(int slot) {
        return entryOffset(slot) + 1;
    }

    /**
     * Names a slot state, for listings and messages.
     *
     * @param state a slot state value
     * @return {@code FREE}, {@code WRITING}, {@code PUBLISHED}, {@code CLAIMED} or {@code INVALID(n)}
     */
    public static String slotStateName(int state) {
        switch (state) {
            case FREE:
                return "FREE";
            case WRITING:
                return "WRITING";
            case PUBLISHED:
                return "PUBLISHED";
            case CLAIMED:
                return "CLAIMED";
            default:
                return "INVALID(" + state + ")";
        }
    }
}
