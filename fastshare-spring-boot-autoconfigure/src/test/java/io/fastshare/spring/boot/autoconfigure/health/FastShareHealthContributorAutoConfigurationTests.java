package io.fastshare.spring.boot.autoconfigure.health;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.health.FastShareHealthIndicator;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import io.fastshare.spring.boot.testing.TwoTemplatesConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FastShareHealthContributorAutoConfiguration}: the {@code fastshare} indicator and its back-off rules. */
class FastShareHealthContributorAutoConfigurationTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(AutoConfigured.class)
            .withInitializer(blockDir.asProperty());

    @Test
    void registersTheIndicatorUnderItsConventionalName() {
        runner.withPropertyValues("fastshare.health.min-free-space=1KB").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FastShareHealthIndicator.class)
                    .hasBean("fastshareHealthContributor");
            assertThat(context.getBean(FastShareHealthIndicator.class).health().getDetails())
                    .containsEntry("minFree", 1024L);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "fastshareHealthIndicator", "fastshareHealthContributor" })
    void backsOffForEitherConventionalBeanName(String name) {
        runner.withBean(name, HealthIndicator.class, () -> () -> Health.up().build()).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareHealthIndicator.class).hasBean(name);
        });
    }

    @Test
    void switchedOffWithTheUsualHealthProperty() {
        runner.withPropertyValues("management.health.fastshare.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareHealthIndicator.class);
        });
    }

    @Test
    void switchedOffWithAllHealthIndicators() {
        runner.withPropertyValues("management.health.defaults.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareHealthIndicator.class);
        });
    }

    @Test
    void backsOffWhenWhichTemplateIsAmbiguous() {
        runner.withUserConfiguration(TwoTemplatesConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareHealthIndicator.class);
        });
    }

    @Test
    void startsWithoutSpringBootHealth() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class)
                    .doesNotHaveBean(FastShareHealthIndicator.class);
        });
    }

    /**
     * Imports the auto-configurations as an application does, so Spring Boot's import filter decides the
     * class conditions from the generated metadata before any condition class is loaded.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ FastShareAutoConfiguration.class, FastShareCleanupAutoConfiguration.class,
        FastShareHealthContributorAutoConfiguration.class })
    static class AutoConfigured {
    }
}
