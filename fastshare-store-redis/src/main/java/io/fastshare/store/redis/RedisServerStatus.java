package io.fastshare.store.redis;

import org.jspecify.annotations.Nullable;

/**
 * What the Redis server reports about its memory, for health and metrics. On Redis Cluster the
 * numbers are summed over the masters and the policy is the first one reported.
 *
 * @param usedMemory bytes Redis uses ({@code used_memory}), -1 when not reported
 * @param maxMemory the configured limit ({@code maxmemory}), 0 for none, -1 when not reported
 * @param maxMemoryPolicy {@code maxmemory_policy}, null when not reported
 * @param evictedKeys keys evicted since the server started ({@code evicted_keys}), -1 when not reported
 */
public record RedisServerStatus(long usedMemory, long maxMemory, @Nullable String maxMemoryPolicy, long evictedKeys) {

    /**
     * Tells whether the eviction policy may delete fastshare keys before their TTL: every policy but
     * {@code noeviction} can, since every fastshare key carries a TTL (which makes it a candidate for
     * the {@code volatile-*} policies too).
     *
     * @return true when keys may be evicted
     */
    public boolean mayEvict() {
        return maxMemoryPolicy != null && !maxMemoryPolicy.equals("noeviction");
    }
}
