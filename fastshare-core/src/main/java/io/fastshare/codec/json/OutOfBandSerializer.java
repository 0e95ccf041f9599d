package io.fastshare.codec.json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an array or NIO buffer either inline, or, inside a fastshare encoding and at or above the
 * out-of-band threshold, as a reference {@code {"$fshr.buffer": n}} to buffer {@code n} of the block.
 * Outside fastshare (no {@link OutOfBandWriter} attribute) it always writes inline, so a mapper with
 * this module still works for ordinary JSON.
 *
 * <p>Stateless and thread-safe.
 */
final class OutOfBandSerializer extends StdSerializer<Object> {

    /** Name of the single property of a reference object. */
    static final String REFERENCE = "$fshr.buffer";

    private final OutOfBandKind kind;

    OutOfBandSerializer(OutOfBandKind kind) {
        super(kind.type);
        this.kind = kind;
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) {
        OutOfBandWriter writer = (OutOfBandWriter) ctxt.getAttribute(OutOfBandWriter.ATTRIBUTE);
        if (writer != null && writer.outOfBand(kind.byteLength(value))) {
            int index = writer.add(kind, value);
            gen.writeStartObject();
            gen.writeName(REFERENCE);
            gen.writeNumber(index);
            gen.writeEndObject();
        } else {
            kind.writeInline(value, gen);
        }
    }

    @Override
    public boolean isEmpty(SerializationContext ctxt, Object value) {
        return value == null || kind.elementCount(value) == 0;
    }
}
