package io.fastshare;

/**
 * Callback for observing a template's traffic: metrics, tracing, audit logs. Registered on the
 * builder; the Spring Boot starter registers one that feeds Micrometer.
 *
 * <p>Called synchronously on the calling thread after each operation, so implementations must be fast
 * and thread-safe, and must not throw (exceptions are logged and ignored).
 */
public interface FastShareListener {

    /**
     * A write completed.
     *
     * @param path how the payload travels
     * @param bytes encoded size in bytes
     * @param nanos elapsed time
     */
    default void writeCompleted(TransferPath path, long bytes, long nanos) {
    }

    /**
     * A write failed.
     *
     * @param error the exception thrown to the caller
     * @param nanos elapsed time
     */
    default void writeFailed(FastShareException error, long nanos) {
    }

    /**
     * A read ({@code read}, {@code take}, {@code open}) completed.
     *
     * @param path {@link TransferPath#SHM} or {@link TransferPath#INLINE}
     * @param bytes encoded size in bytes
     * @param nanos elapsed time
     */
    default void readCompleted(TransferPath path, long bytes, long nanos) {
    }

    /**
     * A read failed.
     *
     * @param error the exception thrown to the caller
     * @param nanos elapsed time
     */
    default void readFailed(FastShareException error, long nanos) {
    }
}
