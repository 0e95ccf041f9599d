package io.fastshare.cleanup;

/**
 * What a janitor makes of a file in the block directory. Liveness comes from the owner's lease lock,
 * never from process ids.
 */
public enum BlockState {
    /** A block whose owner is alive and whose TTL (if any) has not passed; also a block being written. */
    LIVE,
    /** A committed block past its TTL, reclaimable at once even while its owner lives. */
    EXPIRED,
    /** A committed block whose owner is dead, reclaimable after the grace period. */
    ORPHANED,
    /** A block that was never committed and whose owner is dead, reclaimable after the grace period. */
    INCOMPLETE,
    /** A file with a block name that is not a valid block, reclaimable after the grace period. */
    CORRUPT
}
