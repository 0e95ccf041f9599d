package io.fastshare.codec;

import io.fastshare.CodecException;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Codec for values that need no serialisation: {@code byte[]}, {@code ByteBuffer}, {@code String}
 * and arrays of {@code short char int long float double}. The value's bytes become one buffer of the
 * block with its element type recorded; the metadata is the ASCII name of the Java type.
 *
 * <p>A block written from any raw type can also be read as {@code ByteBuffer} or {@code byte[]} (its
 * little-endian bytes). Stateless and thread-safe.
 */
public final class RawCodec implements PayloadCodec {

    /** The id stored in blocks. */
    public static final String ID = "raw";

    /** Longest metadata a raw block has: its type tag ({@code ByteBuffer} is the longest). */
    private static final int MAX_TAG_LENGTH = 32;

    /** Metadata tag and element type of each supported Java type. */
    private enum Kind {
        BYTES("byte[]", byte[].class, ElementType.BYTES),
        BYTE_BUFFER("ByteBuffer", ByteBuffer.class, ElementType.BYTES),
        STRING("String", String.class, ElementType.UTF8),
        SHORTS("short[]", short[].class, ElementType.INT16),
        CHARS("char[]", char[].class, ElementType.UTF16),
        INTS("int[]", int[].class, ElementType.INT32),
        LONGS("long[]", long[].class, ElementType.INT64),
        FLOATS("float[]", float[].class, ElementType.FLOAT32),
        DOUBLES("double[]", double[].class, ElementType.FLOAT64);

        final String tag;
        final Class<?> type;
        final ElementType elementType;

        Kind(String tag, Class<?> type, ElementType elementType) {
            this.tag = tag;
            this.type = type;
            this.elementType = elementType;
        }

        static Kind of(Object value) {
            for (Kind kind : values()) {
                if (kind.type.isInstance(value)) {
                    return kind;
                }
            }
            return null;
        }
    }

    private static final Map<String, Kind> BY_TAG = Map.of(
            Kind.BYTES.tag, Kind.BYTES, Kind.BYTE_BUFFER.tag, Kind.BYTE_BUFFER, Kind.STRING.tag, Kind.STRING,
            Kind.SHORTS.tag, Kind.SHORTS, Kind.CHARS.tag, Kind.CHARS, Kind.INTS.tag, Kind.INTS,
            Kind.LONGS.tag, Kind.LONGS, Kind.FLOATS.tag, Kind.FLOATS, Kind.DOUBLES.tag, Kind.DOUBLES);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean canEncode(Object value) {
        return Kind.of(value) != null;
    }

    @Override
    public EncodedPayload encode(Object value) {
        Kind kind = Kind.of(value);
        if (kind == null) {
            throw new CodecException("raw codec cannot encode " + value.getClass().getName());
        }
        BufferSource source = kind == Kind.STRING
                ? ArraySources.of(((String) value).getBytes(StandardCharsets.UTF_8))
                : ArraySources.ofArray(value);
        BufferSpec spec = BufferSpec.vector(kind.elementType, source.byteLength() / kind.elementType.size());
        return new EncodedPayload(kind.tag.getBytes(StandardCharsets.US_ASCII), List.of(new PayloadBuffer(spec, source)));
    }

    @Override
    public Object decode(PayloadReader payload, Type targetType) {
        if (payload.metadataLength() > MAX_TAG_LENGTH) {
            throw new CodecException("raw block has " + payload.metadataLength() + " bytes of metadata where a type "
                    + "tag of at most " + MAX_TAG_LENGTH + " is expected");
        }
        String tag = new String(payload.metadata(), StandardCharsets.US_ASCII);
        Kind kind = BY_TAG.get(tag);
        if (kind == null || payload.bufferCount() != 1) {
            throw new CodecException("raw block has unknown content '" + tag + "' with " + payload.bufferCount()
                    + " buffers");
        }
        if (payload.buffer(0).elementType() != kind.elementType) {
            throw new CodecException("raw block says " + tag + " but its buffer holds " + payload.buffer(0).elementType());
        }
        Class<?> target = targetType instanceof Class<?> c ? c : Object.class;
        if (ByteBuffer.class.isAssignableFrom(target)) {
            return asByteBuffer(payload, kind);
        }
        if (target == byte[].class && kind != Kind.STRING) {
            return payload.readBytes(0);
        }
        if (target != Object.class && !target.isAssignableFrom(kind.type)) {
            throw new CodecException("block holds " + tag + ", it cannot be read as " + targetType.getTypeName());
        }
        return switch (kind) {
            case BYTES -> payload.readBytes(0);
            case BYTE_BUFFER -> asByteBuffer(payload, kind);
            case STRING -> new String(payload.readBytes(0), StandardCharsets.UTF_8);
            case SHORTS -> payload.readShorts(0);
            case CHARS -> payload.readChars(0);
            case INTS -> payload.readInts(0);
            case LONGS -> payload.readLongs(0);
            case FLOATS -> payload.readFloats(0);
            case DOUBLES -> payload.readDoubles(0);
        };
    }

    private static ByteBuffer asByteBuffer(PayloadReader payload, Kind kind) {
        if (payload.zeroCopy()) {
            ByteBuffer view = payload.view(0);
            // A ByteBuffer comes back in Java's default big-endian order, as it was before writing;
            // array content keeps the block's little-endian order.
            return kind == Kind.BYTE_BUFFER || kind == Kind.BYTES ? view.order(ByteOrder.BIG_ENDIAN) : view;
        }
        ByteBuffer copy = ByteBuffer.wrap(payload.readBytes(0));
        return kind == Kind.BYTE_BUFFER || kind == Kind.BYTES ? copy : copy.order(ByteOrder.LITTLE_ENDIAN);
    }
}
