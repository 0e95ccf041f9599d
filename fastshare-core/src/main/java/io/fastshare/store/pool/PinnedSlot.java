package io.fastshare.store.pool;

import io.fastshare.FastShareException;

import java.nio.ByteBuffer;

/**
 * A published pool block pinned by this JVM: its slot cannot be reused, in any process, until
 * {@link #close()}. A pin taken with {@link PoolReader#claim} also owns the block: closing it frees the
 * slot.
 *
 * <p>The buffer from {@link #block()} is the shared memory itself and is valid only until
 * {@link #close()}; the kernel drops the pin if the process dies.
 *
 * <p>Thread-safe for reads; {@link #close()} must not race with access to the buffer.
 */
public final class PinnedSlot implements AutoCloseable {

    private final PoolReader reader;
    private final Segment segment;
    private final SlotRef ref;
    private final long length;
    private final boolean claimed;
    private boolean closed;

    PinnedSlot(PoolReader reader, Segment segment, SlotRef ref, long length, boolean claimed) {
        this.reader = reader;
        this.segment = segment;
        this.ref = ref;
        this.length = length;
        this.claimed = claimed;
    }

    /**
     * Returns the block, read-only and little-endian, over the shared memory itself.
     *
     * @return a buffer of {@link #length()} bytes positioned at 0
     * @throws FastShareException after {@link #close()}
     */
    public synchronized ByteBuffer block() {
        if (closed) {
            throw new FastShareException("pooled block " + ref + " is closed");
        }
        return segment.blockBuffer(ref.slot(), length);
    }

    /**
     * Tells whether the segment file still holds every byte of this block (a peer may have cut it).
     *
     * @return false when reading the block would touch pages past the end of the file
     */
    boolean inFile() {
        return SegmentFileCheck.covers(segment.file(), PoolLayout.DATA_OFFSET + segment.slotSize() * ref.slot() + length);
    }

    /**
     * Returns the block length published by its writer.
     *
     * @return bytes, at most the slot size
     */
    public long length() {
        return length;
    }

    /**
     * Returns the reference this pin resolved.
     *
     * @return segment, slot and generation
     */
    public SlotRef ref() {
        return ref;
    }

    /**
     * Takes another pin on the same slot, independent of this one (for a zero-copy view that outlives
     * the handle that found the block). No state check: this pin already guarantees the bytes.
     *
     * @return a new pin; close it separately
     * @throws FastShareException after {@link #close()}
     */
    public synchronized PinnedSlot share() {
        if (closed) {
            throw new FastShareException("pooled block " + ref + " is closed");
        }
        SegmentRegistry.useAgain(segment);
        if (!segment.pin(ref.slot())) {
            SegmentRegistry.done(segment);
            throw new IllegalStateException("slot " + ref + " pinned by this JVM but not pinnable");
        }
        return new PinnedSlot(reader, segment, ref, length, false);
    }

    /**
     * Claims the block while this pin keeps its bytes: the slot becomes free for its owner (reused
     * only after every pin is gone), and every later open, claim or release by anyone fails.
     *
     * @throws io.fastshare.BlockNotFoundException when the block was released, claimed or taken first
     * @throws FastShareException after {@link #close()}
     */
    public synchronized void claim() {
        if (closed) {
            throw new FastShareException("pooled block " + ref + " is closed");
        }
        if (!reader.freePublished(segment, ref)) {
            throw new io.fastshare.BlockNotFoundException("pooled block " + ref
                    + " not found: it was released or taken by another reader first");
        }
    }

    /**
     * Unpins; for a claimed block, frees the slot first. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (claimed) {
                reader.free(segment, ref);
            }
        } finally {
            segment.unpin(ref.slot());
            SegmentRegistry.done(segment);
        }
    }
}
