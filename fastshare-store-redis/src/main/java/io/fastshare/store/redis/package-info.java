/**
 * A block store in Redis: the same block bytes as a shared-memory block file, kept in chunked Redis
 * string keys that share one hash slot, committed last by a small commit key, claimed once by an
 * atomic script. Lets producers and consumers on different hosts hand payloads over by token.
 *
 * <p>Entry point: {@link io.fastshare.store.redis.RedisBlockRepository}. The key layout and the
 * protocol are specified in {@code docs/block-format.md}, section "Redis blocks".
 */
@NullMarked
package io.fastshare.store.redis;

import org.jspecify.annotations.NullMarked;
