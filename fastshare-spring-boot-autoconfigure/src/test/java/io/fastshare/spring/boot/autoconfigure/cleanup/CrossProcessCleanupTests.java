package io.fastshare.spring.boot.autoconfigure.cleanup;

import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.cleanup.CleanupResultListener;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.testing.Eventually;
import io.fastshare.spring.boot.testing.OrphanWriterMain;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
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
 * The scheduled cleanup across real processes: a block of another live JVM is left alone however old it
 * looks; once that JVM is killed with {@code kill -9}, the block is reclaimed as an orphan.
 */
@ExtendWith(OutputCaptureExtension.class)
class CrossProcessCleanupTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                    FastShareCleanupAutoConfiguration.class))
            .withInitializer(blockDir.asProperty())
            .withPropertyValues("fastshare.cleanup.interval=100ms", "fastshare.cleanup.grace=5s");

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
}
