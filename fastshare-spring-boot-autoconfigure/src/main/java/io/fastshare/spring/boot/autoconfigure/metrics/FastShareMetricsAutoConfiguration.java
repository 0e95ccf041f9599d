package io.fastshare.spring.boot.autoconfigure.metrics;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.SharedMemoryTemplateBuilderCustomizer;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.metrics.FastShareMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

import java.util.Optional;

/**
 * Auto-configuration of fastshare's Micrometer meters, as Spring Boot configures its own binders: when
 * Micrometer is on the classpath and a {@link MeterRegistry} bean exists (so it runs after Boot's
 * composite registry), for the application's template (auto-configured or its own: a template of its own
 * gets the gauges, and the timers when it registers the {@link FastShareMetrics} bean as a listener).
 * Switched off with Boot's usual meter switch, {@code management.metrics.enable.fastshare=false}, which
 * also denies every {@code fastshare.*} meter through Boot's meter filter.
 */
@AutoConfiguration(after = { FastShareAutoConfiguration.class, FastShareCleanupAutoConfiguration.class },
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, SharedMemoryTemplate.class, FastShareMetrics.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(SharedMemoryTemplate.class)
@ConditionalOnBooleanProperty(name = { "fastshare.enabled", "management.metrics.enable.fastshare" },
        matchIfMissing = true)
public final class FastShareMetricsAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareMetricsAutoConfiguration() {
    }

    /**
     * The meters, reading the template lazily (the template is built with this bean as its listener).
     * Spring Boot binds this {@code MeterBinder} to the application's registry.
     *
     * @param template the application's template
     * @param cleanup the cleanup whose latest scan feeds the orphan gauge, if there is one
     * @return the binder and listener
     */
    @Bean
    @ConditionalOnMissingBean
    FastShareMetrics fastShareMetrics(ObjectProvider<SharedMemoryTemplate> template,
            ObjectProvider<FastShareCleanup> cleanup) {
        return new FastShareMetrics(template::getObject, () -> Optional.ofNullable(cleanup.getIfAvailable())
                .flatMap(FastShareCleanup::lastScan));
    }

    /**
     * Registers the meters as a listener on the auto-configured template.
     *
     * @param metrics the meters
     * @return the customizer
     */
    @Bean
    SharedMemoryTemplateBuilderCustomizer fastShareMetricsListener(FastShareMetrics metrics) {
        return builder -> builder.listener(metrics);
    }
}
