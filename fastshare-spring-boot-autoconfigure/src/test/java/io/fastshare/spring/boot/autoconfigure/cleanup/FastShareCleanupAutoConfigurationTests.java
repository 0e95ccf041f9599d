package io.fastshare.spring.boot.autoconfigure.cleanup;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.cleanup.CleanupResultListener;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.cleanup.FastShareCleanupScheduler;
import io.fastshare.spring.boot.testing.Eventually;
import io.fastshare.spring.boot.testing.OrphanWriterMain;
import io.fastshare.spring.boot.testing.Orphans;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import io.fastshare.spring.boot.testing.TwoTemplatesConfiguration;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FastShareCleanupAutoConfiguration}: the cleanup, its periodic run on a daemon thread, back-off, and
 * across real processes the reclaim of a killed writer's block only.
 */
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

    /** Across real processes: a live JVM's block is left alone however old it looks, reclaimed once it is killed. */
    @Test
    void reclaimsTheBlockOfAKilledProcessOnly(CapturedOutput output) {
        runner.withBean(RunCounter.class, RunCounter::new)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FastShareCleanup cleanup = context.getBean(FastShareCleanup.class);
                    try (ChildJvm writer = ChildJvm.start(OrphanWriterMain.class, blockDir.path().toString())) {
                        String token = writer.awaitLine("TOKEN ", Eventually.PATIENCE);
                        Path block = blockDir.path().resolve(token.substring("FSHR:shm:".length()));
                        // Old enough for any grace period: only the owner's liveness protects it.
                        Files.setLastModifiedTime(block, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

                        // The second run from now on started after the backdating.
                        RunCounter runs = context.getBean(RunCounter.class);
                        int before = runs.count.get();
                        assertThat(Eventually.holds(() -> runs.count.get() >= before + 2))
                                .as("two cleanup runs after the block was backdated").isTrue();
                        assertThat(block).as("block of a live process").exists();
                        assertThat(cleanup.lastScan().orElseThrow().counts().get(BlockState.LIVE)).isEqualTo(1);

                        writer.kill9();
                        assertThat(Eventually.holds(() -> !Files.exists(block))).as("reclaimed after kill -9").isTrue();
                        assertThat(Eventually.holds(() -> output.getOut().contains("1 orphaned"))).isTrue();
                    }
                });
    }

    /** Counts cleanup runs, as any {@link CleanupResultListener} bean is told of them. */
    static final class RunCounter implements CleanupResultListener {

        final AtomicInteger count = new AtomicInteger();

        @Override
        public void cleanupCompleted(CleanupResult result) {
            count.incrementAndGet();
        }
    }

    private static long cleanupThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("fastshare-cleanup") && t.isAlive()).count();
    }
}
