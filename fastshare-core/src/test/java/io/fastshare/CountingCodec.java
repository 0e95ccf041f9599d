package io.fastshare;

import io.fastshare.codec.ArraySources;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.PayloadReader;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A user codec for {@link Blob} that counts its decodes. */
public final class CountingCodec implements PayloadCodec {

    /** Number of decodes so far. */
    public final AtomicInteger decodes = new AtomicInteger();

    @Override
    public String id() {
        return "blob";
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof Blob;
    }

    @Override
    public EncodedPayload encode(Object value) {
        Blob blob = (Blob) value;
        return new EncodedPayload(blob.label().getBytes(StandardCharsets.UTF_8),
                List.of(new PayloadBuffer(BufferSpec.vector(ElementType.BYTES, blob.data().length),
                        ArraySources.of(blob.data()))));
    }

    @Override
    public Object decode(PayloadReader payload, Type targetType) {
        decodes.incrementAndGet();
        return new Blob(new String(payload.metadata(), StandardCharsets.UTF_8), payload.readBytes(0));
    }
}
