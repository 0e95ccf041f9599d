package io.fastshare.bench;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jackson 3 JSON, the default wire format of Spring services: an array becomes a JSON array of
 * numbers ({@code float[]}) or a base64 string ({@code byte[]}). Thread-safe.
 */
public final class Json {

    /**
     * Shared mapper; Jackson mappers are thread-safe once configured. The string-length limit is
     * lifted because a 100 MB {@code byte[]} is one 133 MB base64 string, over Jackson's default cap.
     */
    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build()).build();

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
