package io.fastshare.codec.json;

import io.fastshare.codec.PayloadReader;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads an array or NIO buffer written by {@link OutOfBandSerializer}: from its inline JSON form, or
 * from the block buffer a reference names, using the {@link PayloadReader} passed as a per-call
 * attribute ({@code ObjectReader.withAttribute}).
 *
 * <p>Stateless and thread-safe.
 */
final class OutOfBandDeserializer extends StdDeserializer<Object> {

    /** Attribute key under which the payload reader is passed to deserializers. */
    static final Object READER = PayloadReader.class;

    private final OutOfBandKind kind;

    OutOfBandDeserializer(OutOfBandKind kind) {
        super(kind.type);
        this.kind = kind;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.PROPERTY_NAME) {
            int index = readReference(p, ctxt, kind.type);
            return kind.fromBuffer(reader(ctxt), index);
        }
        return kind.readInline(p, ctxt);
    }

    @Override
    public LogicalType logicalType() {
        return kind == OutOfBandKind.BYTES || kind == OutOfBandKind.BYTE_BUFFER ? LogicalType.Binary : LogicalType.Array;
    }

    /** Returns the payload reader of the current fastshare decoding, failing outside one. */
    static PayloadReader reader(DeserializationContext ctxt) {
        PayloadReader reader = (PayloadReader) ctxt.getAttribute(READER);
        if (reader == null) {
            throw new io.fastshare.CodecException("JSON holds a fastshare out-of-band buffer reference but is not "
                    + "being read through a fastshare template");
        }
        return reader;
    }

    /**
     * Reads {@code {"$fshr.buffer": n}} with the parser on its start (or first property) and returns n;
     * leaves the parser on the closing brace.
     */
    static int readReference(JsonParser p, DeserializationContext ctxt, Class<?> type) {
        String name = p.currentToken() == JsonToken.START_OBJECT ? p.nextName() : p.currentName();
        if (!OutOfBandSerializer.REFERENCE.equals(name) || p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            return (Integer) ctxt.handleUnexpectedToken(type, p);
        }
        int index = p.getIntValue();
        if (p.nextToken() != JsonToken.END_OBJECT) {
            return (Integer) ctxt.handleUnexpectedToken(type, p);
        }
        return index;
    }
}
