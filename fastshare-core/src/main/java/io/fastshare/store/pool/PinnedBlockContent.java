package io.fastshare.store.pool;

import io.fastshare.CodecException;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The content of a pinned pool block: copies and views straight out of the segment mapping, which
 * stays mapped for the process, so neither opening nor viewing makes a system call. Closing the content
 * closes (unpins) its {@link PinnedSlot}.
 *
 * <p>Copies from the mapping are safe here, unlike for block files: segment files are never truncated
 * while anyone maps them (the owner and janitors only delete them, and only when no slot is pinned).
 *
 * <p>Thread-safe for reads; {@link #close()} must not race with access to views.
 */
public final class PinnedBlockContent implements BlockContent {

    private final PinnedSlot pinned;
    private final ByteBuffer block;

    /**
     * Wraps a pinned block; takes ownership of the pin.
     *
     * @param pinned the pin
     */
    public PinnedBlockContent(PinnedSlot pinned) {
        this.pinned = pinned;
        this.block = pinned.block();
    }

    /**
     * Returns the whole block, read-only, for header decoding.
     *
     * @return a little-endian buffer positioned at 0
     */
    public ByteBuffer all() {
        return block.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void read(long position, ByteBuffer target) {
        int length = target.remaining();
        target.put(block.slice(Math.toIntExact(position), length));
    }

    @Override
    public ByteBuffer view(BufferDescriptor buffer) {
        if (buffer.length() > Integer.MAX_VALUE) {
            throw new CodecException("buffer of " + buffer.length() + " bytes cannot be viewed as one ByteBuffer");
        }
        return block.slice((int) buffer.offset(), (int) buffer.length()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Tells whether bulk copies may be taken from views: yes, the mapping cannot shrink under them.
     *
     * @return true
     */
    @Override
    public boolean viewsAreCheap() {
        return true;
    }

    @Override
    public void close() {
        pinned.close();
    }
}
