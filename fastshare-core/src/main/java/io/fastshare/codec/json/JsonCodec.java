package io.fastshare.codec.json;

import io.fastshare.CodecException;
import io.fastshare.FastShareException;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.PayloadReader;
import io.fastshare.codec.TypeAllowList;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Codec for structured values (records, POJOs, collections, maps) with Jackson 3, the Java analogue
 * of pickle protocol 5: JSON carries the structure, while arrays of at least the out-of-band threshold
 * ({@code byte[] short[] char[] int[] long[] float[] double[]}, {@code ByteBuffer}, {@code FloatBuffer}
 * and the other typed NIO buffers) go raw into their own 64-byte aligned buffers of the block, with
 * their element type recorded. A {@code record Embeddings(String model, List<String> ids, float[]
 * vectors)} thus moves its vectors with one memory copy on each side, no JSON text and no Base64.
 *
 * <h2>Block content</h2>
 * The metadata is the UTF-8 binary name of the value's class, a line feed, then the JSON document,
 * in which each out-of-band array is the object {@code {"$fshr.buffer": n}} naming buffer {@code n}.
 * Smaller arrays stay inline in Jackson's usual form. The bytes are the same inline and in shared
 * memory.
 *
 * <h2>Reading</h2>
 * <ul>
 *   <li>Typed reads ({@code read(token, Embeddings.class)}, {@code read(token, new TypeReference<...>() {})})
 *   are the safe default: Jackson builds only the requested type and the types it declares.</li>
 *   <li>An untyped read ({@code read(token)}) rebuilds the recorded class only when it matches the
 *   {@link TypeAllowList}, and every POJO or record class Jackson builds on the way must match too;
 *   otherwise a {@link CodecException} names the class and the setting. Collections and maps come
 *   back as {@code ArrayList}/{@code LinkedHashMap} (or {@code LinkedHashSet}), {@code Object}
 *   positions as Jackson's untyped values with out-of-band arrays as primitive arrays.</li>
 *   <li>Inside {@code open(token)} ({@code SharedPayload.value(...)}) fields declared as
 *   {@code ByteBuffer}, {@code FloatBuffer}, {@code IntBuffer}, ... receive read-only views of the
 *   shared memory itself, valid only until the {@code SharedPayload} is closed; arrays are always
 *   copied. Through {@code read}, {@code take} and {@code load} every value is an independent heap
 *   copy.</li>
 * </ul>
 * Jackson default typing is never enabled.
 *
 * <p>The application's {@link JsonMapper} is honoured (naming strategies, modules, features): the
 * codec works on a copy of it with {@link OutOfBandModule} added, and writes with
 * {@code FAIL_ON_EMPTY_BEANS} on, so a class whose state Jackson cannot see fails at write time
 * instead of travelling as {@code {}}. Thread-safe.
 */
public final class JsonCodec implements PayloadCodec {

    /** The id stored in blocks. */
    public static final String ID = "json";

    /** Default out-of-band threshold: arrays of 4 KiB or more leave the JSON. */
    public static final long DEFAULT_OUT_OF_BAND_THRESHOLD = 4096;

    private final JsonMapper mapper;
    private final ObjectWriter writer;
    private final long outOfBandThreshold;
    private final TypeAllowList allowList;

    /**
     * Creates a codec with a default mapper, the default threshold and only built-in types allowed
     * for untyped reads.
     */
    public JsonCodec() {
        this(JsonMapper.builder().build(), DEFAULT_OUT_OF_BAND_THRESHOLD, TypeAllowList.builtInOnly());
    }

    /**
     * Creates a codec.
     *
     * @param mapper the application's mapper; the codec uses a copy with {@link OutOfBandModule} added
     * @param outOfBandThreshold arrays of at least this many bytes go out of band; 0 sends all of them
     * @param allowList classes an untyped read may instantiate
     * @throws IllegalArgumentException when the threshold is negative
     */
    public JsonCodec(JsonMapper mapper, long outOfBandThreshold, TypeAllowList allowList) {
        Objects.requireNonNull(mapper, "mapper");
        if (outOfBandThreshold < 0) {
            throw new IllegalArgumentException("outOfBandThreshold must not be negative: " + outOfBandThreshold);
        }
        this.mapper = mapper.rebuild().addModule(new OutOfBandModule()).build();
        // A class without visible properties would travel as {} and lose its state: fail at write time.
        this.writer = this.mapper.writer().with(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.outOfBandThreshold = outOfBandThreshold;
        this.allowList = Objects.requireNonNull(allowList, "allowList");
    }

    /**
     * Returns the mapper the codec uses (the application's plus {@link OutOfBandModule}).
     *
     * @return the mapper
     */
    public JsonMapper mapper() {
        return mapper;
    }

    /**
     * Returns the out-of-band threshold.
     *
     * @return bytes
     */
    public long outOfBandThreshold() {
        return outOfBandThreshold;
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * Accepts every value: this codec is the catch-all after the raw codec. Values Jackson cannot
     * serialise fail in {@link #encode} with a {@link CodecException}.
     */
    @Override
    public boolean canEncode(Object value) {
        return true;
    }

    @Override
    public EncodedPayload encode(Object value) {
        OutOfBandWriter buffers = new OutOfBandWriter(outOfBandThreshold);
        byte[] json;
        try {
            json = writer.withAttribute(OutOfBandWriter.ATTRIBUTE, buffers).writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw rethrow(e, "cannot encode " + value.getClass().getName() + " as JSON");
        }
        byte[] type = value.getClass().getName().getBytes(StandardCharsets.UTF_8);
        byte[] metadata = new byte[type.length + 1 + json.length];
        System.arraycopy(type, 0, metadata, 0, type.length);
        metadata[type.length] = '\n';
        System.arraycopy(json, 0, metadata, type.length + 1, json.length);
        return new EncodedPayload(metadata, buffers.buffers());
    }

    @Override
    public Object decode(PayloadReader payload, Type targetType) {
        byte[] metadata = payload.metadata();
        int newline = indexOf(metadata, (byte) '\n');
        if (newline <= 0) {
            throw new CodecException("JSON block metadata does not start with a type name");
        }
        String typeName = new String(metadata, 0, newline, StandardCharsets.UTF_8);
        boolean untyped = targetType == Object.class;
        JavaType type = untyped ? untypedTarget(typeName) : mapper.constructType(targetType);
        ObjectReader reader = mapper.readerFor(type).withAttribute(OutOfBandDeserializer.READER, payload);
        if (untyped) {
            reader = reader.withAttribute(AllowListCheckingDeserializer.ALLOW_LIST, allowList);
        }
        try {
            return reader.readValue(metadata, newline + 1, metadata.length - newline - 1);
        } catch (JacksonException e) {
            throw rethrow(e, "cannot decode a JSON payload of " + typeName + " as " + type.toCanonical());
        }
    }

    /**
     * Chooses the type an untyped read builds: the recorded class when allowed; for collections and
     * maps the JDK default implementation of their interface, so that unmodifiable and
     * implementation-private classes ({@code List.of(...)}) read back.
     */
    private JavaType untypedTarget(String typeName) {
        if (typeName.startsWith("java.util.")) {
            Class<?> jdk = loadJdk(typeName);
            if (jdk != null && Map.class.isAssignableFrom(jdk)) {
                return mapper.constructType(Map.class);
            }
            if (jdk != null && Set.class.isAssignableFrom(jdk)) {
                return mapper.constructType(Set.class);
            }
            if (jdk != null && Collection.class.isAssignableFrom(jdk)) {
                return mapper.constructType(List.class);
            }
        }
        allowList.check(typeName, "untyped read of a JSON payload");
        try {
            return mapper.constructType(Class.forName(typeName, false, classLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CodecException("JSON payload holds a " + typeName + ", a class not on this class path; read it "
                    + "with an explicit type", e);
        }
    }

    private static Class<?> loadJdk(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : JsonCodec.class.getClassLoader();
    }

    /** Surfaces a fastshare exception thrown inside Jackson as itself, anything else as a CodecException. */
    private static FastShareException rethrow(JacksonException e, String what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FastShareException f) {
                return f;
            }
        }
        return new CodecException(what + ": " + e.getOriginalMessage(), e);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "JsonCodec[outOfBandThreshold=" + outOfBandThreshold + ", allowedTypes=" + allowList.patterns() + "]";
    }
}
