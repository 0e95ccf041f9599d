package io.fastshare.spring.boot.autoconfigure.redis;

import io.fastshare.spring.boot.redis.FastShareRedisHealthIndicator;
import io.fastshare.spring.boot.redis.FastShareRedisMetrics;
import io.fastshare.spring.boot.redis.FastShareRedisStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicator ({@code fastshareRedis}) and gauges ({@code fastshare.redis.*}) of the Redis block
 * store, where the store is configured and Boot's health support or a meter registry exist.
 */
@AutoConfiguration(after = FastShareRedisAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(FastShareRedisStore.class)
@ConditionalOnBean(FastShareRedisStore.class)
public final class FastShareRedisObservabilityAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareRedisObservabilityAutoConfiguration() {
    }

    /** The health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ FastShareRedisHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
    @ConditionalOnEnabledHealthIndicator("fastshareRedis")
    static class HealthConfiguration {

        /**
         * The indicator, contributed as {@code fastshareRedis}.
         *
         * @param holder the template's Redis store
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(name = "fastshareRedisHealthIndicator")
        FastShareRedisHealthIndicator fastshareRedisHealthIndicator(FastShareRedisStore holder) {
            return new FastShareRedisHealthIndicator(holder);
        }
    }

    /** The gauges. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "management.metrics.enable.fastshare", matchIfMissing = true)
    static class MetricsConfiguration {

        /**
         * The gauges; Spring Boot binds them to the application's registry.
         *
         * @param holder the template's Redis store
         * @return the binder
         */
        @Bean
        @ConditionalOnMissingBean
        FastShareRedisMetrics fastShareRedisMetrics(FastShareRedisStore holder) {
            return new FastShareRedisMetrics(holder);
        }
    }
}
