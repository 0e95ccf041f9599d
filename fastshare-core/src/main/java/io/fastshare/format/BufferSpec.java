package io.fastshare.format;

import java.util.Arrays;

/**
 * What a codec asks for when it lays out one buffer: element type and shape. The block writer turns
 * specs into {@link BufferDescriptor}s by assigning aligned offsets.
 *
 * @param elementType how the bytes are interpreted
 * @param shape dimensions, 1 to {@link BlockLayout#MAX_RANK}, each non-negative
 */
public record BufferSpec(ElementType elementType, long[] shape) {

    /**
     * Validates and copies the shape.
     *
     * @param elementType how the bytes are interpreted
     * @param shape the dimensions
     *
     * @throws IllegalArgumentException on a bad rank, a negative dimension or a byte length over {@code Long.MAX_VALUE}
     */
    public BufferSpec {
        if (shape.length < 1 || shape.length > BlockLayout.MAX_RANK) {
            throw new IllegalArgumentException("rank must be 1.." + BlockLayout.MAX_RANK + ": " + shape.length);
        }
        shape = shape.clone();
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        Math.multiplyExact(count, elementType.size());
    }

    /**
     * Creates the spec of a one-dimensional buffer.
     *
     * @param elementType element type
     * @param count number of elements
     * @return the spec
     */
    public static BufferSpec vector(ElementType elementType, long count) {
        return new BufferSpec(elementType, new long[] {count});
    }

    /**
     * Returns the buffer length in bytes.
     *
     * @return element count times element size
     */
    public long byteLength() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count * elementType.size();
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

    @Override
    public boolean equals(Object other) {
        return other instanceof BufferSpec that && elementType == that.elementType && Arrays.equals(shape, that.shape);
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "BufferSpec[" + elementType + Arrays.toString(shape) + "]";
    }
}
