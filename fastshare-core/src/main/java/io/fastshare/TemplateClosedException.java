package io.fastshare;

/**
 * Thrown when a {@link SharedMemoryTemplate} is used after {@link SharedMemoryTemplate#close()}.
 */
public class TemplateClosedException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public TemplateClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened and what to do
     * @param cause the failure that led to this one
     */
    public TemplateClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
