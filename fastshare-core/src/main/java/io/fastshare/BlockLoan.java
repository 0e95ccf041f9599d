package io.fastshare;

import java.nio.ByteBuffer;

/**
 * A block being written in place: {@link #buffer()} is the shared memory of a pool slot itself, so a
 * producer that builds its payload straight into it hands it over with no copy at all. Obtained from
 * {@link SharedMemoryTemplate#loan(long)}; {@link #publish()} seals it and returns the token; closing an
 * unpublished loan gives the slot back.
 *
 * <pre>{@code
 * try (BlockLoan loan = template.loan(4L * floats)) {
 *     FloatBuffer out = loan.buffer().asFloatBuffer();   // typed view of the shared memory
 *     ... fill out ...
 *     String token = loan.publish();                    // readers: template.open(token)
 * }
 * }</pre>
 *
 * <p>The block is a raw {@code ByteBuffer} block: readers get it with {@code open(token)} (zero-copy
 * views) or {@code read(token, ByteBuffer.class)} / {@code read(token, byte[].class)}. The buffer holds
 * whatever the slot held before until the producer overwrites it.
 *
 * <p>When the pool cannot take the block (pool off or full, or larger than its largest slot) the loan
 * is a local direct buffer instead ({@link #pooled()} is false) and {@link #publish()} writes it like
 * {@code write(buffer)}: one copy, to a block file or, as configured, an inline token.
 *
 * <p>Not thread-safe: one producer thread; the buffer must not be used after {@link #publish()} or
 * {@link #close()}.
 */
public final class BlockLoan implements AutoCloseable {

    /** What sealing and giving back mean for one kind of loan. */
    interface Seal {
        String publish();

        void giveBack();
    }

    private final ByteBuffer buffer;
    private final boolean pooled;
    private final Seal seal;
    private boolean done;

    BlockLoan(ByteBuffer buffer, boolean pooled, Seal seal) {
        this.buffer = buffer;
        this.pooled = pooled;
        this.seal = seal;
    }

    /**
     * Returns the payload buffer: little-endian, position 0, limit and capacity the loaned size. Always
     * the same instance. Typed views ({@code asFloatBuffer()}, ...) see the same memory.
     *
     * @return the buffer to fill
     * @throws FastShareException after {@link #publish()} or {@link #close()}
     */
    public ByteBuffer buffer() {
        checkOpen();
        return buffer;
    }

    /**
     * Returns the loaned payload size.
     *
     * @return bytes
     */
    public long size() {
        return buffer.capacity();
    }

    /**
     * Tells whether the buffer is pool shared memory (no copy at publish) or a local fallback buffer.
     *
     * @return true for a pool slot
     */
    public boolean pooled() {
        return pooled;
    }

    /**
     * Seals the block and returns its token. The whole buffer is the payload, whatever its position.
     *
     * @return the token for readers
     * @throws FastShareException when the loan was published or closed already
     * @throws TemplateClosedException when the template was closed meanwhile (the slot is given back)
     * @throws AllocationException for a fallback loan that cannot be written anywhere
     */
    public String publish() {
        checkOpen();
        done = true;
        return seal.publish();
    }

    /**
     * Gives an unpublished loan's slot back; does nothing after {@link #publish()}. Idempotent.
     */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        seal.giveBack();
    }

    private void checkOpen() {
        if (done) {
            throw new FastShareException("this loan was already published or closed");
        }
    }
}
