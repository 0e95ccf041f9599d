package io.fastshare;

/**
 * Thrown when a payload cannot be encoded or decoded: no codec handles its type, the requested
 * type does not match what the block holds, or the codec metadata is invalid.
 */
public class CodecException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public CodecException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
