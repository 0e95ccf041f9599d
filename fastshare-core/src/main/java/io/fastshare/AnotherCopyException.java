package io.fastshare;

/**
 * Thrown when a shared-memory resource of this JVM is in use by another copy of fastshare in the same
 * JVM, loaded by another class loader (two web applications in one servlet container, OSGi bundles,
 * child-first loaders). Kernel file locks belong to the process, not to a class loader: if this copy
 * opened its own channel on a pool segment the other copy has mapped, closing it would silently drop
 * the other copy's locks, and locking it would collide with them. So this copy leaves such a segment
 * alone: a pooled block in it cannot be read here (read it with the copy that wrote it, or disable the
 * pool with {@code poolSize(0)} so blocks go to block files, which every copy can read); writes of
 * this copy never use it and fall through to block files when the pool cannot take them.
 */
public class AnotherCopyException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public AnotherCopyException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public AnotherCopyException(String message, Throwable cause) {
        super(message, cause);
    }
}
