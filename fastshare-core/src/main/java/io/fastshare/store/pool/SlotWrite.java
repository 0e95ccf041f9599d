package io.fastshare.store.pool;

import io.fastshare.FastShareException;

import java.nio.ByteBuffer;

/**
 * An allocated pool slot being written: its writer holds the slot's pin byte exclusively, so no
 * reader can pin it, until {@link #publish} or {@link #abandon}.
 *
 * <p>{@link #buffer()} is the shared memory itself; the writer puts a complete block there (commit
 * state last, as for block files) and publishes its length.
 *
 * <p>Not thread-safe: one writer thread.
 */
public final class SlotWrite implements AutoCloseable {

    private final BlockPool pool;
    private final Segment segment;
    private final int slot;
    private final long generation;
    private boolean done;

    SlotWrite(BlockPool pool, Segment segment, int slot, long generation) {
        this.pool = pool;
        this.segment = segment;
        this.slot = slot;
        this.generation = generation;
    }

    /**
     * Returns the slot's memory, writable and little-endian, positioned at 0.
     *
     * @return a buffer of {@link #capacity()} bytes
     * @throws FastShareException when the slot was already published or abandoned
     */
    public ByteBuffer buffer() {
        checkOpen();
        return segment.slotBuffer(slot);
    }

    /**
     * Returns the slot size: the largest block this slot holds.
     *
     * @return bytes
     */
    public long capacity() {
        return segment.slotSize();
    }

    /**
     * Returns what the token of this slot will name once published.
     *
     * @return segment, slot and generation
     */
    public SlotRef ref() {
        return new SlotRef(segment.name(), slot, generation);
    }

    /**
     * Publishes the committed block the writer put into {@link #buffer()}.
     *
     * @param blockLength the block's total length
     * @return the reference readers resolve
     * @throws IllegalArgumentException when the length is negative or larger than the slot
     * @throws FastShareException when the slot was already published or abandoned
     */
    public SlotRef publish(long blockLength) {
        checkOpen();
        if (blockLength < 0 || blockLength > segment.slotSize()) {
            throw new IllegalArgumentException("block of " + blockLength + " bytes does not fit a slot of "
                    + segment.slotSize());
        }
        done = true;
        long now = pool.nowMillis();
        segment.underStateLock(slot, () -> {
            segment.writeEntry(slot, PoolLayout.PUBLISHED, generation, blockLength, now);
            return null;
        });
        segment.releaseExclusive(slot);
        return ref();
    }

    /**
     * Gives the slot back unpublished. Idempotent; does nothing after {@link #publish}.
     */
    public void abandon() {
        if (done) {
            return;
        }
        done = true;
        long now = pool.nowMillis();
        segment.underStateLock(slot, () -> {
            segment.writeEntry(slot, PoolLayout.FREE, generation, 0, now);
            return null;
        });
        segment.releaseExclusive(slot);
    }

    /** Same as {@link #abandon()}. */
    @Override
    public void close() {
        abandon();
    }

    private void checkOpen() {
        if (done) {
            throw new FastShareException("pool slot " + ref() + " was already published or given back");
        }
    }
}
