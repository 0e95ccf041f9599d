package io.fastshare.spring.boot.redis;

import io.fastshare.store.redis.RedisStoreOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the Redis block store ({@code fastshare.redis.*}). The connection itself (host, port,
 * Sentinel, Cluster, TLS, credentials, timeouts) is Spring Boot's {@code spring.data.redis.*}.
 *
 * <p>Mutable and not thread-safe, like every {@code @ConfigurationProperties} class.
 */
@ConfigurationProperties("fastshare.redis")
public class FastShareRedisProperties {

    /**
     * Prefix of every key fastshare writes to Redis; lets an ACL grant fastshare access to its own
     * keys only (~fastshare:*). Must not contain braces.
     */
    private String keyPrefix = RedisStoreOptions.DEFAULT_KEY_PREFIX;

    /**
     * Size of the Redis values a block is split into, so no single command moves hundreds of
     * megabytes. A multiple of 64 bytes from 64KB to 512MB, and at most the server's proto-max-bulk-len.
     */
    private DataSize chunkSize = DataSize.ofBytes(RedisStoreOptions.DEFAULT_CHUNK_SIZE);

    /**
     * How long the chunks of a write that never committed stay in Redis when the block has no TTL
     * (a writer that died mid-write). Blocks with a TTL never outlive it anyway.
     */
    private Duration orphanTimeout = RedisStoreOptions.DEFAULT_ORPHAN_TIMEOUT;

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public DataSize getChunkSize() {
        return chunkSize;
    }

    public void setChunkSize(DataSize chunkSize) {
        this.chunkSize = chunkSize;
    }

    public Duration getOrphanTimeout() {
        return orphanTimeout;
    }

    public void setOrphanTimeout(Duration orphanTimeout) {
        this.orphanTimeout = orphanTimeout;
    }
}
