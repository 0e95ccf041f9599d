package io.fastshare.codec;

import java.nio.ByteBuffer;

/**
 * The content of one buffer on the write side: something that can copy its bytes, little-endian,
 * into a target chunk by chunk. The block writer streams it into the block file in bounded slices, so
 * a 1 GiB array never needs a second 1 GiB copy.
 *
 * <p>Implementations must tolerate concurrent calls on distinct ranges only if they are shared; the
 * writer calls one source from one thread.
 */
public interface BufferSource {

    /**
     * Returns the number of bytes this source produces.
     *
     * @return the byte length
     */
    long byteLength();

    /**
     * Copies {@code target.remaining()} bytes starting at {@code sourceOffset} into {@code target}.
     * The writer only asks for offsets and lengths that are multiples of the element size.
     *
     * @param sourceOffset first byte to copy
     * @param target little-endian destination; its position advances by the bytes copied
     */
    void copyTo(long sourceOffset, ByteBuffer target);
}
