package io.fastshare.store.redis;

import io.fastshare.format.BlockName;

/**
 * A block this process wrote to Redis and has not seen released, taken or expired.
 *
 * @param name the block's name (its token is {@code FSHR:rds:<name>})
 * @param size bytes of the block
 * @param createdMillis creation time, epoch milliseconds
 * @param expiresMillis expiry time, epoch milliseconds, 0 for none
 */
public record RemoteBlock(BlockName name, long size, long createdMillis, long expiresMillis) {
}
