package io.fastshare.spring.boot.autoconfigure.cleanup;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.FastShareProperties;
import io.fastshare.spring.boot.autoconfigure.InvalidFastSharePropertyException;
import io.fastshare.spring.boot.autoconfigure.PropertyBinding;
import io.fastshare.spring.boot.cleanup.CleanupResultListener;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.cleanup.FastShareCleanupScheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * Cleans the block directory: a {@link FastShareCleanup} for the application's template (used by the
 * endpoint, health and metrics) and, unless {@code fastshare.cleanup.enabled=false}, a
 * {@link FastShareCleanupScheduler} that runs it every {@code fastshare.cleanup.interval}.
 */
@AutoConfiguration(after = FastShareAutoConfiguration.class)
@ConditionalOnClass({ SharedMemoryTemplate.class, FastShareCleanup.class })
@ConditionalOnSingleCandidate(SharedMemoryTemplate.class)
@ConditionalOnBooleanProperty(name = "fastshare.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FastShareProperties.class)
public final class FastShareCleanupAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareCleanupAutoConfiguration() {
    }

    /**
     * The cleanup.
     *
     * @param template the application's template
     * @param properties bound properties
     * @param listeners told after each run
     * @return the cleanup
     * @throws InvalidFastSharePropertyException when the grace period is below {@link FastShareCleanup#MIN_GRACE}
     */
    @Bean
    @ConditionalOnMissingBean
    FastShareCleanup fastShareCleanup(SharedMemoryTemplate template, FastShareProperties properties,
            ObjectProvider<CleanupResultListener> listeners) {
        return new FastShareCleanup(template, PropertyBinding.atLeast("fastshare.cleanup.grace",
                properties.getCleanup().getGrace(), FastShareCleanup.MIN_GRACE, FastShareCleanup.MIN_GRACE_REASON),
                listeners, Clock.systemUTC());
    }

    /**
     * The periodic run on a private daemon thread.
     *
     * @param cleanup the cleanup
     * @param properties bound properties
     * @return the lifecycle bean
     * @throws InvalidFastSharePropertyException when the interval is not positive
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "fastshare.cleanup.enabled", matchIfMissing = true)
    FastShareCleanupScheduler fastShareCleanupScheduler(FastShareCleanup cleanup, FastShareProperties properties) {
        return new FastShareCleanupScheduler(cleanup,
                PropertyBinding.positive("fastshare.cleanup.interval", properties.getCleanup().getInterval()));
    }
}
