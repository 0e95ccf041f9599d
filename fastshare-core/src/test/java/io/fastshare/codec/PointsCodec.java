package io.fastshare.codec;

import io.fastshare.CodecException;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An example user codec, as a Protobuf or Arrow codec would be written: the label as metadata, the
 * coordinates as two INT32 buffers.
 */
public final class PointsCodec implements PayloadCodec {

    @Override
    public String id() {
        return "points";
    }

    @Override
    public boolean canEncode(Object value) {
        return value instanceof Points;
    }

    @Override
    public EncodedPayload encode(Object value) {
        Points points = (Points) value;
        return new EncodedPayload(points.label().getBytes(StandardCharsets.UTF_8), List.of(
                new PayloadBuffer(BufferSpec.vector(ElementType.INT32, points.xs().length), ArraySources.of(points.xs())),
                new PayloadBuffer(BufferSpec.vector(ElementType.INT32, points.ys().length), ArraySources.of(points.ys()))));
    }

    @Override
    public Object decode(PayloadReader payload, Type targetType) {
        if (targetType != Object.class && targetType != Points.class) {
            throw new CodecException("points block cannot be read as " + targetType.getTypeName());
        }
        return new Points(new String(payload.metadata(), StandardCharsets.UTF_8), payload.readInts(0),
                payload.readInts(1));
    }
}
