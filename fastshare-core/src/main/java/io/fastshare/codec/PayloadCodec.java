package io.fastshare.codec;

import java.lang.reflect.Type;

/**
 * Service-provider interface for turning values into block payloads and back. fastshare ships a raw
 * codec (arrays, byte buffers, strings); users add their own (Protobuf, Arrow, ...) on the template
 * builder, or as beans with the Spring Boot starter.
 *
 * <p>The codec id is stored in every block it writes and selects the codec on the reading side, so
 * both sides must register a codec with the same id. Implementations must be thread-safe.
 */
public interface PayloadCodec {

    /**
     * Returns the id stored in blocks: 1 to 16 printable ASCII characters, stable across versions.
     *
     * @return codec id
     */
    String id();

    /**
     * Tells whether this codec can encode a value. The template asks its codecs in registration order
     * and uses the first that answers true.
     *
     * @param value a non-null value
     * @return true when {@link #encode} accepts it
     */
    boolean canEncode(Object value);

    /**
     * Encodes a value into metadata and out-of-band buffers. Buffers may reference the value's own
     * arrays (no copy): the template writes them before {@code write} returns.
     *
     * @param value a value this codec accepted
     * @return the encoded payload
     * @throws io.fastshare.CodecException when the value cannot be encoded
     */
    EncodedPayload encode(Object value);

    /**
     * Decodes a payload this codec wrote.
     *
     * @param payload the validated block
     * @param targetType the type the caller asked for; {@code Object.class} for an untyped read
     * @return the value, an instance of {@code targetType}
     * @throws io.fastshare.CodecException when the payload cannot be decoded as {@code targetType}
     */
    Object decode(PayloadReader payload, Type targetType);
}
