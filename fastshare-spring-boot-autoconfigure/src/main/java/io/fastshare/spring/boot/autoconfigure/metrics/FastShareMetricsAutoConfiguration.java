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
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

import java.util.Optional;

/**
 * Publishes fastshare's meters to Micrometer when Micrometer is on the classpath and
 * {@code fastshare.metrics.enabled} is not false, for the application's template (auto-configured or
 * its own: a template of its own gets the gauges, and the counters when it registers the
 * {@link FastShareMetrics} bean as a listener). Spring Boot binds the {@link FastShareMetrics}
 * {@code MeterBinder} to the application's registry; the same bean is registered as a listener on the
 * auto-configured template so writes and reads are counted.
 */
@AutoConfiguration(after = { FastShareAutoConfiguration.class, FastShareCleanupAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, SharedMemoryTemplate.class })
@ConditionalOnBooleanProperty(name = { "fastshare.enabled", "fastshare.metrics.enabled" }, matchIfMissing = true)
@ConditionalOnSingleCandidate(SharedMemoryTemplate.class)
public final class FastShareMetricsAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareMetricsAutoConfiguration() {
    }

    /**
     * The meters, reading the template lazily (the template is built with this bean as its listener).
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
