package io.fastshare.torture;

import io.fastshare.CodecException;
import io.fastshare.codec.ArraySources;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.PayloadReader;
import io.fastshare.format.BufferDescriptor;
import io.fastshare.format.BufferSpec;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test codec that writes several buffers of any element type and shape, so the fuzzer has blocks
 * with multi-entry buffer tables (overlaps, reordering, shape mismatches) and the reader's typed copy
 * paths get exercised. Its decoder reads every buffer with the reader method of its element type, then
 * as bytes, as a real codec would.
 *
 * <p>Stateless and thread-safe.
 */
final class MultiBufferCodec implements PayloadCodec {

    static final String ID = "multi";
    private static final String TAG = "multi:v1:";

    /**
     * The value this codec moves: raw buffer bytes with their declared layout.
     *
     * @param specs layout of each buffer
     * @param contents bytes of each buffer, of {@code spec.byteLength()} bytes
     */
    record Multi(List<BufferSpec> specs, List<byte[]> contents) {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof Multi;
    }

    @Override
    public EncodedPayload encode(Object value) {
        Multi multi = (Multi) value;
        List<PayloadBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < multi.specs().size(); i++) {
            buffers.add(new PayloadBuffer(multi.specs().get(i), ArraySources.of(multi.contents().get(i))));
        }
        byte[] metadata = (TAG + "{\"buffers\":" + multi.specs().size() + "}").getBytes(StandardCharsets.US_ASCII);
        return new EncodedPayload(metadata, buffers);
    }

    @Override
    public Object decode(PayloadReader payload, Type targetType) {
        String metadata = new String(payload.metadata(), StandardCharsets.US_ASCII);
        if (!metadata.startsWith(TAG)) {
            throw new CodecException("not a multi block: " + metadata.length() + " metadata bytes");
        }
        List<BufferSpec> specs = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < payload.bufferCount(); i++) {
            BufferDescriptor buffer = payload.buffer(i);
            long checksum = switch (buffer.elementType()) {
                case BYTES, UTF8, INT8 -> payload.readBytes(i).length;
                case INT16 -> payload.readShorts(i).length;
                case UTF16 -> payload.readChars(i).length;
                case INT32 -> payload.readInts(i).length;
                case INT64 -> payload.readLongs(i).length;
                case FLOAT32 -> payload.readFloats(i).length;
                case FLOAT64 -> payload.readDoubles(i).length;
            };
            if (checksum != buffer.elementCount()) {
                throw new CodecException("buffer " + i + " read " + checksum + " elements of " + buffer.elementCount());
            }
            // Views are left to the caller: copying from them is not protected against a truncating peer.
            specs.add(new BufferSpec(buffer.elementType(), buffer.shape()));
            contents.add(payload.readBytes(i));
        }
        return new Multi(specs, contents);
    }
}
