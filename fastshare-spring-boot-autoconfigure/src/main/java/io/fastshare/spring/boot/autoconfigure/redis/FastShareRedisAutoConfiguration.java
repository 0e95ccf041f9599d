package io.fastshare.spring.boot.autoconfigure.redis;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.FastShareProperties;
import io.fastshare.spring.boot.autoconfigure.InvalidFastSharePropertyException;
import io.fastshare.spring.boot.autoconfigure.SharedMemoryTemplateBuilderCustomizer;
import io.fastshare.spring.boot.redis.FastShareRedisProperties;
import io.fastshare.spring.boot.redis.FastShareRedisStore;
import io.fastshare.store.redis.RedisBlockStore;
import io.fastshare.store.redis.RedisStoreOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Plugs the Redis block store into the auto-configured template when {@code fastshare-store-redis}
 * is on the class path and a {@link RedisConnectionFactory} bean exists (Spring Boot creates one from
 * {@code spring.data.redis.*}):
 * <ul>
 *   <li>{@code fastshare.store=redis}: the template writes to Redis only ({@code FSHR:rds:} tokens, or
 *       inline tokens under the threshold and as the configured fallback) and never to local shared
 *       memory, which a consumer on another host could not read;</li>
 *   <li>{@code fastshare.store=local} (the default): writes stay local, and Redis tokens from other
 *       services are readable, so a producer can switch without touching its consumers.</li>
 * </ul>
 * {@code fastshare.store=redis} without the module or without a connection factory stops the
 * application with a failure analysis rather than silently writing locally.
 */
@AutoConfiguration(before = FastShareAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(SharedMemoryTemplate.class)
@ConditionalOnBooleanProperty(name = "fastshare.enabled", matchIfMissing = true)
public final class FastShareRedisAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareRedisAutoConfiguration() {
    }

    /** The store, where the module and a connection factory exist. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ RedisBlockStore.class, RedisConnectionFactory.class })
    @ConditionalOnBean(RedisConnectionFactory.class)
    @EnableConfigurationProperties({ FastShareProperties.class, FastShareRedisProperties.class })
    static class RedisStoreConfiguration {

        /**
         * The template's Redis store, with the settings from {@code fastshare.redis.*}.
         *
         * @param connections the application's Redis connections
         * @param properties {@code fastshare.*}
         * @param redis {@code fastshare.redis.*}
         * @return the holder
         * @throws InvalidFastSharePropertyException when a {@code fastshare.redis.*} value is unusable
         */
        @Bean
        @ConditionalOnMissingBean
        FastShareRedisStore fastShareRedisStore(RedisConnectionFactory connections, FastShareProperties properties,
                FastShareRedisProperties redis) {
            return new FastShareRedisStore(connections, options(redis),
                    properties.getStore() == FastShareProperties.Store.REDIS, properties.isReleaseOnShutdown());
        }

        private static RedisStoreOptions options(FastShareRedisProperties redis) {
            RedisStoreOptions options = RedisStoreOptions.defaults();
            try {
                options = options.withKeyPrefix(redis.getKeyPrefix());
            } catch (IllegalArgumentException e) {
                throw new InvalidFastSharePropertyException("fastshare.redis.key-prefix", redis.getKeyPrefix(),
                        e.getMessage(), "Use a prefix such as 'fastshare:'", e);
            }
            long chunk = redis.getChunkSize().toBytes();
            try {
                options = options.withChunkSize((int) Math.min(Integer.MAX_VALUE, Math.max(0, chunk)));
            } catch (IllegalArgumentException e) {
                throw new InvalidFastSharePropertyException("fastshare.redis.chunk-size", redis.getChunkSize(),
                        e.getMessage(), "Use a size such as 4MB", e);
            }
            try {
                return options.withOrphanTimeout(redis.getOrphanTimeout());
            } catch (IllegalArgumentException e) {
                throw new InvalidFastSharePropertyException("fastshare.redis.orphan-timeout", redis.getOrphanTimeout(),
                        e.getMessage(), "Use a positive duration such as 10m", e);
            }
        }

        /**
         * Adds the store to the template: to its write chain, with local block files off, for
         * {@code fastshare.store=redis}; for reading only otherwise.
         *
         * @param holder the store
         * @return the customizer
         */
        @Bean
        SharedMemoryTemplateBuilderCustomizer fastShareRedisStoreCustomizer(FastShareRedisStore holder) {
            return builder -> {
                if (holder.writes()) {
                    builder.store(holder.factory()).fileStoreWrites(false);
                } else {
                    builder.readStore(holder.factory());
                }
            };
        }
    }

    /** {@code fastshare.store=redis} where no Redis store can be made: refuse to start. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "fastshare.store", havingValue = "redis")
    @Conditional(RedisStoreUnavailable.class)
    static class MissingRedisStoreConfiguration {

        /**
         * Fails the template's creation with an explanation.
         *
         * @return the customizer that fails
         */
        @Bean
        SharedMemoryTemplateBuilderCustomizer fastShareRedisStoreMissing() {
            return builder -> {
                throw new InvalidFastSharePropertyException("fastshare.store", "redis",
                        "no Redis block store can be created: it needs io.fastshare:fastshare-store-redis on the class "
                                + "path and a RedisConnectionFactory bean, and fastshare never falls back to local shared "
                                + "memory that consumers on other hosts could not read",
                        "Add fastshare-store-redis and spring-boot-starter-data-redis (configured with "
                                + "spring.data.redis.*), or set fastshare.store=local", null);
            };
        }
    }

    /** Matches when the module or the connection factory is missing. */
    static final class RedisStoreUnavailable extends NoneNestedConditions {

        RedisStoreUnavailable() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnClass(name = { "io.fastshare.store.redis.RedisBlockStore",
            "org.springframework.data.redis.connection.RedisConnectionFactory" })
        @ConditionalOnBean(type = "org.springframework.data.redis.connection.RedisConnectionFactory")
        static final class Available {
        }
    }
}
