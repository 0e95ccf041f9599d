package io.fastshare.codec;

import io.fastshare.CodecException;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Codec for {@link Serializable} classes through Java serialisation. Off by default: enable it with
 * {@code SharedMemoryTemplate.Builder.javaSerialization(true)}, on the writing and on the reading
 * side.
 *
 * <p>Reading a Java serialisation stream can run code of any class on the class path, so every read
 * goes through an {@link ObjectInputFilter} that admits only classes of the {@link TypeAllowList}
 * ({@code allowedTypes(...)} plus a few JDK value and collection classes), primitives and arrays of
 * allowed classes, with bounds on depth, references and array sizes. A refused class fails the read
 * with a {@link CodecException} naming it and the setting.
 *
 * <p>Which values it takes: it is asked after the raw codec and before the JSON codec, and accepts
 * {@code Serializable} values other than records, arrays, collections, maps and JDK ({@code java.*})
 * classes; those go through JSON, which moves their arrays out of band. The stream is stored as one
 * buffer of bytes; the metadata is the UTF-8 name of the value's class.
 *
 * <p>Thread-safe.
 */
public final class JavaSerializationCodec implements PayloadCodec {

    /** The id stored in blocks. */
    public static final String ID = "java";

    private static final long MAX_DEPTH = 1000;
    private static final long MAX_REFERENCES = 10_000_000;

    private final TypeAllowList allowList;

    /**
     * Creates the codec.
     *
     * @param allowList the classes a stream may contain
     */
    public JavaSerializationCodec(TypeAllowList allowList) {
        this.allowList = java.util.Objects.requireNonNull(allowList, "allowList");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean canEncode(Object value) {
        Class<?> type = value.getClass();
        return value instanceof Serializable && !type.isRecord() && !type.isArray() && !(value instanceof Collection)
                && !(value instanceof Map) && !type.getName().startsWith("java.");
    }

    @Override
    public EncodedPayload encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new CodecException("cannot serialise " + value.getClass().getName() + ": " + e, e);
        }
        byte[] stream = bytes.toByteArray();
        PayloadBuffer buffer = new PayloadBuffer(BufferSpec.vector(ElementType.BYTES, stream.length),
                ArraySources.of(stream));
        return new EncodedPayload(value.getClass().getName().getBytes(StandardCharsets.UTF_8), List.of(buffer));
    }

    @Override
    public Object decode(PayloadReader payload, Type targetType) {
        if (payload.bufferCount() != 1) {
            throw new CodecException("Java serialisation block has " + payload.bufferCount() + " buffers, not 1");
        }
        String recorded = new String(payload.metadata(), StandardCharsets.UTF_8);
        Class<?> target = targetType instanceof Class<?> c ? c : Object.class;
        AllowListFilter filter = new AllowListFilter(allowList, payload.buffer(0).length());
        Object value;
        try (ObjectInputStream in = new ObjectInputStream(stream(payload))) {
            in.setObjectInputFilter(filter);
            value = in.readObject();
        } catch (InvalidClassException e) {
            if (filter.refused != null) {
                throw allowList.refusal(filter.refused, "Java deserialisation of a " + recorded);
            }
            throw new CodecException("cannot deserialise a " + recorded + ": " + e, e);
        } catch (IOException | ClassNotFoundException e) {
            throw new CodecException("cannot deserialise a " + recorded + ": " + e, e);
        }
        if (target != Object.class && !target.isInstance(value)) {
            throw new CodecException("block holds a " + value.getClass().getName() + ", not a " + target.getName());
        }
        return value;
    }

    private static InputStream stream(PayloadReader payload) {
        ByteBuffer view = payload.view(0);
        return new InputStream() {
            @Override
            public int read() {
                return view.hasRemaining() ? view.get() & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (!view.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(len, view.remaining());
                view.get(b, off, n);
                return n;
            }
        };
    }

    /** Admits allowed classes only, remembering the first it refused for the error message. */
    private static final class AllowListFilter implements ObjectInputFilter {
        private final TypeAllowList allowList;
        private final long streamLength;
        private String refused;

        AllowListFilter(TypeAllowList allowList, long streamLength) {
            this.allowList = allowList;
            this.streamLength = streamLength;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            // Every array element takes at least one byte of the stream: a longer array is a lie that
            // would only make the reader allocate memory.
            if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > streamLength) {
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return Status.UNDECIDED;
            }
            if (allowList.isAllowed(type)) {
                return Status.ALLOWED;
            }
            if (refused == null) {
                refused = type.getName();
            }
            return Status.REJECTED;
        }
    }
}
