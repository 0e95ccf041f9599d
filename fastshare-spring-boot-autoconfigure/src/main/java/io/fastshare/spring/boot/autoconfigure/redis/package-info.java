/**
 * Auto-configuration of the Redis block store: {@code fastshare.store=redis} sends this service's
 * blocks to the application's Redis; with any store setting, Redis tokens ({@code FSHR:rds:}) are
 * readable wherever a {@code RedisConnectionFactory} bean and {@code fastshare-store-redis} exist.
 */
@NullMarked
package io.fastshare.spring.boot.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
