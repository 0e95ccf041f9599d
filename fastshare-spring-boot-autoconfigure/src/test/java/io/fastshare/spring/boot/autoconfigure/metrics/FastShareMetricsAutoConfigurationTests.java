package io.fastshare.spring.boot.autoconfigure.metrics;

import io.fastshare.InvalidTokenException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.MutableClock;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.SharedMemoryTemplateBuilderCustomizer;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.metrics.FastShareMetrics;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import io.fastshare.spring.boot.testing.TwoTemplatesConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FastShareMetricsAutoConfiguration}: the meters move as blocks are written, read and reclaimed. */
class FastShareMetricsAutoConfigurationTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    FastShareAutoConfiguration.class, FastShareCleanupAutoConfiguration.class,
                    FastShareMetricsAutoConfiguration.class))
            .withInitializer(blockDir.asProperty());

    @Test
    void metersFollowWritesReadsAndReleases() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThat(gauge(registry, "fastshare.blocks.live")).isZero();
            assertThat(gauge(registry, "fastshare.blocks.live.size")).isZero();
            assertThat(gauge(registry, "fastshare.storage.free")).isPositive();
            double headroom = gauge(registry, "fastshare.memory.headroom");
            assertThat(template.memoryHeadroom().isPresent() ? headroom >= 0 : Double.isNaN(headroom)).isTrue();

            String shared = template.write(new byte[2_000_000]);
            String inline = template.write(new byte[10]);
            assertThat(gauge(registry, "fastshare.blocks.live")).isEqualTo(1);
            assertThat(gauge(registry, "fastshare.blocks.live.size")).isGreaterThanOrEqualTo(2_000_000);
            assertThat(count(registry, "fastshare.write", "shm", "success")).isEqualTo(1);
            assertThat(count(registry, "fastshare.write", "inline", "success")).isEqualTo(1);

            template.read(shared, byte[].class);
            template.read(inline, byte[].class);
            template.read(inline, byte[].class);
            assertThatThrownBy(() -> template.read("FSHR:shm:nonsense")).isInstanceOf(InvalidTokenException.class);
            assertThat(count(registry, "fastshare.read", "shm", "success")).isEqualTo(1);
            assertThat(count(registry, "fastshare.read", "inline", "success")).isEqualTo(2);
            assertThat(count(registry, "fastshare.read", "unknown", "failure")).isEqualTo(1);

            assertThat(template.release(shared)).isTrue();
            assertThat(gauge(registry, "fastshare.blocks.live")).isZero();
            assertThat(gauge(registry, "fastshare.blocks.live.size")).isZero();
        });
    }

    @Test
    void timersCountOperationsWithoutADuplicateCounterAndReadsHaveNoFallbackPath() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("fastshare.writes").meters()).as("counter duplicating the timer").isEmpty();
            assertThat(registry.find("fastshare.reads").meters()).as("counter duplicating the timer").isEmpty();
            assertThat(registry.find("fastshare.write").tag("path", "fallback").timers()).hasSize(1);
            assertThat(registry.find("fastshare.read").tag("path", "fallback").meters())
                    .as("a fallback token is an inline token to its reader").isEmpty();
            assertThat(registry.find("fastshare.read").meters()).extracting(meter -> meter.getId().getTag("path"))
                    .containsExactlyInAnyOrder("shm", "inline", "unknown");
        });
    }

    @Test
    void orphanGaugeAndReclaimCounterFollowCleanup() {
        MutableClock clock = MutableClock.atNow();
        runner.withPropertyValues("fastshare.cleanup.enabled=false", "fastshare.cleanup.grace=5s")
                .withBean(SharedMemoryTemplateBuilderCustomizer.class, () -> builder -> builder.clock(clock))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
                    FastShareCleanup cleanup = context.getBean(FastShareCleanup.class);
                    assertThat(gauge(registry, "fastshare.blocks.orphaned")).as("before any scan").isNaN();

                    String own = template.write(new byte[2_000_000]);
                    // Another owner writes a block and goes away without releasing it: an orphan.
                    try (SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(blockDir.path())
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
    void fallbackWritesAreTimedAsSuch() {
        runner.withPropertyValues("fastshare.max-live-size=1MB", "fastshare.max-inline-size=4MB").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            String token = template.write(new byte[2_000_000]);
            assertThat(token).startsWith("FSHR:inl:");
            assertThat(count(registry, "fastshare.write", "fallback", "success")).isEqualTo(1);
            assertThat(count(registry, "fastshare.write", "shm", "success")).isZero();
            assertThat(gauge(registry, "fastshare.blocks.live")).isZero();
            template.read(token, byte[].class);
            assertThat(count(registry, "fastshare.read", "inline", "success")).isEqualTo(1);
        });
    }

    @Test
    void failedWritesAreTimed() {
        runner.withPropertyValues("fastshare.max-live-size=1MB", "fastshare.fallback=fail").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThatThrownBy(() -> template.write(new byte[2_000_000])).hasMessageContaining("quota");
            assertThat(count(registry, "fastshare.write", "unknown", "failure")).isEqualTo(1);
        });
    }

    @Test
    void switchedOffWithBootsMeterSwitch() {
        runner.withPropertyValues("management.metrics.enable.fastshare=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(SharedMemoryTemplate.class).write(new byte[10]);
            assertThat(registry.getMeters()).map(Meter::getId).noneMatch(id -> id.getName().startsWith("fastshare"));
        });
    }

    @Test
    void onlyWithAMeterRegistryBean() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                        FastShareMetricsAutoConfiguration.class))
                .withInitializer(blockDir.asProperty())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FastShareMetrics.class));
    }

    @Test
    void backsOffWhenWhichTemplateIsAmbiguous() {
        runner.withUserConfiguration(TwoTemplatesConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareMetrics.class);
        });
    }

    @Test
    void startsWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SharedMemoryTemplate.class)
                    .doesNotHaveBean(FastShareMetrics.class);
        });
    }

    static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }

    static double reclaimed(MeterRegistry registry, String reason) {
        return registry.get("fastshare.cleanup.reclaimed").tag("reason", reason).counter().count();
    }

    static long count(MeterRegistry registry, String name, String path, String outcome) {
        return registry.get(name).tag("path", path).tag("outcome", outcome).timer().count();
    }
}
