package io.fastshare.bench;

import tools.jackson.databind.json.JsonMapper;

/**
 * Jackson 3 JSON, the default wire format of Spring services: an array becomes a JSON array of
 * numbers ({@code float[]}) or a base64 string ({@code byte[]}). Thread-safe.
 */
public final class Json {

    /** Shared mapper; Jackson mappers are thread-safe once configured. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /**
     * Encodes a value as JSON bytes (UTF-8).
     *
     * @param value the value
     * @return JSON
     */
    public static byte[] serialize(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /**
     * Decodes JSON bytes.
     *
     * @param json the JSON
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     */
    public static <T> T deserialize(byte[] json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /**
     * Encodes and decodes a value.
     *
     * @param value the value
     * @param type its type
     * @param <T> its type
     * @return an equal copy
     */
    public static <T> T roundTrip(T value, Class<T> type) {
        return deserialize(serialize(value), type);
    }
}
