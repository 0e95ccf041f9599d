package io.fastshare;

/**
 * Thrown when a token names a block that is not in the block directory: it was released or taken,
 * the janitor reclaimed it after its TTL, or it was written on another host or in another IPC
 * namespace (a container that does not share the block directory).
 */
public class BlockNotFoundException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public BlockNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public BlockNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
