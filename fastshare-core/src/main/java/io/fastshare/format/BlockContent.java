package io.fastshare.format;

import java.nio.ByteBuffer;

/**
 * Random access to the bytes of one validated block, wherever they live: a heap array (inline
 * token), an open file (copying reads) or a read-only mapping (zero-copy views).
 *
 * <p>Implementations turn every low-level failure (short read, I/O error, a mapped page that vanished
 * because a peer truncated the file) into a {@link io.fastshare.FastShareException}.
 */
public interface BlockContent extends AutoCloseable {

    /**
     * Copies bytes into {@code target}, filling all of its remaining space.
     *
     * @param position block position of the first byte
     * @param target destination; its position advances by the bytes copied
     * @throws io.fastshare.CorruptBlockException when the block ends early or cannot be read
     */
    void read(long position, ByteBuffer target);

    /**
     * Returns a read-only little-endian buffer over one buffer of the block. Zero-copy for heap and
     * mapped content; an independent heap copy for file content.
     *
     * @param buffer a descriptor from the block's validated table
     * @return a buffer positioned at 0 with {@code buffer.length()} bytes remaining
     * @throws io.fastshare.CodecException when the buffer is larger than one {@code ByteBuffer} can address
     */
    ByteBuffer view(BufferDescriptor buffer);

    /**
     * Tells whether {@link #view} is zero-copy, so bulk copies can be made straight from it.
     *
     * @return true for heap and mapped content
     */
    boolean viewsAreCheap();

    /**
     * Releases what the content holds (file channel, mappings). Idempotent.
     */
    @Override
    void close();
}
