package io.fastshare.codec;

import io.fastshare.format.BufferDescriptor;

import java.nio.ByteBuffer;

/**
 * What a codec sees of a validated block when it decodes: the metadata and typed access to each
 * buffer. Obtained from the template, never built by codecs.
 *
 * <p>In a copying read ({@code read}, {@code take}, {@code load}) every method returns independent
 * heap data. In a zero-copy read ({@code open}) {@link #view(int)} returns a read-only view of shared
 * memory that stays valid only until the {@code SharedPayload} handle is closed.
 *
 * <p>Not thread-safe: a codec uses it from the decoding thread only.
 */
public interface PayloadReader {

    /**
     * Returns the id of the codec that wrote the block.
     *
     * @return codec id
     */
    String codecId();

    /**
     * Returns the codec metadata.
     *
     * @return a copy of the metadata bytes
     */
    byte[] metadata();

    /**
     * Returns the length of the codec metadata without reading it, so a codec can refuse metadata
     * that is far longer than anything it writes before a byte of it is allocated.
     *
     * @return metadata bytes
     */
    default int metadataLength() {
        return metadata().length;
    }

    /**
     * Returns the number of out-of-band buffers.
     *
     * @return buffer count
     */
    int bufferCount();

    /**
     * Returns the validated table entry of a buffer.
     *
     * @param index buffer index
     * @return the descriptor
     * @throws io.fastshare.CodecException when the index is out of range
     */
    BufferDescriptor buffer(int index);

    /**
     * Tells whether this is a zero-copy read, where {@link #view(int)} maps shared memory.
     *
     * @return true inside {@code open()}
     */
    boolean zeroCopy();

    /**
     * Returns a read-only little-endian {@code ByteBuffer} over a buffer: a view of shared memory when
     * {@link #zeroCopy()}, else an independent heap copy.
     *
     * @param index buffer index
     * @return buffer positioned at 0
     */
    ByteBuffer view(int index);

    /**
     * Copies a buffer into a new byte array.
     *
     * @param index buffer index
     * @return the bytes
     * @throws io.fastshare.CodecException when the buffer does not fit a Java array or the heap
     */
    byte[] readBytes(int index);

    /**
     * Copies a buffer into a new short array.
     *
     * @param index buffer index
     * @return the elements
     * @throws io.fastshare.CodecException when the length is not a multiple of 2 or does not fit
     */
    short[] readShorts(int index);

    /**
     * Copies a buffer into a new char array.
     *
     * @param index buffer index
     * @return the elements
     * @throws io.fastshare.CodecException when the length is not a multiple of 2 or does not fit
     */
    char[] readChars(int index);

    /**
     * Copies a buffer into a new int array.
     *
     * @param index buffer index
     * @return the elements
     * @throws io.fastshare.CodecException when the length is not a multiple of 4 or does not fit
     */
    int[] readInts(int index);

    /**
     * Copies a buffer into a new long array.
     *
     * @param index buffer index
     * @return the elements
     * @throws io.fastshare.CodecException when the length is not a multiple of 8 or does not fit
     */
    long[] readLongs(int index);

    /**
     * Copies a buffer into a new float array.
     *
     * @param index buffer index
     * @return the elements
     * @throws io.fastshare.CodecException when the length is not a multiple of 4 or does not fit
     */
    float[] readFloats(int index);

    /**
     * Copies a buffer into a new double array.
     *
     * @param index buffer index
     * @return the elements
     * @throws io.fastshare.CodecException when the length is not a multiple of 8 or does not fit
     */
    double[] readDoubles(int index);
}
