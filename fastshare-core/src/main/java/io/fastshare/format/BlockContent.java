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
     * @throws io.fastshare.CorruptBlockException when the block ends early (it was truncated)
     * @throws io.fastshare.FastShareException when it cannot be read (an I/O error or an interruption)
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
     * Tells whether bulk copies may be made straight from {@link #view} rather than with {@link #read}.
     *
     * @return true for heap content; false for file content (its views are copies already) and for
     *     mapped content (a copy from a mapping faults when a peer truncates the file, which JDK 17
     *     reports late and asynchronously; positional reads fail cleanly instead)
     */
    boolean viewsAreCheap();

    /**
     * Releases what the content holds (file channel, mappings). Idempotent.
     */
    @Override
    void close();
}
