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
 * allowed classes, within {@link SerializationLimits} on depth, references, array length and stream
 * bytes. The internals a built-in collection checks while rebuilding itself ({@code HashMap} and
 * {@code HashSet} size their table as a {@code Map.Entry[]}) are allowed with the collection. A refused
 * class or an exceeded limit fails the read with a {@link CodecException} naming it and the setting;
 * so does a stream that overflows the reading thread's stack.
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

    /** The builder setting that changes the limits, named in error messages. */
    public static final String LIMITS_SETTING = "SharedMemoryTemplate.Builder.javaSerializationLimits(...)";

    private final TypeAllowList allowList;
    private final SerializationLimits limits;

    /**
     * Creates the codec with the default {@link SerializationLimits}.
     *
     * @param allowList the classes a stream may contain
     */
    public JavaSerializationCodec(TypeAllowList allowList) {
        this(allowList, SerializationLimits.defaults());
    }

    /**
     * Creates the codec.
     *
     * @param allowList the classes a stream may contain
     * @param limits bounds on what one read may build
     */
    public JavaSerializationCodec(TypeAllowList allowList, SerializationLimits limits) {
        this.allowList = java.util.Objects.requireNonNull(allowList, "allowList");
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /**
     * Returns the limits every read is held to.
     *
     * @return the limits
     */
    public SerializationLimits limits() {
        return limits;
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
        Object value = read(stream(payload), payload.buffer(0).length(), recorded);
        if (target != Object.class && !target.isInstance(value)) {
            throw new CodecException("block holds a " + value.getClass().getName() + ", not a " + target.getName());
        }
        return value;
    }

    /**
     * Deserialises one stream through the allow-list and the limits.
     *
     * @param stream the serialised bytes
     * @param length the stream's length in bytes
     * @param recorded the class name the writer recorded, for messages
     * @return the value
     * @throws CodecException when a class is refused, a limit is exceeded or the stream is broken
     */
    Object read(InputStream stream, long length, String recorded) {
        if (length > limits.maxBytes()) {
            throw new CodecException("Java serialisation stream of a " + recorded + " has " + length
                    + " bytes, more than the limit maxbytes=" + limits.maxBytes() + " (" + LIMITS_SETTING + ")");
        }
        AllowListFilter filter = new AllowListFilter(allowList, limits, length);
        try (ObjectInputStream in = new ObjectInputStream(stream)) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            if (filter.exceeded != null) {
                throw new CodecException("Java deserialisation of a " + recorded + " refused: the stream exceeds "
                        + filter.exceeded + " (a deserialisation bomb, or a legitimate payload that needs "
                        + LIMITS_SETTING + " raised; now " + limits + ")", e);
            }
            if (filter.refused != null) {
                throw allowList.refusal(filter.refused, "Java deserialisation of a " + recorded);
            }
            throw new CodecException("cannot deserialise a " + recorded + ": " + e, e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new CodecException("cannot deserialise a " + recorded + ": " + e, e);
        } catch (StackOverflowError e) {
            // Only reachable with limits raised far beyond the defaults: the stream nests deeper than this
            // thread's stack. The frames are unwound by now, so failing the read is safe.
            throw new CodecException("Java deserialisation of a " + recorded + " nests deeper than the thread's "
                    + "stack allows; lower maxdepth in " + LIMITS_SETTING + " (now " + limits + ")");
        }
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

    /**
     * Admits allowed classes within the limits only, remembering the first class it refused and the
     * first limit exceeded for the error message.
     */
    private static final class AllowListFilter implements ObjectInputFilter {
        private final TypeAllowList allowList;
        private final SerializationLimits limits;
        private final long streamLength;
        private String refused;
        private String exceeded;

        AllowListFilter(TypeAllowList allowList, SerializationLimits limits, long streamLength) {
            this.allowList = allowList;
            this.limits = limits;
            this.streamLength = streamLength;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            String limit = exceededLimit(info);
            if (limit != null) {
                if (exceeded == null) {
                    exceeded = limit;
                }
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return Status.UNDECIDED;
            }
            if (type == Map.Entry[].class && info.arrayLength() >= 0) {
                // HashMap and HashSet (allowed collections) size their table with a Map.Entry[] check;
                // no Map.Entry is ever instantiated from the stream.
                return Status.ALLOWED;
            }
            if (allowList.isAllowed(type)) {
                return Status.ALLOWED;
            }
            if (refused == null) {
                refused = type.getName();
            }
            return Status.REJECTED;
        }

        private String exceededLimit(FilterInfo info) {
            if (info.depth() > limits.maxDepth()) {
                return "maxdepth=" + limits.maxDepth() + " (depth " + info.depth() + ")";
            }
            if (info.references() > limits.maxReferences()) {
                return "maxrefs=" + limits.maxReferences() + " (" + info.references() + " references)";
            }
            if (info.arrayLength() > limits.maxArrayLength()) {
                return "maxarray=" + limits.maxArrayLength() + " (an array of " + info.arrayLength() + ")";
            }
            // Every array element takes at least one byte of the stream: a longer array is a lie that would
            // only make the reader allocate memory.
            if (info.arrayLength() > streamLength) {
                return "the stream's own length (an array of " + info.arrayLength() + " elements in "
                        + streamLength + " bytes)";
            }
            if (info.streamBytes() > limits.maxBytes()) {
                return "maxbytes=" + limits.maxBytes() + " (" + info.streamBytes() + " bytes)";
            }
            return null;
        }
    }
}
