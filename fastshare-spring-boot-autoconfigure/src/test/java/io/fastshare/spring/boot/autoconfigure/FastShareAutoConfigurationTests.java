package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.Fallback;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.endpoint.FastShareEndpointAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.health.FastShareHealthContributorAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.metrics.FastShareMetricsAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.cleanup.FastShareCleanupScheduler;
import io.fastshare.spring.boot.health.FastShareHealthIndicator;
import io.fastshare.spring.boot.metrics.FastShareMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.fastshare.CodecException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Type;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.PayloadReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The auto-configuration's beans, properties and back-off rules, with {@link ApplicationContextRunner}. */
class FastShareAutoConfigurationTests {

    @TempDir
    Path tempDir;

    Path blockDir;

    ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                        FastShareCleanupAutoConfiguration.class, FastShareMetricsAutoConfiguration.class,
                        FastShareHealthContributorAutoConfiguration.class, FastShareEndpointAutoConfiguration.class))
                .withPropertyValues("fastshare.directory=" + blockDir,
                        "management.endpoints.web.exposure.include=fastshare");
    }

    @AfterEach
    void tearDown() {
        if (Files.exists(blockDir)) {
            TestDirs.assertNoBlocks(blockDir);
        }
    }

    @Test
    void createsTemplateWithDefaults() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class)
                    .hasSingleBean(FastShareMetrics.class).hasSingleBean(FastShareHealthIndicator.class)
                    .hasBean("fastshareHealthIndicator").hasSingleBean(FastShareCleanup.class)
                    .hasSingleBean(FastShareCleanupScheduler.class).hasSingleBean(FastShareEndpoint.class);
            assertThat(context.getBean(FastShareCleanupScheduler.class).isRunning()).isTrue();
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThat(template.directory()).isEqualTo(blockDir);
            assertThat(template.threshold()).isEqualTo(1_000_000);

            FastShareProperties properties = context.getBean(FastShareProperties.class);
            assertThat(properties.isEnabled()).isTrue();
            assertThat(properties.getDefaultTtl()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.getMaxLiveSize()).isNull();
            assertThat(properties.getMaxInlineSize()).isEqualTo(DataSize.ofMegabytes(16));
            assertThat(properties.getFallback()).isEqualTo(Fallback.INLINE);
            assertThat(properties.isReleaseOnShutdown()).isTrue();
            assertThat(properties.getFilePermissions()).isEqualTo("rw-------");
            assertThat(properties.isChecksums()).isFalse();
            assertThat(properties.getCodec().getAllowedTypes()).isEmpty();
            assertThat(properties.getCodec().getJavaSerialization().isEnabled()).isFalse();
            assertThat(properties.getCodec().getOutOfBandThreshold()).isEqualTo(DataSize.ofKilobytes(4));
            assertThat(properties.getCleanup().isEnabled()).isTrue();
            assertThat(properties.getCleanup().getInterval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(properties.getCleanup().getGrace()).isEqualTo(Duration.ofMinutes(1));
            assertThat(properties.getMetrics().isEnabled()).isTrue();
            assertThat(properties.getHealth().getMinFreeSpace()).isEqualTo(DataSize.ofMegabytes(16));

            String token = template.write(new byte[2_000_000]);
            assertThat(token).startsWith("FSHR:shm:");
            assertThat(Files.getPosixFilePermissions(blockDir.resolve(token.substring("FSHR:shm:".length()))))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        });
        // The context closed the template, which released the block written above (checked in tearDown).
    }

    @Test
    void bindsEveryProperty() {
        runner.withPropertyValues("fastshare.threshold=64KB", "fastshare.default-ttl=90s",
                "fastshare.max-live-size=256MB", "fastshare.max-inline-size=2MB", "fastshare.fallback=fail",
                "fastshare.release-on-shutdown=false", "fastshare.file-permissions=rw-r-----",
                "fastshare.checksums=true", "fastshare.codec.allowed-types=com.example.Order,com.example.dto.",
                "fastshare.codec.java-serialization.enabled=true", "fastshare.codec.out-of-band-threshold=64KB",
                "fastshare.cleanup.enabled=false",
                "fastshare.cleanup.interval=15s", "fastshare.cleanup.grace=2m", "fastshare.metrics.enabled=false",
                "fastshare.health.min-free-space=1GB").run(context -> {
                    assertThat(context).hasNotFailed();
                    FastShareProperties properties = context.getBean(FastShareProperties.class);
                    assertThat(properties.getDirectory()).isEqualTo(blockDir);
                    assertThat(properties.getThreshold()).isEqualTo(DataSize.ofKilobytes(64));
                    assertThat(properties.getDefaultTtl()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(properties.getMaxLiveSize()).isEqualTo(DataSize.ofMegabytes(256));
                    assertThat(properties.getMaxInlineSize()).isEqualTo(DataSize.ofMegabytes(2));
                    assertThat(properties.getFallback()).isEqualTo(Fallback.FAIL);
                    assertThat(properties.isReleaseOnShutdown()).isFalse();
                    assertThat(properties.getFilePermissions()).isEqualTo("rw-r-----");
                    assertThat(properties.isChecksums()).isTrue();
                    assertThat(properties.getCodec().getAllowedTypes())
                            .containsExactly("com.example.Order", "com.example.dto.");
                    assertThat(properties.getCodec().getJavaSerialization().isEnabled()).isTrue();
                    assertThat(properties.getCodec().getOutOfBandThreshold()).isEqualTo(DataSize.ofKilobytes(64));
                    assertThat(properties.getCleanup().isEnabled()).isFalse();
                    assertThat(properties.getCleanup().getInterval()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(properties.getCleanup().getGrace()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(properties.getMetrics().isEnabled()).isFalse();
                    assertThat(properties.getHealth().getMinFreeSpace()).isEqualTo(DataSize.ofGigabytes(1));
                    assertThat(context).doesNotHaveBean(FastShareMetrics.class)
                            .doesNotHaveBean(FastShareCleanupScheduler.class).hasSingleBean(FastShareCleanup.class);
                    assertThat(context.getBean(FastShareCleanup.class).grace()).isEqualTo(Duration.ofMinutes(2));

                    // The values reach the template, not only the properties object.
                    SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
                    assertThat(template.threshold()).isEqualTo(64 * 1024);
                    String token = template.write(new byte[100_000]);
                    Path block = blockDir.resolve(token.substring("FSHR:shm:".length()));
                    assertThat(Files.getPosixFilePermissions(block)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
                    // release-on-shutdown=false keeps blocks after close: release this one ourselves.
                    assertThat(template.release(token)).isTrue();
                });
    }

    @Test
    void userTemplateBacksTheDefaultOff() {
        runner.withUserConfiguration(UserTemplateConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class).hasBean("myTemplate");
            assertThat(context.getBean(SharedMemoryTemplate.class).threshold()).isEqualTo(123);
            // Metrics and health still work against the user's template.
            assertThat(context).hasSingleBean(FastShareMetrics.class).hasSingleBean(FastShareHealthIndicator.class)
                    .hasSingleBean(FastShareCleanup.class).hasSingleBean(FastShareEndpoint.class);
        });
    }

    @Test
    void twoUserTemplatesWithoutPrimaryStillStart() {
        runner.withUserConfiguration(TwoTemplatesConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed().getBeans(SharedMemoryTemplate.class).hasSize(2);
            // Which template to clean, measure and report is ambiguous: the starter adds nothing.
            assertThat(context).doesNotHaveBean(FastShareCleanup.class).doesNotHaveBean(FastShareMetrics.class)
                    .doesNotHaveBean(FastShareHealthIndicator.class).doesNotHaveBean(FastShareEndpoint.class);
        });
    }

    @Test
    void codecAndCustomizerBeansReachTheTemplate() {
        runner.withUserConfiguration(CustomizerConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            // The customizer ran after the properties, so its threshold wins.
            assertThat(template.threshold()).isEqualTo(7);
            // The codec bean is asked for values the raw codec does not know.
            String token = template.write(new Point(3, 4));
            assertThat(template.read(token, Point.class)).isEqualTo(new Point(3, 4));
            template.release(token);
        });
    }

    @Test
    void jsonCodecUsesTheApplicationsJsonMapper() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JsonMapper.class);
                    String token = context.getBean(SharedMemoryTemplate.class).write(new Customer("Ada", 36));
                    // A template with a plain mapper sees the snake_case names the application's mapper wrote.
                    try (SharedMemoryTemplate plain = SharedMemoryTemplate.builder().directory(blockDir).build()) {
                        Map<?, ?> fields = plain.read(token, Map.class);
                        assertThat(fields.get("customer_name")).isEqualTo("Ada");
                    }
                });
    }

    @Test
    void untypedReadsInstantiateOnlyAllowedTypes() {
        runner.run(context -> {
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            String token = template.write(new Customer("Ada", 36));
            assertThatThrownBy(() -> template.read(token)).isInstanceOf(CodecException.class);
        });
        runner.withPropertyValues("fastshare.codec.allowed-types=io.fastshare.spring.boot.autoconfigure.*")
                .run(context -> {
                    SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
                    String token = template.write(new Customer("Ada", 36));
                    assertThat(template.read(token)).isEqualTo(new Customer("Ada", 36));
                });
    }

    @Test
    void javaSerializationIsOffUnlessEnabled() {
        runner.run(context -> {
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThatThrownBy(() -> template.write(new Ticket(7))).isInstanceOf(CodecException.class);
        });
        runner.withPropertyValues("fastshare.codec.java-serialization.enabled=true",
                "fastshare.codec.allowed-types=io.fastshare.spring.boot.autoconfigure.FastShareAutoConfigurationTests$Ticket")
                .run(context -> {
                    SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
                    String token = template.write(new Ticket(7));
                    assertThat(template.read(token, Ticket.class).number).isEqualTo(7);
                });
    }

    @Test
    void disabledCreatesNothing() {
        runner.withPropertyValues("fastshare.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SharedMemoryTemplate.class)
                    .doesNotHaveBean(FastShareMetrics.class).doesNotHaveBean(FastShareHealthIndicator.class)
                    .doesNotHaveBean(FastShareCleanup.class).doesNotHaveBean(FastShareCleanupScheduler.class)
                    .doesNotHaveBean(FastShareEndpoint.class);
        });
        assertThat(blockDir).doesNotExist();
    }

    @Test
    void startsWithoutActuator() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                "org.springframework.boot.health")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class)
                            .hasSingleBean(FastShareCleanupScheduler.class)
                            .doesNotHaveBean(FastShareHealthIndicator.class).doesNotHaveBean(FastShareEndpoint.class);
                });
    }

    @Test
    void startsWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class)
                    .doesNotHaveBean(FastShareMetrics.class);
        });
    }

    @Test
    void startsWithoutJackson() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.jackson",
                "tools.jackson.databind.json")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class);
                });
    }

    @Test
    void endpointCanBeSwitchedOff() {
        runner.withPropertyValues("management.endpoint.fastshare.access=NONE").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareEndpoint.class);
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.fastshare.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareHealthIndicator.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserTemplateConfiguration {

        @Bean(destroyMethod = "close")
        SharedMemoryTemplate myTemplate(FastShareProperties properties) {
            return SharedMemoryTemplate.builder().directory(properties.getDirectory()).threshold(123).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoTemplatesConfiguration {

        @Bean(destroyMethod = "close")
        SharedMemoryTemplate first(FastShareProperties properties) {
            return SharedMemoryTemplate.builder().directory(properties.getDirectory()).build();
        }

        @Bean(destroyMethod = "close")
        SharedMemoryTemplate second(FastShareProperties properties) {
            return SharedMemoryTemplate.builder().directory(properties.getDirectory()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @Bean
        SharedMemoryTemplateBuilderCustomizer thresholdCustomizer() {
            return builder -> builder.threshold(7);
        }

        @Bean
        PayloadCodec pointCodec() {
            return new PointCodec();
        }
    }

    record Point(int x, int y) {
    }

    /** A record the JSON codec maps. */
    record Customer(String customerName, int age) {
    }

    /** Serializable, but with no properties JSON could map: only Java serialisation writes it. */
    static final class Ticket implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        private final int number;

        Ticket(int number) {
            this.number = number;
        }
    }

    /** A user codec, as an application would declare one: metadata only, "x,y". */
    static final class PointCodec implements PayloadCodec {

        @Override
        public String id() {
            return "point";
        }

        @Override
        public boolean canEncode(Object value) {
            return value instanceof Point;
        }

        @Override
        public EncodedPayload encode(Object value) {
            Point point = (Point) value;
            return new EncodedPayload((point.x() + "," + point.y()).getBytes(StandardCharsets.US_ASCII), List.of());
        }

        @Override
        public Object decode(PayloadReader payload, Type targetType) {
            String[] parts = new String(payload.metadata(), StandardCharsets.US_ASCII).split(",");
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
    }
}
