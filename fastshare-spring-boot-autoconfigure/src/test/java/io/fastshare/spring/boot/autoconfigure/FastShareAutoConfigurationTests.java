package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.AllocationException;
import io.fastshare.CodecException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.cleanup.BlockDetails;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.codec.PayloadReader;
import io.fastshare.spring.boot.cleanup.FastShareCleanupScheduler;
import io.fastshare.store.pool.PoolLayout;
import io.fastshare.store.pool.SlotRef;
import io.fastshare.spring.boot.health.FastShareHealthIndicator;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FastShareAutoConfiguration}: the template, its properties, codec and customizer beans, back-off. */
class FastShareAutoConfigurationTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class))
            .withInitializer(blockDir.asProperty());

    @Test
    void createsTemplateWithDefaults() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class)
                    .hasSingleBean(FastShareProperties.class);
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThat(template.directory()).isEqualTo(blockDir.path());
            assertThat(template.threshold()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_THRESHOLD);
            String token = template.write(new byte[2_000_000]);
            assertThat(token).as("the pool is on by default").startsWith("FSHR:pool:");
            assertThat(TestDirs.isPublished(blockDir.path(), token)).isTrue();
            Path segment = blockDir.path().resolve(PoolLayout.DIRECTORY)
                    .resolve(SlotRef.parse(token.substring("FSHR:pool:".length())).segment());
            assertThat(Files.getPosixFilePermissions(segment)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        });
        // The context closed the template, which released the block written above (checked after the test).
    }

    @Test
    void propertyDefaultsAreTheBuildersDefaults() {
        FastShareProperties properties = new FastShareProperties();
        assertThat(properties.isEnabled()).isTrue();
        assertThat(properties.getDirectory()).isNull();
        assertThat(properties.getThreshold().toBytes()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_THRESHOLD);
        assertThat(properties.getDefaultTtl()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_TTL);
        assertThat(properties.getMaxLiveSize()).as("unset: unlimited").isNull();
        assertThat(SharedMemoryTemplate.Builder.DEFAULT_MAX_LIVE_BYTES).isEqualTo(Long.MAX_VALUE);
        assertThat(properties.getMaxInlineSize().toBytes())
                .isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_MAX_INLINE_SIZE);
        assertThat(properties.getFallback()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_FALLBACK);
        assertThat(properties.isReleaseOnShutdown()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_RELEASE_ON_CLOSE);
        assertThat(properties.getFilePermissions()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_FILE_PERMISSIONS);
        assertThat(properties.isChecksums()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_CHECKSUMS);
        assertThat(properties.getCodec().getAllowedTypes()).isEmpty();
        assertThat(properties.getCodec().getJavaSerialization().isEnabled())
                .isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_JAVA_SERIALIZATION);
        assertThat(properties.getCodec().getOutOfBandThreshold().toBytes())
                .isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_OUT_OF_BAND_THRESHOLD);
        assertThat(properties.getCleanup().isEnabled()).isTrue();
        assertThat(properties.getCleanup().getInterval()).isEqualTo(FastShareCleanupScheduler.DEFAULT_INTERVAL);
        assertThat(properties.getCleanup().getGrace()).isEqualTo(CleanupOptions.DEFAULT_GRACE);
        assertThat(properties.getHealth().getMinFreeSpace().toBytes())
                .isEqualTo(FastShareHealthIndicator.DEFAULT_MIN_FREE_BYTES);
        // And the builder, left alone, behaves as those constants say.
        assertThat(properties.getMaxInlineReadSize().toBytes())
                .isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_MAX_INLINE_READ_SIZE);
        assertThat(properties.getPool().getSize().toBytes()).isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_POOL_SIZE);
        assertThat(properties.getPool().getIdleTimeout())
                .isEqualTo(SharedMemoryTemplate.Builder.DEFAULT_POOL_IDLE_TIMEOUT);
        assertThat(properties.getThreshold()).isEqualTo(DataSize.ofKilobytes(8));
        assertThat(properties.getDefaultTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(properties.getMaxInlineSize()).isEqualTo(DataSize.ofBytes(48_000));
        assertThat(properties.getMaxInlineReadSize()).isEqualTo(DataSize.ofMegabytes(16));
        assertThat(properties.getPool().getSize()).isEqualTo(DataSize.ofGigabytes(1));
    }

    @Test
    void bindsEveryPropertyThroughToTheTemplate() {
        runner.withPropertyValues("fastshare.threshold=64KB", "fastshare.default-ttl=90s",
                "fastshare.max-live-size=1MB", "fastshare.max-inline-size=2MB", "fastshare.fallback=fail",
                "fastshare.release-on-shutdown=false", "fastshare.file-permissions=rw-r-----",
                "fastshare.checksums=true", "fastshare.codec.allowed-types=" + Customer.class.getName(),
                "fastshare.codec.java-serialization.enabled=true", "fastshare.codec.out-of-band-threshold=64KB")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
                    assertThat(template.threshold()).isEqualTo(64 * 1024);

                    // A 32 KB array: in band under the 64KB out-of-band threshold (the default 4KB would
                    // move it to a buffer of its own); checksummed; 90s TTL; group-readable file.
                    String token = template.write(new Samples(new double[4096]), WriteOptions.defaults().shared());
                    BlockDetails details = template.janitor().describe(name(token)).orElseThrow();
                    assertThat(details.preamble().buffers()).as("out-of-band buffers").isEmpty();
                    assertThat(details.preamble().header().hasPayloadCrc()).as("checksums").isTrue();
                    BlockInfo info = details.info();
                    assertThat(Duration.between(info.created(), info.expires())).isEqualTo(Duration.ofSeconds(90));
                    assertThat(Files.getPosixFilePermissions(block(token)))
                            .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));

                    // max-live-size with fallback=fail: a second large block is refused, naming the property.
                    assertThatThrownBy(() -> template.write(new byte[1_048_576])).isInstanceOf(AllocationException.class)
                            .hasMessageContaining("fastshare.max-live-size");
                    // max-inline-size: a forced inline write above 2MB is refused, naming the property.
                    assertThatThrownBy(() -> template.write(new byte[3_000_000], WriteOptions.defaults().inline()))
                            .isInstanceOf(AllocationException.class).hasMessageContaining("fastshare.max-inline-size");
                    assertThat(template.read(template.write(new byte[1_500_000], WriteOptions.defaults().inline()),
                            byte[].class)).hasSize(1_500_000);

                    // allowed-types: an untyped read may instantiate Customer; java-serialization writes Ticket.
                    assertThat(template.read(template.write(new Customer("Ada", 36)))).isEqualTo(new Customer("Ada", 36));
                    String ticket = template.write(new Ticket(7), WriteOptions.defaults().shared());
                    assertThat(template.janitor().describe(name(ticket)).orElseThrow().preamble().header().codecId())
                            .isEqualTo("java");
                    template.release(ticket);
                    context.close();
                    // release-on-shutdown=false: the block outlives the context; release it for the leak check.
                    assertThat(block(token)).exists();
                    try (SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(blockDir.path()).build()) {
                        assertThat(other.release(token)).isTrue();
                    }
                });
    }

    @Test
    void userTemplateBacksTheDefaultOff() {
        runner.withUserConfiguration(UserTemplateConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class).hasBean("myTemplate");
            assertThat(context.getBean(SharedMemoryTemplate.class).threshold()).isEqualTo(123);
        });
    }

    @Test
    void codecBeanWritesWhatOnlyItCanEncode() {
        try (SharedMemoryTemplate plain = SharedMemoryTemplate.builder().directory(blockDir.path()).build()) {
            assertThatThrownBy(() -> plain.write(new Point(3, 4))).as("no built-in codec takes a Point")
                    .isInstanceOf(CodecException.class);
        }
        runner.withUserConfiguration(CustomizerConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            // The customizer ran after the properties, so its threshold wins: the block goes to shared memory.
            assertThat(template.threshold()).isEqualTo(7);
            String token = template.write(new Point(3, 4));
            try (SharedPayload payload = template.open(token)) {
                assertThat(payload.codecId()).isEqualTo(PointCodec.ID);
            }
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
                    try (SharedMemoryTemplate plain = SharedMemoryTemplate.builder().directory(blockDir.path()).build()) {
                        Map<?, ?> fields = plain.read(token, Map.class);
                        assertThat(fields.get("customer_name")).isEqualTo("Ada");
                    }
                });
    }

    @Test
    void untypedReadsInstantiateOnlyAllowedTypesAndSayWhichPropertyAllowsThem() {
        runner.run(context -> {
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            String token = template.write(new Customer("Ada", 36));
            assertThatThrownBy(() -> template.read(token)).isInstanceOf(CodecException.class)
                    .hasMessageContaining("fastshare.codec.allowed-types");
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
    }

    @Test
    void disabledCreatesNothing() {
        runner.withPropertyValues("fastshare.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SharedMemoryTemplate.class);
        });
        assertThat(blockDir.path()).doesNotExist();
    }

    @Test
    void startsWithoutJackson() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.jackson",
                "tools.jackson.databind.json")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class);
                });
    }

    private String name(String token) {
        return token.substring("FSHR:shm:".length());
    }

    private Path block(String token) {
        return blockDir.path().resolve(name(token));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserTemplateConfiguration {

        @Bean(destroyMethod = "close")
        SharedMemoryTemplate myTemplate(FastShareProperties properties) {
            return SharedMemoryTemplate.builder().directory(properties.getDirectory()).threshold(123).build();
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

    /** No property JSON could map and not Serializable: only {@link PointCodec} can write it. */
    static final class Point {

        private final int x;
        private final int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Point point && point.x == x && point.y == y;
        }

        @Override
        public int hashCode() {
            return 31 * x + y;
        }
    }

    /** A record the JSON codec maps. */
    record Customer(String customerName, int age) {
    }

    /** A record with an array, for the out-of-band threshold. */
    record Samples(double[] values) {
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

        static final String ID = "point";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public boolean canEncode(Object value) {
            return value instanceof Point;
        }

        @Override
        public EncodedPayload encode(Object value) {
            Point point = (Point) value;
            return new EncodedPayload((point.x + "," + point.y).getBytes(StandardCharsets.US_ASCII), List.of());
        }

        @Override
        public Object decode(PayloadReader payload, Type targetType) {
            String[] parts = new String(payload.metadata(), StandardCharsets.US_ASCII).split(",");
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
    }
}
