package io.fastshare;

/**
 * How a payload travelled, for metrics and listeners.
 */
public enum TransferPath {
    /** In a shared-memory block; the token names the block. */
    SHM,
    /** Inside the token, because the payload was below the threshold or inline was forced. */
    INLINE,
    /** Inside the token, because shared memory was unavailable (full, over quota, unusable). */
    FALLBACK
}
