package io.fastshare.format;

import java.util.Arrays;

/**
 * One entry of a block's buffer table: where a buffer lies in the block, how long it is, and how to
 * interpret its bytes.
 *
 * @param offset position of the first byte from the start of the block, a multiple of 64
 * @param length length in bytes, equal to the product of {@code shape} times the element size
 * @param elementType how the bytes are interpreted
 * @param shape dimensions, 1 to {@link BlockLayout#MAX_RANK} of them; a plain array has one
 */
public record BufferDescriptor(long offset, long length, ElementType elementType, long[] shape) {

    /**
     * Creates a descriptor, copying the shape.
     *
     * @param offset buffer position
     * @param length length in bytes
     * @param elementType element type
     * @param shape dimensions
     *
     * @throws IllegalArgumentException when the shape has no or too many dimensions
     */
    public BufferDescriptor {
        if (shape.length < 1 || shape.length > BlockLayout.MAX_RANK) {
            throw new IllegalArgumentException("rank must be 1.." + BlockLayout.MAX_RANK + ": " + shape.length);
        }
        shape = shape.clone();
    }

    /**
     * Returns a copy of the shape.
     *
     * @return the dimensions
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of elements, the product of the shape.
     *
     * @return element count
     */
    public long elementCount() {
        return length / elementType.size();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BufferDescriptor that && offset == that.offset && length == that.length
                && elementType == that.elementType && Arrays.equals(shape, that.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(offset) + Long.hashCode(length)) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "BufferDescriptor[offset=" + offset + ", length=" + length + ", elementType=" + elementType
                + ", shape=" + Arrays.toString(shape) + "]";
    }
}
