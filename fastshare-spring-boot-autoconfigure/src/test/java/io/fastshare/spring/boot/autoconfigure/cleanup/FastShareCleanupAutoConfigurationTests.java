package io.fastshare.spring.boot.autoconfigure.cleanup;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.cleanup.FastShareCleanupScheduler;
import io.fastshare.spring.boot.testing.Eventually;
import io.fastshare.spring.boot.testing.Orphans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The periodic cleanup runs on its own daemon thread, reclaims orphans, logs, and stops with the context. */
@ExtendWith(OutputCaptureExtension.class)
class FastShareCleanupAutoConfigurationTests {

    @TempDir
    Path tempDir;

    Path blockDir;

    ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                        FastShareCleanupAutoConfiguration.class))
                .withPropertyValues("fastshare.directory=" + blockDir, "fastshare.cleanup.interval=100ms",
                        "fastshare.cleanup.grace=5s");
    }

    @AfterEach
    void tearDown() {
        if (Files.exists(blockDir)) {
            TestDirs.assertNoBlocks(blockDir);
        }
    }

    @Test
    void reclaimsOrphansPeriodicallyAndStopsWithTheContext(CapturedOutput output) throws Exception {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            String own = template.write(new byte[2_000_000]);
            // Another owner wrote a block ten minutes ago and died without releasing it: an orphan past grace.
            Path orphanFile = blockDir.resolve(Orphans.create(blockDir, 2_000_000));
            assertThat(Eventually.holds(() -> !Files.exists(orphanFile))).as("orphan reclaimed by the scheduler").isTrue();
            assertThat(Eventually.holds(() -> output.getOut().contains("fastshare janitor reclaimed 1 blocks")))
                    .isTrue();
            assertThat(output.getOut()).contains("1 orphaned");
            assertThat(cleanupThreads()).as("runs on its own daemon thread").isPositive();
            // The live block of this process is never touched.
            assertThat(template.read(own, byte[].class)).hasSize(2_000_000);
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

    private static long cleanupThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("fastshare-cleanup") && t.isAlive()).count();
    }
}
