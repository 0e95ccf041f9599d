package io.fastshare.codec.json;

import tools.jackson.databind.module.SimpleModule;

/**
 * The Jackson module behind {@link JsonCodec}: serializers and deserializers that move
 * {@code byte[] short[] char[] int[] long[] float[] double[]}, {@code ByteBuffer} and the typed NIO
 * buffers ({@code FloatBuffer}, ...) out of band wherever they occur (fields of records and POJOs,
 * elements of lists and maps, the root value); an untyped-value deserializer that resolves
 * references in {@code Object} positions; and the allow-list check of untyped reads.
 *
 * <p>Outside a fastshare encoding the module writes every array inline in Jackson's usual form, so
 * it is harmless on a shared mapper. Stateless and thread-safe.
 */
public final class OutOfBandModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the module.
     */
    public OutOfBandModule() {
        super("fastshare-out-of-band");
        for (OutOfBandKind kind : OutOfBandKind.values()) {
            register(kind);
        }
        addDeserializer(Object.class, new UntypedValueDeserializer());
        setDeserializerModifier(new AllowListCheckingDeserializer.Modifier());
    }

    @SuppressWarnings("unchecked")
    private void register(OutOfBandKind kind) {
        Class<Object> type = (Class<Object>) kind.type;
        addSerializer(type, new OutOfBandSerializer(kind));
        addDeserializer(type, new OutOfBandDeserializer(kind));
    }
}
