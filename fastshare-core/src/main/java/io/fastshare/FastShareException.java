package io.fastshare;

/**
 * Root of every exception fastshare throws. Unchecked, so callers handle the cases they care about
 * ({@link BlockNotFoundException} for a handoff that came too late, {@link AllocationException} for a
 * full shared-memory filesystem) and let the rest propagate.
 *
 * <p>Every message says what happened and what the caller can do about it.
 */
public class FastShareException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what happened and what to do
     */
    public FastShareException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public FastShareException(String message, Throwable cause) {
        super(message, cause);
    }
}
