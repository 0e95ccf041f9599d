package io.fastshare.codec;

import java.lang.reflect.Type;

/**
 * Service-provider interface for turning values into block payloads and back. fastshare ships the
 * raw codec (arrays, byte buffers, strings; id {@code raw}), the JSON codec for records, POJOs and
 * collections ({@code json}, {@link io.fastshare.codec.json.JsonCodec}) and the opt-in Java
 * serialisation codec ({@code java}); users add their own (Protobuf, Arrow, ...).
 *
 * <h2>What a codec produces</h2>
 * {@link #encode} returns an {@link EncodedPayload}: small metadata bytes (stored in the block's
 * metadata section, at most 256 MiB) plus any number of {@link PayloadBuffer}s. Each buffer is placed
 * raw on its own 64-byte boundary of the block, with its {@link io.fastshare.format.ElementType} and
 * shape recorded in the buffer table, so readers (also in other languages) can view it without
 * parsing. Put bulk data in buffers, never in the metadata: buffers are streamed straight from the
 * value's own arrays ({@link ArraySources}) into the block, and read back with one copy
 * ({@link PayloadReader#readFloats} ...) or none ({@link PayloadReader#view} inside {@code open()}).
 *
 * <h2>Registering</h2>
 * <pre>{@code
 * SharedMemoryTemplate template = SharedMemoryTemplate.builder()
 *         .codec(new ProtobufCodec())          // asked before the built-in codecs
 *         .build();
 * }</pre>
 * The template asks its codecs in this order and uses the first whose {@link #canEncode} answers
 * true: codecs from {@code Builder.codec(...)} in registration order, the raw codec, codecs from
 * {@code Builder.fallbackCodec(...)}, the Java serialisation codec when enabled, the JSON codec. With
 * the Spring Boot starter, {@code PayloadCodec} beans are registered for you.
 *
 * <p>The codec id is stored in every block it writes and selects the codec on the reading side, so
 * every process must register a codec with the same id; a block whose codec is not registered fails
 * to read with a {@link io.fastshare.CodecException} naming the id. Keep ids stable across versions
 * and make the encoding backward compatible, or change the id.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Implementations must be thread-safe: one instance serves every thread of the template.</li>
 *   <li>{@link #encode} may reference the value's arrays without copying: the block is written
 *   before {@code write} returns, and the caller must not change the value meanwhile.</li>
 *   <li>{@link #decode} must honour {@code targetType}, returning an instance of it or throwing
 *   {@link io.fastshare.CodecException}; {@code Object.class} means an untyped read, where a codec that
 *   can instantiate arbitrary classes must restrict itself to an allow-list
 *   ({@link TypeAllowList}).</li>
 *   <li>Outside {@code open()} a decoded value must not keep a {@link PayloadReader#view view}: the
 *   block may be released and its memory reused. Inside {@code open()} views are allowed and live
 *   as long as the {@code SharedPayload} handle.</li>
 *   <li>Failures should be {@link io.fastshare.CodecException}s; any other runtime exception is wrapped
 *   into one by the template.</li>
 * </ul>
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
