package io.fastshare.spring.boot.autoconfigure.endpoint;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpointWebExtension;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import io.fastshare.spring.boot.testing.TwoTemplatesConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.AnnotationUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FastShareEndpointAutoConfiguration}: the endpoint and its web extension, when available. */
class FastShareEndpointAutoConfigurationTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(AutoConfigured.class)
            .withInitializer(blockDir.asProperty());

    @Test
    void endpointAndWebExtensionWhenExposedOverTheWeb() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=fastshare").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FastShareEndpoint.class)
                    .hasSingleBean(FastShareEndpointWebExtension.class);
        });
    }

    @Test
    void noWebExtensionWhenExposedOverJmxOnly() {
        runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=fastshare")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(FastShareEndpoint.class)
                            .doesNotHaveBean(FastShareEndpointWebExtension.class);
                });
    }

    @Test
    void nothingWhenNotExposed() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FastShareEndpoint.class));
    }

    @Test
    void nothingWhenAccessIsNone() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=fastshare",
                "management.endpoint.fastshare.access=NONE").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(FastShareEndpoint.class);
                });
    }

    @Test
    void nothingWithoutACleanup() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=fastshare")
                .withUserConfiguration(TwoTemplatesConfiguration.class).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(FastShareEndpoint.class);
                });
    }

    @Test
    void startsWithoutActuator() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=fastshare")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class)
                            .doesNotHaveBean(FastShareEndpoint.class);
                });
    }

    @Test
    void runtimeHintsCoverTheDescriptors() {
        ImportRuntimeHints imported = AnnotationUtils.findAnnotation(FastShareEndpointWebExtension.class,
                ImportRuntimeHints.class);
        assertThat(imported).isNotNull();
        RuntimeHints hints = new RuntimeHints();
        for (Class<? extends RuntimeHintsRegistrar> registrar : imported.value()) {
            BeanUtils.instantiateClass(registrar).registerHints(hints, getClass().getClassLoader());
        }
        for (Class<?> descriptor : new Class<?>[] { FastShareEndpoint.BlocksDescriptor.class,
            FastShareEndpoint.OrphansDescriptor.class, FastShareEndpoint.BlockDescriptor.class,
            FastShareEndpoint.CleanupDescriptor.class, FastShareEndpointWebExtension.ErrorDescriptor.class }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(descriptor)).as(descriptor.getName()).accepts(hints);
        }
    }

    /**
     * Imports the auto-configurations as an application does, so Spring Boot's import filter decides the
     * class conditions from the generated metadata before any condition class is loaded.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ FastShareAutoConfiguration.class, FastShareCleanupAutoConfiguration.class,
        FastShareEndpointAutoConfiguration.class })
    static class AutoConfigured {
    }
}
