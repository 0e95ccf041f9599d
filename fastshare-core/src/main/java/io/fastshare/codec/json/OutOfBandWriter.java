package io.fastshare.codec.json;

import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BufferSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The write side of one encoding: collects the arrays that go out of band, passed to the module's
 * serializers as a per-call Jackson attribute ({@code ObjectWriter.withAttribute}).
 *
 * <p>Used by one thread for one {@code encode} call.
 */
final class OutOfBandWriter {

    /** Attribute key under which the writer is passed to serializers. */
    static final Object ATTRIBUTE = OutOfBandWriter.class;

    private final long threshold;
    private final List<PayloadBuffer> buffers = new ArrayList<>();

    OutOfBandWriter(long threshold) {
        this.threshold = threshold;
    }

    /** Tells whether a value of this many bytes goes out of band. */
    boolean outOfBand(long bytes) {
        return bytes >= threshold;
    }

    /**
     * Adds a value as the next buffer.
     *
     * @return its index in the buffer table
     */
    int add(OutOfBandKind kind, Object value) {
        buffers.add(new PayloadBuffer(BufferSpec.vector(kind.elementType, kind.elementCount(value)), kind.source(value)));
        return buffers.size() - 1;
    }

    List<PayloadBuffer> buffers() {
        return buffers;
    }
}
