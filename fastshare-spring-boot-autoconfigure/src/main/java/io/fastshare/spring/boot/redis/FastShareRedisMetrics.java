package io.fastshare.spring.boot.redis;

import io.fastshare.store.redis.RedisBlockStore;
import io.fastshare.store.redis.RedisServerStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.function.ToLongFunction;

/**
 * Gauges of the Redis server that holds this service's blocks: {@code fastshare.redis.memory.used},
 * {@code fastshare.redis.memory.max} and {@code fastshare.redis.evicted.keys} (NaN while unknown).
 * Redis is asked at most every 10 seconds, whatever the scrape rate. This service's live blocks and
 * bytes in Redis are part of {@code fastshare.blocks.live} and {@code fastshare.blocks.live.size}.
 *
 * <p>Thread-safe.
 */
public class FastShareRedisMetrics implements MeterBinder {

    private final FastShareRedisStore holder;

    /**
     * Creates the binder.
     *
     * @param holder the template's Redis store
     */
    public FastShareRedisMetrics(FastShareRedisStore holder) {
        this.holder = holder;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "fastshare.redis.memory.used", "bytes", "Memory the Redis holding blocks uses",
                RedisServerStatus::usedMemory);
        gauge(registry, "fastshare.redis.memory.max", "bytes", "maxmemory of the Redis holding blocks (0: none)",
                RedisServerStatus::maxMemory);
        gauge(registry, "fastshare.redis.evicted.keys", "keys", "Keys the Redis holding blocks has evicted",
                RedisServerStatus::evictedKeys);
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description,
            ToLongFunction<RedisServerStatus> value) {
        Gauge.builder(name, holder, h -> read(h, value)).baseUnit(unit).description(description).register(registry);
    }

    private static double read(FastShareRedisStore holder, ToLongFunction<RedisServerStatus> value) {
        RedisBlockStore store = holder.store();
        RedisServerStatus status = store == null ? null : store.cachedStatus();
        if (status == null) {
            return Double.NaN;
        }
        long number = value.applyAsLong(status);
        return number < 0 ? Double.NaN : number;
    }
}
