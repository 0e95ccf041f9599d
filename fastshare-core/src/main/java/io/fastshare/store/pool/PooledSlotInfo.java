package io.fastshare.store.pool;

import io.fastshare.format.OwnerId;

/**
 * One slot of a pool segment as a listing shows it.
 *
 * @param ref segment, slot and current generation (the token of a published block)
 * @param state {@code FREE}, {@code WRITING}, {@code PUBLISHED}, {@code CLAIMED} or {@code INVALID(n)}
 * @param blockLength length of the published block, 0 when none
 * @param slotSize size of the slot
 * @param owner owner id of the segment's creator
 * @param ownerAlive whether that owner still holds its segment
 * @param stateMillis time of the last state change, milliseconds since the epoch
 * @param createdMillis the block header's creation time, 0 when there is no readable block
 * @param expiresMillis the block header's expiry time, 0 when none or no readable block
 * @param writerPid the block header's writer pid, -1 when there is no readable block
 */
public record PooledSlotInfo(SlotRef ref, String state, long blockLength, long slotSize, OwnerId owner,
        boolean ownerAlive, long stateMillis, long createdMillis, long expiresMillis, long writerPid) {
}
