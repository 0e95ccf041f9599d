package io.fastshare.format;

import io.fastshare.CodecException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Block content held in a heap array: the decoded bytes of an inline token.
 *
 * <p>Immutable and thread-safe.
 */
public final class HeapBlockContent implements BlockContent {

    private final ByteBuffer bytes;

    /**
     * Wraps block bytes.
     *
     * @param bytes the whole block; not copied, must not be modified afterwards
     */
    public HeapBlockContent(byte[] bytes) {
        this.bytes = ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns a read-only view of the whole block, for header decoding.
     *
     * @return little-endian buffer positioned at 0
     */
    public ByteBuffer all() {
        return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void read(long position, ByteBuffer target) {
        int length = target.remaining();
        target.put(bytes.duplicate().position(Math.toIntExact(position)).limit(Math.toIntExact(position + length)));
    }

    @Override
    public ByteBuffer view(BufferDescriptor buffer) {
        if (buffer.length() > Integer.MAX_VALUE) {
            throw new CodecException("buffer of " + buffer.length() + " bytes cannot be viewed as one ByteBuffer");
        }
        int start = (int) buffer.offset();
        return bytes.duplicate().position(start).limit(start + (int) buffer.length()).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean viewsAreCheap() {
        return true;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
