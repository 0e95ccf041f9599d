package io.fastshare;

/**
 * What {@code write} does when a payload above the threshold cannot be placed in shared memory.
 */
public enum Fallback {
    /** Carry the payload inline in the token (with a WARN log), up to the inline size limit; the Python original's behaviour. */
    INLINE,
    /** Throw {@link AllocationException}. */
    FAIL
}
