package io.fastshare.spring.boot.autoconfigure.metrics;

import io.fastshare.InvalidTokenException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.SharedMemoryTemplateBuilderCustomizer;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fastshare meters move as blocks are written, read and released (SimpleMeterRegistry). */
class FastShareMetricsTests {

    @TempDir
    Path tempDir;

    Path blockDir;

    ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        FastShareAutoConfiguration.class, FastShareCleanupAutoConfiguration.class,
                        FastShareMetricsAutoConfiguration.class))
                .withPropertyValues("fastshare.directory=" + blockDir);
    }

    @AfterEach
    void tearDown() {
        if (Files.exists(blockDir)) {
            TestDirs.assertNoBlocks(blockDir);
        }
    }

    @Test
    void metersFollowWritesReadsAndReleases() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThat(gauge(registry, "fastshare.blocks.live")).isZero();
            assertThat(gauge(registry, "fastshare.blocks.live.size")).isZero();
            assertThat(gauge(registry, "fastshare.storage.free")).isPositive();

            String shared = template.write(new byte[2_000_000]);
            String inline = template.write(new byte[10]);
            assertThat(gauge(registry, "fastshare.blocks.live")).isEqualTo(1);
            assertThat(gauge(registry, "fastshare.blocks.live.size")).isGreaterThanOrEqualTo(2_000_000);
            assertThat(count(registry, "fastshare.writes", "shm", "success")).isEqualTo(1);
            assertThat(count(registry, "fastshare.writes", "inline", "success")).isEqualTo(1);
            assertThat(registry.get("fastshare.write").tag("path", "shm").tag("outcome", "success").timer().count())
                    .isEqualTo(1);

            template.read(shared, byte[].class);
            template.read(inline, byte[].class);
            template.read(inline, byte[].class);
            assertThatThrownBy(() -> template.read("FSHR:shm:nonsense")).isInstanceOf(InvalidTokenException.class);
            assertThat(count(registry, "fastshare.reads", "shm", "success")).isEqualTo(1);
            assertThat(count(registry, "fastshare.reads", "inline", "success")).isEqualTo(2);
            assertThat(count(registry, "fastshare.reads", "unknown", "failure")).isEqualTo(1);
            assertThat(registry.get("fastshare.read").tag("path", "inline").timer().count()).isEqualTo(2);

            assertThat(template.release(shared)).isTrue();
            assertThat(gauge(registry, "fastshare.blocks.live")).isZero();
            assertThat(gauge(registry, "fastshare.blocks.live.size")).isZero();
        });
    }

    @Test
    void orphanGaugeAndReclaimCounterFollowCleanup() {
        io.fastshare.cleanup.MutableClock clock = io.fastshare.cleanup.MutableClock.atNow();
        runner.withPropertyValues("fastshare.cleanup.enabled=false", "fastshare.cleanup.grace=5s")
                .withBean(SharedMemoryTemplateBuilderCustomizer.class, () -> builder -> builder.clock(clock))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
                    FastShareCleanup cleanup = context.getBean(FastShareCleanup.class);
                    assertThat(gauge(registry, "fastshare.blocks.orphaned")).as("before any scan").isNaN();

                    String own = template.write(new byte[2_000_000]);
                    // Another owner writes a block and goes away without releasing it: an orphan.
                    try (SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(blockDir)
                            .releaseOnClose(false).build()) {
                        other.write(new byte[3_000_000]);
                    }
                    cleanup.scan();
                    assertThat(gauge(registry, "fastshare.blocks.orphaned")).isEqualTo(1);
                    assertThat(gauge(registry, "fastshare.blocks.live")).isEqualTo(1);

                    clock.advance(Duration.ofMinutes(1)); // the orphan is now past the grace period
                    cleanup.reclaim();
                    assertThat(reclaimed(registry, "orphaned")).isEqualTo(1);
                    assertThat(reclaimed(registry, "expired")).isZero();
                    assertThat(gauge(registry, "fastshare.blocks.orphaned")).isZero();
                    assertThat(gauge(registry, "fastshare.blocks.live")).as("own live block kept").isEqualTo(1);

                    clock.advance(Duration.ofMinutes(10)); // past the 10-minute default TTL
                    cleanup.scan();
                    assertThat(gauge(registry, "fastshare.blocks.orphaned")).as("expired counts").isEqualTo(1);
                    cleanup.reclaim();
                    assertThat(reclaimed(registry, "expired")).isEqualTo(1);
                    assertThat(gauge(registry, "fastshare.blocks.orphaned")).isZero();
                    assertThat(gauge(registry, "fastshare.blocks.live")).isZero();
                    assertThat(gauge(registry, "fastshare.blocks.live.size")).isZero();
                    assertThat(template.release(own)).as("already reclaimed").isFalse();
                });
    }

    @Test
    void fallbackWritesAreCountedAsSuch() {
        runner.withPropertyValues("fastshare.max-live-size=1MB").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            String token = template.write(new byte[2_000_000]);
            assertThat(token).startsWith("FSHR:inl:");
            assertThat(count(registry, "fastshare.writes", "fallback", "success")).isEqualTo(1);
            assertThat(count(registry, "fastshare.writes", "shm", "success")).isZero();
            assertThat(gauge(registry, "fastshare.blocks.live")).isZero();
        });
    }

    @Test
    void failedWritesAreCounted() {
        runner.withPropertyValues("fastshare.max-live-size=1MB", "fastshare.fallback=fail").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThatThrownBy(() -> template.write(new byte[2_000_000])).hasMessageContaining("quota");
            assertThat(count(registry, "fastshare.writes", "unknown", "failure")).isEqualTo(1);
        });
    }

    @Test
    void noMetersWhenDisabled() {
        runner.withPropertyValues("fastshare.metrics.enabled=false").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(SharedMemoryTemplate.class).write(new byte[10]);
            assertThat(registry.find("fastshare.writes").meters()).isEmpty();
            assertThat(registry.find("fastshare.blocks.live").meters()).isEmpty();
        });
    }

    static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }

    static double reclaimed(MeterRegistry registry, String reason) {
        return registry.get("fastshare.cleanup.reclaimed").tag("reason", reason).counter().count();
    }

    static double count(MeterRegistry registry, String name, String path, String outcome) {
        return registry.get(name).tag("path", path).tag("outcome", outcome).counter().count();
    }
}
