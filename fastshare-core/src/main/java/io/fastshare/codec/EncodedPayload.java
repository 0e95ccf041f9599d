package io.fastshare.codec;

import java.util.List;

/**
 * What a codec produces from a value: metadata bytes (small, describing the value) plus the large
 * buffers that go into the block raw and aligned, the Java analogue of pickle protocol 5's
 * out-of-band buffers.
 *
 * @param metadata codec-defined bytes stored in the block's metadata section
 * @param buffers the out-of-band buffers, in table order
 */
public record EncodedPayload(byte[] metadata, List<PayloadBuffer> buffers) {

    /**
     * Copies the buffer list.
     *
     * @param metadata codec-defined metadata bytes
     * @param buffers the out-of-band buffers
     */
    public EncodedPayload {
        buffers = List.copyOf(buffers);
    }

    /**
     * Returns the sum of the buffer lengths plus the metadata length, a lower bound of the block size
     * used for the inline-or-shared decision.
     *
     * @return payload bytes
     */
    public long payloadLength() {
        long total = metadata.length;
        for (PayloadBuffer buffer : buffers) {
            total += buffer.spec().byteLength();
        }
        return total;
    }
}
