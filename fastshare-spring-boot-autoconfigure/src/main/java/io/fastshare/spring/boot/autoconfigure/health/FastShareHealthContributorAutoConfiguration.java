package io.fastshare.spring.boot.autoconfigure.health;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.FastShareProperties;
import io.fastshare.spring.boot.autoconfigure.InvalidFastSharePropertyException;
import io.fastshare.spring.boot.autoconfigure.PropertyBinding;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.health.FastShareHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

import java.util.Optional;

/**
 * Auto-configuration of the {@link FastShareHealthIndicator}, contributed as {@code fastshare}, when Spring
 * Boot's health support is on the classpath and {@code management.health.fastshare.enabled} is not false.
 * Backs off when a bean named {@code fastshareHealthIndicator} or {@code fastshareHealthContributor}
 * exists, as Spring Boot's own health contributors do.
 */
@AutoConfiguration(after = { FastShareAutoConfiguration.class, FastShareCleanupAutoConfiguration.class })
@ConditionalOnClass({ SharedMemoryTemplate.class, FastShareHealthIndicator.class,
    ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnSingleCandidate(SharedMemoryTemplate.class)
@ConditionalOnBooleanProperty(name = "fastshare.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("fastshare")
@EnableConfigurationProperties(FastShareProperties.class)
public final class FastShareHealthContributorAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareHealthContributorAutoConfiguration() {
    }

    /**
     * The health indicator, contributed as {@code fastshare}.
     *
     * @param template the application's template
     * @param properties bound properties
     * @param cleanup the cleanup whose latest scan gives the orphan count, if there is one
     * @return the indicator
     * @throws InvalidFastSharePropertyException when the free-space floor is negative
     */
    @Bean
    @ConditionalOnMissingBean(name = { "fastshareHealthIndicator", "fastshareHealthContributor" })
    FastShareHealthIndicator fastshareHealthContributor(SharedMemoryTemplate template, FastShareProperties properties,
            ObjectProvider<FastShareCleanup> cleanup) {
        long floor = PropertyBinding.nonNegative("fastshare.health.min-free-space",
                properties.getHealth().getMinFreeSpace());
        return new FastShareHealthIndicator(template, floor,
                () -> Optional.ofNullable(cleanup.getIfAvailable()).flatMap(FastShareCleanup::lastScan));
    }
}
