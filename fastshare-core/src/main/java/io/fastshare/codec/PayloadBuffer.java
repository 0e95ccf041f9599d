package io.fastshare.codec;

import io.fastshare.format.BufferSpec;

/**
 * One out-of-band buffer produced by a codec: its layout and where its bytes come from.
 *
 * @param spec element type and shape, recorded in the block's buffer table
 * @param source the bytes; {@code source.byteLength()} must equal {@code spec.byteLength()}
 */
public record PayloadBuffer(BufferSpec spec, BufferSource source) {

    /**
     * Checks that spec and source agree.
     *
     * @param spec element type and shape
     * @param source the bytes
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public PayloadBuffer {
        if (spec.byteLength() != source.byteLength()) {
            throw new IllegalArgumentException("spec says " + spec.byteLength() + " bytes, source has "
                    + source.byteLength());
        }
    }
}
