package io.fastshare;

/**
 * Thrown when a block file exists but is not a valid, committed block: truncated, never committed
 * (its writer died mid-write), or with a header, buffer table or checksum that does not validate.
 * Nothing from such a block is ever returned.
 */
public class CorruptBlockException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public CorruptBlockException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public CorruptBlockException(String message, Throwable cause) {
        super(message, cause);
    }
}
