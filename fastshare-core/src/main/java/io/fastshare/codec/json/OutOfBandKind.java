package io.fastshare.codec.json;

import io.fastshare.CodecException;
import io.fastshare.codec.ArraySources;
import io.fastshare.codec.BufferSource;
import io.fastshare.codec.PayloadReader;
import io.fastshare.format.ElementType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;

import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * The Java types the out-of-band module moves into their own buffers, with how each is measured,
 * streamed into a block, written inline as JSON and rebuilt.
 *
 * <p>Inline forms follow Jackson's defaults where Jackson has one ({@code byte[]} and
 * {@code ByteBuffer} as Base64, {@code char[]} as a string, other arrays as JSON arrays of numbers);
 * the typed NIO buffers ({@code FloatBuffer}, ...), which Jackson does not handle, are written inline
 * as arrays of their elements. Buffers contribute their remaining elements.
 */
enum OutOfBandKind {

    BYTES(byte[].class, ElementType.BYTES),
    SHORTS(short[].class, ElementType.INT16),
    CHARS(char[].class, ElementType.UTF16),
    INTS(int[].class, ElementType.INT32),
    LONGS(long[].class, ElementType.INT64),
    FLOATS(float[].class, ElementType.FLOAT32),
    DOUBLES(double[].class, ElementType.FLOAT64),
    BYTE_BUFFER(ByteBuffer.class, ElementType.BYTES),
    SHORT_BUFFER(ShortBuffer.class, ElementType.INT16),
    CHAR_BUFFER(CharBuffer.class, ElementType.UTF16),
    INT_BUFFER(IntBuffer.class, ElementType.INT32),
    LONG_BUFFER(LongBuffer.class, ElementType.INT64),
    FLOAT_BUFFER(FloatBuffer.class, ElementType.FLOAT32),
    DOUBLE_BUFFER(DoubleBuffer.class, ElementType.FLOAT64);

    final Class<?> type;
    final ElementType elementType;

    OutOfBandKind(Class<?> type, ElementType elementType) {
        this.type = type;
        this.elementType = elementType;
    }

    boolean isBuffer() {
        return !type.isArray();
    }

    /** Returns the array kind that holds elements of a buffer-table type, for untyped reads. */
    static OutOfBandKind arrayFor(ElementType elementType) {
        return switch (elementType) {
            case BYTES, UTF8, INT8 -> BYTES;
            case INT16 -> SHORTS;
            case UTF16 -> CHARS;
            case INT32 -> INTS;
            case INT64 -> LONGS;
            case FLOAT32 -> FLOATS;
            case FLOAT64 -> DOUBLES;
        };
    }

    /** Number of elements the value contributes. */
    long elementCount(Object value) {
        return isBuffer() ? ((Buffer) value).remaining() : Array.getLength(value);
    }

    /** Number of bytes the value takes out of band. */
    long byteLength(Object value) {
        return elementCount(value) * elementType.size();
    }

    /** A source streaming the value's elements little-endian; it reads the caller's value, not a copy. */
    BufferSource source(Object value) {
        // Typed NIO buffers (FloatBuffer, ...) have no byte view to copy from; they get their own source.
        return isBuffer() && this != BYTE_BUFFER ? new TypedBufferSource((Buffer) value, this)
                : ArraySources.ofArray(value);
    }

    /** Writes the value in its inline JSON form. */
    void writeInline(Object value, JsonGenerator gen) {
        switch (this) {
            case BYTES -> gen.writeBinary((byte[]) value);
            case CHARS -> gen.writeString((char[]) value, 0, ((char[]) value).length);
            case INTS -> gen.writeArray((int[]) value, 0, ((int[]) value).length);
            case LONGS -> gen.writeArray((long[]) value, 0, ((long[]) value).length);
            case DOUBLES -> gen.writeArray((double[]) value, 0, ((double[]) value).length);
            case SHORTS -> {
                short[] a = (short[]) value;
                gen.writeStartArray(a, a.length);
                for (short v : a) {
                    gen.writeNumber(v);
                }
                gen.writeEndArray();
            }
            case FLOATS -> {
                float[] a = (float[]) value;
                gen.writeStartArray(a, a.length);
                for (float v : a) {
                    gen.writeNumber(v);
                }
                gen.writeEndArray();
            }
            case BYTE_BUFFER -> {
                ByteBuffer b = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                gen.writeBinary(bytes);
            }
            default -> arrayKind().writeInline(bufferToArray(value), gen);
        }
    }

    /** Reads the inline JSON form; the parser is at the value's first token. */
    Object readInline(JsonParser p, DeserializationContext ctxt) {
        JsonToken token = p.currentToken();
        switch (this) {
            case BYTES:
                return readBinary(p, ctxt);
            case BYTE_BUFFER:
                return ByteBuffer.wrap(readBinary(p, ctxt));
            case CHARS:
                if (token == JsonToken.VALUE_STRING) {
                    return p.getString().toCharArray();
                }
                break;
            default:
                break;
        }
        if (isBuffer()) {
            return wrapArray(arrayKind().readInline(p, ctxt));
        }
        if (token != JsonToken.START_ARRAY) {
            return ctxt.handleUnexpectedToken(type, p);
        }
        return readNumberArray(p, ctxt);
    }

    private static byte[] readBinary(JsonParser p, DeserializationContext ctxt) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_EMBEDDED_OBJECT) {
            return p.getBinaryValue();
        }
        if (token == JsonToken.START_ARRAY) {
            return (byte[]) BYTES.readNumberArray(p, ctxt);
        }
        return (byte[]) ctxt.handleUnexpectedToken(byte[].class, p);
    }

    private Object readNumberArray(JsonParser p, DeserializationContext ctxt) {
        Growable out = new Growable(this);
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            boolean number = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
            // Jackson writes NaN and infinities of float and double arrays as strings by default.
            boolean special = token == JsonToken.VALUE_STRING && (this == FLOATS || this == DOUBLES);
            if (!number && !special) {
                return ctxt.handleUnexpectedToken(type, p);
            }
            out.add(p, special);
        }
        return out.toArray();
    }

    /** Rebuilds a value from out-of-band buffer {@code index}: a view inside {@code open()} for NIO buffers, else a heap copy. */
    Object fromBuffer(PayloadReader reader, int index) {
        ElementType actual = reader.buffer(index).elementType();
        if (actual != elementType && !(elementType == ElementType.BYTES)) {
            throw new CodecException("out-of-band buffer " + index + " holds " + actual + ", it cannot be read as "
                    + type.getSimpleName());
        }
        if (isBuffer() && reader.zeroCopy()) {
            ByteBuffer view = reader.view(index);
            return switch (this) {
                case BYTE_BUFFER -> view.order(ByteOrder.BIG_ENDIAN);
                case SHORT_BUFFER -> view.asShortBuffer();
                case CHAR_BUFFER -> view.asCharBuffer();
                case INT_BUFFER -> view.asIntBuffer();
                case LONG_BUFFER -> view.asLongBuffer();
                case FLOAT_BUFFER -> view.asFloatBuffer();
                case DOUBLE_BUFFER -> view.asDoubleBuffer();
                default -> throw new IllegalStateException(name());
            };
        }
        return switch (this) {
            case BYTES -> reader.readBytes(index);
            case SHORTS -> reader.readShorts(index);
            case CHARS -> reader.readChars(index);
            case INTS -> reader.readInts(index);
            case LONGS -> reader.readLongs(index);
            case FLOATS -> reader.readFloats(index);
            case DOUBLES -> reader.readDoubles(index);
            case BYTE_BUFFER -> ByteBuffer.wrap(reader.readBytes(index));
            default -> wrapArray(arrayKind().fromBuffer(reader, index));
        };
    }

    private OutOfBandKind arrayKind() {
        return switch (this) {
            case SHORT_BUFFER -> SHORTS;
            case CHAR_BUFFER -> CHARS;
            case INT_BUFFER -> INTS;
            case LONG_BUFFER -> LONGS;
            case FLOAT_BUFFER -> FLOATS;
            case DOUBLE_BUFFER -> DOUBLES;
            default -> throw new IllegalStateException(name() + " is not a typed buffer");
        };
    }

    private Object bufferToArray(Object value) {
        Buffer buffer = (Buffer) value;
        int n = buffer.remaining();
        return switch (this) {
            case SHORT_BUFFER -> { short[] a = new short[n]; ((ShortBuffer) buffer).duplicate().get(a); yield a; }
            case CHAR_BUFFER -> { char[] a = new char[n]; ((CharBuffer) buffer).duplicate().get(a); yield a; }
            case INT_BUFFER -> { int[] a = new int[n]; ((IntBuffer) buffer).duplicate().get(a); yield a; }
            case LONG_BUFFER -> { long[] a = new long[n]; ((LongBuffer) buffer).duplicate().get(a); yield a; }
            case FLOAT_BUFFER -> { float[] a = new float[n]; ((FloatBuffer) buffer).duplicate().get(a); yield a; }
            case DOUBLE_BUFFER -> { double[] a = new double[n]; ((DoubleBuffer) buffer).duplicate().get(a); yield a; }
            default -> throw new IllegalStateException(name() + " is not a typed buffer");
        };
    }

    private Object wrapArray(Object array) {
        return switch (this) {
            case SHORT_BUFFER -> ShortBuffer.wrap((short[]) array);
            case CHAR_BUFFER -> CharBuffer.wrap((char[]) array);
            case INT_BUFFER -> IntBuffer.wrap((int[]) array);
            case LONG_BUFFER -> LongBuffer.wrap((long[]) array);
            case FLOAT_BUFFER -> FloatBuffer.wrap((float[]) array);
            case DOUBLE_BUFFER -> DoubleBuffer.wrap((double[]) array);
            default -> throw new IllegalStateException(name() + " is not a typed buffer");
        };
    }

    /** Collects parsed numbers into a primitive array that grows by doubling. */
    private static final class Growable {
        private final OutOfBandKind kind;
        private Object array;
        private int size;

        Growable(OutOfBandKind kind) {
            this.kind = kind;
            this.array = Array.newInstance(kind.type.getComponentType(), 16);
        }

        void add(JsonParser p, boolean special) {
            if (size == Array.getLength(array)) {
                Object bigger = Array.newInstance(kind.type.getComponentType(), size * 2);
                System.arraycopy(array, 0, bigger, 0, size);
                array = bigger;
            }
            switch (kind) {
                case BYTES -> ((byte[]) array)[size] = (byte) p.getIntValue();
                case SHORTS -> ((short[]) array)[size] = (short) p.getIntValue();
                case CHARS -> ((char[]) array)[size] = (char) p.getIntValue();
                case INTS -> ((int[]) array)[size] = p.getIntValue();
                case LONGS -> ((long[]) array)[size] = p.getLongValue();
                case FLOATS -> ((float[]) array)[size] = special ? (float) special(p) : p.getFloatValue();
                case DOUBLES -> ((double[]) array)[size] = special ? special(p) : p.getDoubleValue();
                default -> throw new IllegalStateException(kind.name());
            }
            size++;
        }

        private static double special(JsonParser p) {
            String text = p.getString();
            return switch (text) {
                case "NaN" -> Double.NaN;
                case "Infinity", "+Infinity", "INF" -> Double.POSITIVE_INFINITY;
                case "-Infinity", "-INF" -> Double.NEGATIVE_INFINITY;
                default -> throw new io.fastshare.CodecException("not a number in a JSON number array: '" + text + "'");
            };
        }

        Object toArray() {
            Object exact = Array.newInstance(kind.type.getComponentType(), size);
            System.arraycopy(array, 0, exact, 0, size);
            return exact;
        }
    }
}
