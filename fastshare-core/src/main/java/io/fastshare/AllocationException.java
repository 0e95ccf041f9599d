package io.fastshare;

/**
 * Thrown when a payload cannot be placed in shared memory (the filesystem is full, the live-bytes
 * quota is reached, the directory is unusable) and the inline fallback is disabled or the payload is
 * larger than the inline limit. No partial block is left behind.
 */
public class AllocationException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public AllocationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public AllocationException(String message, Throwable cause) {
        super(message, cause);
    }
}
