package io.fastshare;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Thrown when the calling thread was interrupted during a read, take, open or write. The thread's
 * interrupt flag stays set. Nothing is lost: a {@code take} that throws this did not claim the block,
 * so a retry on a thread that is not interrupted still gets the payload; an interrupted write left no
 * block and did not fall back to an inline token.
 */
public class InterruptedFastShareException extends FastShareException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was interrupted
     * @param cause the interruption as the I/O layer reported it
     */
    public InterruptedFastShareException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Tells a failure caused by the thread's interruption apart from a real one. Interruptible channels
     * close themselves when their thread is interrupted and report it as an {@code IOException}, which
     * the layers below turn into {@link CorruptBlockException} or {@link AllocationException}; this finds
     * the interruption behind it.
     *
     * @param failure a failure from a read, take, open or write
     * @param message the message of the interruption, saying what was interrupted and what state it left
     * @return an {@code InterruptedFastShareException} when the cause chain shows an interruption
     *     (and the thread's interrupt flag is then set), else {@code failure} itself
     */
    public static FastShareException translate(FastShareException failure, String message) {
        if (failure instanceof InterruptedFastShareException) {
            return failure;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClosedByInterruptException || cause instanceof InterruptedIOException
                    || cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return new InterruptedFastShareException(message, failure);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return failure;
    }
}
