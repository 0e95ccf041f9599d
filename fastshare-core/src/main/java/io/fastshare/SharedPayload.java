package io.fastshare;

import io.fastshare.codec.CodecRegistry;
import io.fastshare.codec.ContentPayloadReader;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;
import io.fastshare.token.Token;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A zero-copy handle on a payload, from {@link SharedMemoryTemplate#open(String)}. Its views are
 * read-only, little-endian buffers over the shared memory itself: nothing is copied until the
 * application reads the bytes.
 *
 * <pre>{@code
 * try (SharedPayload payload = template.open(token)) {
 *     FloatBuffer vectors = payload.view(0).asFloatBuffer();
 *     ...
 * }
 * }</pre>
 *
 * <p>Lifetime: {@link #close()} unmaps the memory at once. Every view obtained from this handle is
 * invalid afterwards, and on JDK 17 to 21 touching one then can crash the JVM; keep views inside the
 * try-with-resources block and finish all threads using them before closing. A view stays valid when
 * the block is released or reclaimed meanwhile: the memory lives until the handle closes.
 *
 * <p>A handle that is never closed does not pin shared memory for ever: once it is unreachable, a
 * cleaner releases its mapping and logs a WARN (logger {@code io.fastshare.leak}) naming where it was
 * opened. On JDK 22+ that invalidates views still held without their handle (touching one throws
 * {@code IllegalStateException}); on JDK 17 to 21 the garbage collector unmaps only once the views are
 * gone too. So keep the handle reachable, and open, for as long as its views are used.
 *
 * <p>Opening maps the block in a bounded number of regions (one per GiB of buffers), whatever its
 * number of buffers; a mapping that fails gives an {@link AllocationException}.
 *
 * <p>Reads through views may be concurrent; {@link #close()} must not race with them. Closing twice
 * is harmless.
 */
public final class SharedPayload implements AutoCloseable {

    private final String token;
    private final BlockPreamble preamble;
    private final BlockContent content;
    private final CodecRegistry codecs;
    private final boolean inline;
    private volatile boolean closed;

    SharedPayload(String token, BlockPreamble preamble, BlockContent content, CodecRegistry codecs, boolean inline) {
        this.token = token;
        this.preamble = preamble;
        this.content = content;
        this.codecs = codecs;
        this.inline = inline;
    }

    /**
     * Returns the token this handle was opened from.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /**
     * Tells whether the payload came inline in the token (views are then over heap memory).
     *
     * @return true for an inline token
     */
    public boolean isInline() {
        return inline;
    }

    /**
     * Returns the id of the codec that wrote the payload.
     *
     * @return codec id
     */
    public String codecId() {
        return preamble.header().codecId();
    }

    /**
     * Returns the encoded size of the block.
     *
     * @return bytes
     */
    public long size() {
        return preamble.header().totalLength();
    }

    /**
     * Returns the buffer table.
     *
     * @return descriptors of the payload's buffers
     */
    public List<BufferDescriptor> buffers() {
        return preamble.buffers();
    }

    /**
     * Returns a read-only little-endian view of one buffer; {@code view(0).asFloatBuffer()} gives a
     * {@code FloatBuffer} over a {@code float[]} payload.
     *
     * @param index buffer index
     * @return the view, positioned at 0
     * @throws CodecException when there is no such buffer or it is over 2 GiB
     * @throws FastShareException when the handle is closed
     */
    public ByteBuffer view(int index) {
        checkOpen();
        return reader().view(index);
    }

    /**
     * Decodes the payload, handing out views where the codec supports them: a {@code ByteBuffer}
     * payload, and {@code ByteBuffer}/{@code FloatBuffer}/{@code IntBuffer}/... fields of structured
     * payloads, come back as read-only views of the shared memory, valid only until this handle is
     * closed; arrays are copied.
     *
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     * @throws CodecException when the payload is not of that type, or the codec fails
     * @throws CorruptBlockException when another process truncated the block while it was being decoded
     * @throws InterruptedFastShareException when the thread was interrupted while the value was copied
     */
    public <T> T value(Class<T> type) {
        return SharedMemoryTemplate.cast(decode(type), type);
    }

    /**
     * Decodes the payload into a value of a generic type.
     *
     * @param type the expected type
     * @return the value
     * @throws CodecException when the payload is not of that type, or the codec fails
     * @throws CorruptBlockException when another process truncated the block while it was being decoded
     */
    public Object value(Type type) {
        return decode(type);
    }

    private Object decode(Type type) {
        checkOpen();
        PayloadCodec codec = codecs.forId(codecId());
        try {
            return codec.decode(reader(), type);
        } catch (FastShareException e) {
            throw InterruptedFastShareException.translate(e, "decoding " + Token.abbreviate(token) + " was "
                    + "interrupted; the block is intact: open the token again on a thread that is not interrupted");
        } catch (RuntimeException e) {
            throw new CodecException("codec '" + codec.id() + "' failed to decode " + Token.abbreviate(token) + ": "
                    + e, e);
        } catch (InternalError e) {
            // A codec touched a view of a mapping that another process truncated (SIGBUS).
            throw new CorruptBlockException("block of " + Token.abbreviate(token)
                    + " became unreadable while decoding: it was truncated by another process", e);
        }
    }

    /**
     * Decodes the payload into a value of a generic type:
     * {@code value(new TypeReference<List<Frame>>() {})}. NIO buffer fields are views valid until
     * this handle is closed, as for {@link #value(Class)}.
     *
     * @param type the expected type
     * @param <T> the expected type
     * @return the value
     * @throws CodecException when the payload is not of that type
     */
    @SuppressWarnings("unchecked")
    public <T> T value(tools.jackson.core.type.TypeReference<T> type) {
        return (T) value(type.getType());
    }

    private ContentPayloadReader reader() {
        return new ContentPayloadReader(preamble, content, true);
    }

    private void checkOpen() {
        if (closed) {
            throw new FastShareException("payload handle for " + Token.abbreviate(token) + " is closed");
        }
    }

    /**
     * Unmaps the shared memory. Idempotent. Views from this handle must not be used afterwards.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            content.close();
        }
    }
}
