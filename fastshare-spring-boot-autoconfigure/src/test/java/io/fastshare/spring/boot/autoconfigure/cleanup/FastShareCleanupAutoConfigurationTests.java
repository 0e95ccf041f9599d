package io.fastshare.spring.boot.autoconfigure.cleanup;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.cleanup.FastShareCleanupScheduler;
import io.fastshare.spring.boot.testing.Eventually;
import io.fastshare.spring.boot.testing.Orphans;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import io.fastshare.spring.boot.testing.TwoTemplatesConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FastShareCleanupAutoConfiguration}: the cleanup, its periodic run on a daemon thread, back-off. */
@ExtendWith(OutputCaptureExtension.class)
class FastShareCleanupAutoConfigurationTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                    FastShareCleanupAutoConfiguration.class))
            .withInitializer(blockDir.asProperty())
            .withPropertyValues("fastshare.cleanup.interval=100ms", "fastshare.cleanup.grace=5s");

    @Test
    void reclaimsOrphansPeriodicallyAndStopsWithTheContext(CapturedOutput output) throws Exception {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FastShareCleanup.class).grace()).isEqualTo(Duration.ofSeconds(5));
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            byte[] payload = (byte[]) Payloads.make("byte[]", 2_000_000, 7);
            String own = template.write(payload);
            // Another owner wrote a block ten minutes ago and died without releasing it: an orphan past grace.
            Path orphanFile = blockDir.path().resolve(Orphans.create(blockDir.path(), 2_000_000));
            assertThat(Eventually.holds(() -> !Files.exists(orphanFile))).as("orphan reclaimed by the scheduler")
                    .isTrue();
            assertThat(Eventually.holds(() -> output.getOut().contains("fastshare janitor reclaimed 1 block "))).isTrue();
            assertThat(output.getOut()).contains("1 orphaned");
            assertThat(cleanupThreads()).as("runs on its own daemon thread").isPositive();
            // The live block of this process is never touched.
            assertThat(template.read(own, byte[].class)).isEqualTo(payload);
        });
        assertThat(Eventually.holds(() -> cleanupThreads() == 0)).as("thread gone after context close").isTrue();
    }

    @Test
    void noSchedulerWhenDisabled() {
        runner.withPropertyValues("fastshare.cleanup.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareCleanupScheduler.class)
                    .hasSingleBean(FastShareCleanup.class);
            assertThat(cleanupThreads()).isZero();
        });
    }

    @Test
    void backsOffWhenWhichTemplateIsAmbiguous() {
        runner.withUserConfiguration(TwoTemplatesConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed().getBeans(SharedMemoryTemplate.class).hasSize(2);
            assertThat(context).doesNotHaveBean(FastShareCleanup.class).doesNotHaveBean(FastShareCleanupScheduler.class);
        });
    }

    @Test
    void nothingWhenFastShareIsDisabled() {
        runner.withPropertyValues("fastshare.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FastShareCleanup.class)
                    .doesNotHaveBean(FastShareCleanupScheduler.class);
        });
    }

    private static long cleanupThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("fastshare-cleanup") && t.isAlive()).count();
    }
}
