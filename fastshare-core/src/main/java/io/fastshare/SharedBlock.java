package io.fastshare;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A payload shared with many readers, from {@link SharedMemoryTemplate#share(Object)}: the Java
 * equivalent of Python fastshare's {@code SharedData}. The block has no TTL; it lives until this
 * handle is closed, the template that shared it is closed, or its owning process dies (the janitor
 * then reclaims it).
 *
 * <pre>{@code
 * try (SharedBlock block = template.share(model)) {
 *     workers.forEach(w -> w.send(block.token()));   // each worker: template.load(token, Model.class)
 *     ...
 * }
 * }</pre>
 *
 * <p>Readers that already loaded the payload keep their copy after the block is released; later
 * loads of the token fail with {@link BlockNotFoundException}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class SharedBlock implements AutoCloseable {

    private final SharedMemoryTemplate template;
    private final String token;
    private final long size;
    private final AtomicBoolean closed = new AtomicBoolean();

    SharedBlock(SharedMemoryTemplate template, String token, long size) {
        this.template = template;
        this.token = token;
        this.size = size;
    }

    /**
     * Returns the token readers pass to {@link SharedMemoryTemplate#load(String, Class)}.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /**
     * Returns the size of the block in shared memory.
     *
     * @return bytes
     */
    public long size() {
        return size;
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Releases the block. Readers that already loaded it keep their values. Does nothing the second
     * time, nor when the template is already closed (which released the block).
     *
     * @throws FastShareException when the block file cannot be deleted
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            template.releaseShared(token);
        }
    }

    @Override
    public String toString() {
        return "SharedBlock[" + io.fastshare.token.Token.abbreviate(token) + ", " + size + " bytes"
                + (closed.get() ? ", closed" : "") + "]";
    }
}
