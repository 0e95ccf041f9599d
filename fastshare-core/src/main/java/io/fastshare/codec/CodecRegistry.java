package io.fastshare.codec;

import io.fastshare.CodecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The codecs a template knows, in the order they are asked to encode, and by id for decoding.
 *
 * <p>Immutable and thread-safe.
 */
public final class CodecRegistry {

    private final List<PayloadCodec> ordered;
    private final Map<String, PayloadCodec> byId;

    /**
     * Creates a registry.
     *
     * @param codecs codecs in encoding preference order
     * @throws IllegalArgumentException when two codecs share an id
     */
    public CodecRegistry(List<? extends PayloadCodec> codecs) {
        this.ordered = List.copyOf(codecs);
        Map<String, PayloadCodec> ids = new LinkedHashMap<>();
        for (PayloadCodec codec : ordered) {
            if (ids.putIfAbsent(codec.id(), codec) != null) {
                throw new IllegalArgumentException("two codecs have the id '" + codec.id() + "'");
            }
        }
        this.byId = Map.copyOf(ids);
    }

    /**
     * Returns the first codec that can encode a value.
     *
     * @param value a non-null value
     * @return the codec
     * @throws CodecException when none can
     */
    public PayloadCodec forValue(Object value) {
        for (PayloadCodec codec : ordered) {
            if (codec.canEncode(value)) {
                return codec;
            }
        }
        throw new CodecException("no codec can encode " + value.getClass().getName() + "; registered codecs: "
                + byId.keySet() + ". Register a PayloadCodec for it");
    }

    /**
     * Returns the codec with an id.
     *
     * @param id id read from a block
     * @return the codec
     * @throws CodecException when no registered codec has that id
     */
    public PayloadCodec forId(String id) {
        PayloadCodec codec = byId.get(id);
        if (codec == null) {
            throw new CodecException("block was written by codec '" + id + "', which is not registered here; "
                    + "registered codecs: " + byId.keySet());
        }
        return codec;
    }

    /**
     * Returns the codecs in order.
     *
     * @return unmodifiable list
     */
    public List<PayloadCodec> codecs() {
        return new ArrayList<>(ordered);
    }
}
