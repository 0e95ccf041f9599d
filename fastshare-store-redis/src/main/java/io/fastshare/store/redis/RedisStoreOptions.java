package io.fastshare.store.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link RedisBlockRepository}.
 *
 * @param keyPrefix prefix of every key the store writes, such as {@code fastshare:}; lets several
 *     applications (or tests) share one Redis and lets an ACL grant access to {@code fastshare:*} only
 * @param chunkSize bytes per Redis value: a block is split into values of this size so no single
 *     command moves hundreds of megabytes (Redis is single-threaded; one huge value stalls every other
 *     client while it is copied). A multiple of 64 from 64 KiB to 512 MiB, and at most the server's
 *     {@code proto-max-bulk-len}
 * @param orphanTimeout how long the chunks of a write that never committed may stay in Redis when the
 *     block itself has no TTL (a writer that died mid-write); chunks of blocks with a TTL never outlive
 *     that TTL anyway
 *
 * <p>Immutable and thread-safe.
 */
public record RedisStoreOptions(String keyPrefix, int chunkSize, Duration orphanTimeout) {

    /** Default prefix of every key. */
    public static final String DEFAULT_KEY_PREFIX = "fastshare:";
    /** Default chunk size: 4 MiB, large enough for full network throughput, small enough not to stall Redis. */
    public static final int DEFAULT_CHUNK_SIZE = 4 << 20;
    /** Default orphan timeout. */
    public static final Duration DEFAULT_ORPHAN_TIMEOUT = Duration.ofMinutes(10);
    /** Smallest chunk size accepted. */
    public static final int MIN_CHUNK_SIZE = 64 << 10;
    /** Largest chunk size accepted: Redis's default {@code proto-max-bulk-len}. */
    public static final int MAX_CHUNK_SIZE = 512 << 20;

    /**
     * Validates the settings.
     *
     * @param keyPrefix prefix of every key the store writes
     * @param chunkSize bytes per Redis value
     * @param orphanTimeout how long the chunks of a write that never committed may stay in Redis
     * @throws IllegalArgumentException when the prefix is empty or holds a brace (it would move keys
     *     out of their hash slot), the chunk size is out of range or not a multiple of 64, or the
     *     orphan timeout is not positive
     */
    public RedisStoreOptions {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(orphanTimeout, "orphanTimeout");
        if (keyPrefix.isEmpty() || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("key prefix must be non-empty and free of '{' and '}' (they would "
                    + "change the keys' hash slot): '" + keyPrefix + "'");
        }
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || chunkSize % 64 != 0) {
            throw new IllegalArgumentException("chunk size must be a multiple of 64 from " + MIN_CHUNK_SIZE + " to "
                    + MAX_CHUNK_SIZE + " bytes: " + chunkSize);
        }
        if (orphanTimeout.isZero() || orphanTimeout.isNegative()) {
            throw new IllegalArgumentException("orphan timeout must be positive: " + orphanTimeout);
        }
    }

    /**
     * Returns the defaults: prefix {@code fastshare:}, 4 MiB chunks, 10 minutes orphan timeout.
     *
     * @return the default settings
     */
    public static RedisStoreOptions defaults() {
        return new RedisStoreOptions(DEFAULT_KEY_PREFIX, DEFAULT_CHUNK_SIZE, DEFAULT_ORPHAN_TIMEOUT);
    }

    /**
     * Returns a copy with another key prefix.
     *
     * @param prefix the prefix
     * @return the new settings
     * @throws IllegalArgumentException as the constructor
     */
    public RedisStoreOptions withKeyPrefix(String prefix) {
        return new RedisStoreOptions(prefix, chunkSize, orphanTimeout);
    }

    /**
     * Returns a copy with another chunk size.
     *
     * @param bytes the chunk size
     * @return the new settings
     * @throws IllegalArgumentException as the constructor
     */
    public RedisStoreOptions withChunkSize(int bytes) {
        return new RedisStoreOptions(keyPrefix, bytes, orphanTimeout);
    }

    /**
     * Returns a copy with another orphan timeout.
     *
     * @param timeout the timeout
     * @return the new settings
     * @throws IllegalArgumentException as the constructor
     */
    public RedisStoreOptions withOrphanTimeout(Duration timeout) {
        return new RedisStoreOptions(keyPrefix, chunkSize, timeout);
    }
}
