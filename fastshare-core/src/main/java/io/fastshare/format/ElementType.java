package io.fastshare.format;

import java.util.Optional;

/**
 * Element type of one buffer in a block, recorded in the buffer table as a one-byte code so a reader
 * in any language can interpret the bytes (a Python reader maps the code to a NumPy dtype). All
 * multi-byte elements are little-endian.
 *
 * <p>Immutable and thread-safe.
 */
public enum ElementType {

    /** Opaque bytes ({@code byte[]}, {@code ByteBuffer}, codec-defined content). NumPy {@code uint8}. */
    BYTES(0, 1),
    /** UTF-8 text. NumPy {@code uint8}. */
    UTF8(1, 1),
    /** Signed 8-bit integers. NumPy {@code int8}. */
    INT8(2, 1),
    /** Signed 16-bit integers ({@code short[]}). NumPy {@code <i2}. */
    INT16(3, 2),
    /** Signed 32-bit integers ({@code int[]}). NumPy {@code <i4}. */
    INT32(4, 4),
    /** Signed 64-bit integers ({@code long[]}). NumPy {@code <i8}. */
    INT64(5, 8),
    /** IEEE 754 binary32 ({@code float[]}). NumPy {@code <f4}. */
    FLOAT32(6, 4),
    /** IEEE 754 binary64 ({@code double[]}). NumPy {@code <f8}. */
    FLOAT64(7, 8),
    /** UTF-16 code units ({@code char[]}). NumPy {@code <u2}. */
    UTF16(8, 2);

    private static final ElementType[] BY_CODE = values();

    private final int code;
    private final int size;

    ElementType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    /**
     * Returns the code stored in the buffer table.
     *
     * @return the one-byte code
     */
    public int code() {
        return code;
    }

    /**
     * Returns the size of one element in bytes.
     *
     * @return 1, 2, 4 or 8
     */
    public int size() {
        return size;
    }

    /**
     * Looks up an element type by its buffer-table code.
     *
     * @param code the code read from a block
     * @return the element type, or empty when the code is unknown (a corrupt or newer block)
     */
    public static Optional<ElementType> fromCode(int code) {
        for (ElementType type : BY_CODE) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
