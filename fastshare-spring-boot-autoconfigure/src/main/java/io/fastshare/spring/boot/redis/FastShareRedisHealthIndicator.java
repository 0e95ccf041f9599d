package io.fastshare.spring.boot.redis;

import io.fastshare.FastShareException;
import io.fastshare.store.StoreUsage;
import io.fastshare.store.redis.RedisBlockStore;
import io.fastshare.store.redis.RedisServerStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Redis block store ({@code fastshareRedis}): DOWN when this service writes to Redis
 * and Redis does not answer; UP otherwise, with the server's memory, its eviction policy (a warning
 * when it may evict blocks before their TTL) and this service's live blocks in Redis.
 *
 * <p>Thread-safe.
 */
public class FastShareRedisHealthIndicator extends AbstractHealthIndicator {

    private final FastShareRedisStore holder;

    /**
     * Creates the indicator.
     *
     * @param holder the template's Redis store
     */
    public FastShareRedisHealthIndicator(FastShareRedisStore holder) {
        super("fastshare Redis store health check failed");
        this.holder = holder;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RedisBlockStore store = holder.store();
        builder.withDetail("keyPrefix", holder.options().keyPrefix()).withDetail("writes", holder.writes());
        if (store == null) {
            builder.unknown().withDetail("error", "the template has not been built");
            return;
        }
        StoreUsage usage = store.usage();
        builder.withDetail("liveBlocks", usage.blocks()).withDetail("liveBytes", usage.bytes());
        RedisServerStatus status;
        try {
            status = store.repository().status();
        } catch (FastShareException e) {
            if (holder.writes()) {
                builder.down();
            } else {
                builder.unknown();
            }
            builder.withDetail("error", e.getMessage());
            return;
        }
        builder.up().withDetail("usedMemory", status.usedMemory()).withDetail("maxMemory", status.maxMemory())
                .withDetail("evictedKeys", status.evictedKeys());
        if (status.maxMemoryPolicy() != null) {
            builder.withDetail("maxMemoryPolicy", status.maxMemoryPolicy());
        }
        if (status.mayEvict()) {
            builder.withDetail("warning", "maxmemory-policy " + status.maxMemoryPolicy() + " lets Redis evict blocks "
                    + "before their TTL when memory runs out; use noeviction");
        }
    }
}
