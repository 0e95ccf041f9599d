package io.fastshare;

/**
 * Thrown when a string is not a fastshare token: wrong prefix or mode, a block name that does not
 * match the strict name pattern, or inline data that is not valid base64url. No file is touched
 * for an invalid token.
 */
public class InvalidTokenException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public InvalidTokenException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
