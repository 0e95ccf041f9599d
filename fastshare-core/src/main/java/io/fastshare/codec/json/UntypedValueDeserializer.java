package io.fastshare.codec.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.jsontype.TypeDeserializer;
import tools.jackson.databind.type.LogicalType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads values declared as {@code Object} (untyped reads, {@code Map<String, Object>} values, ...)
 * like Jackson's own untyped deserializer (objects become {@code LinkedHashMap}, arrays
 * {@code ArrayList}), except that an out-of-band reference {@code {"$fshr.buffer": n}} becomes the
 * primitive array that buffer {@code n}'s element type implies ({@code float[]} for FLOAT32, ...).
 *
 * <p>Stateless and thread-safe.
 */
final class UntypedValueDeserializer extends StdDeserializer<Object> {

    UntypedValueDeserializer() {
        super(Object.class);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT:
            case PROPERTY_NAME:
                return readObject(p, ctxt);
            case START_ARRAY:
                return readArray(p, ctxt);
            case VALUE_STRING:
                return p.getString();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return ctxt.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) ? p.getDecimalValue()
                        : (Object) p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_EMBEDDED_OBJECT:
                return p.getEmbeddedObject();
            default:
                return ctxt.handleUnexpectedToken(Object.class, p);
        }
    }

    @Override
    public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer) {
        return typeDeserializer.deserializeTypedFromAny(p, ctxt);
    }

    @Override
    public LogicalType logicalType() {
        return LogicalType.Untyped;
    }

    private Object readObject(JsonParser p, DeserializationContext ctxt) {
        String name = p.currentToken() == JsonToken.START_OBJECT ? p.nextName() : p.currentName();
        if (OutOfBandSerializer.REFERENCE.equals(name)) {
            if (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                int index = p.getIntValue();
                if (p.nextToken() == JsonToken.END_OBJECT) {
                    var reader = OutOfBandDeserializer.reader(ctxt);
                    return OutOfBandKind.arrayFor(reader.buffer(index).elementType()).fromBuffer(reader, index);
                }
            }
            return ctxt.handleUnexpectedToken(Object.class, p);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        while (name != null) {
            p.nextToken();
            map.put(name, deserialize(p, ctxt));
            name = p.nextName();
        }
        return map;
    }

    private List<Object> readArray(JsonParser p, DeserializationContext ctxt) {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(deserialize(p, ctxt));
        }
        return list;
    }
}
