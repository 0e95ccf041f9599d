package io.fastshare.store.redis;

import io.fastshare.format.BlockName;
import io.fastshare.format.OwnerId;

/**
 * A block this process wrote to Redis and has not seen released, taken or expired.
 *
 * @param name the block's name (its token is {@code FSHR:rds:<name>})
 * @param size bytes of the block
 * @param createdMillis creation time, epoch milliseconds
 * @param expiresMillis expiry time, epoch milliseconds, 0 for none
 * @param owner the writing template's owner id
 */
public record RemoteBlock(BlockName name, long size, long createdMillis, long expiresMillis, OwnerId owner) {
}
