package io.fastshare.spring.boot.cleanup;

import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.spring.boot.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler keeps running after a failed run, and says so in the log. */
@ExtendWith(OutputCaptureExtension.class)
class FastShareCleanupSchedulerTests {

    @TempDir
    Path tempDir;

    @Test
    void failingRunIsLoggedAndDoesNotStopLaterRuns(CapturedOutput output) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(tempDir))
                .build()) {
            AtomicInteger runs = new AtomicInteger();
            FastShareCleanupScheduler scheduler = startFailingOnce(template, new FastShareException("disk on fire"), runs);
            try {
                assertThat(Eventually.holds(() -> runs.get() >= 3)).as("runs after the failed one").isTrue();
                assertThat(scheduler.isRunning()).isTrue();
                assertThat(output.getOut()).contains("fastshare cleanup run failed; retrying in 0.05s").contains("disk on fire");
            } finally {
                scheduler.stop();
            }
            assertThat(scheduler.isRunning()).isFalse();
        }
    }

    /** Issue 12, item 8: an Error of one run (an OutOfMemoryError from a forged block) ended all later runs. */
    @Test
    void anErrorInOneRunDoesNotStopLaterRuns(CapturedOutput output) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(tempDir))
                .build()) {
            AtomicInteger runs = new AtomicInteger();
            FastShareCleanupScheduler scheduler = startFailingOnce(template, new OutOfMemoryError("Java heap space (thrown by the test)"), runs);
            try {
                assertThat(Eventually.holds(() -> runs.get() >= 3)).as("runs after the failed one").isTrue();
                assertThat(output.getOut() + output.getErr()).contains("fastshare cleanup run failed with an error")
                        .contains("thrown by the test");
            } finally {
                scheduler.stop();
            }
        }
    }

    /** Starts a scheduler running every 50 ms over a cleanup whose first run throws {@code failure}. */
    private static FastShareCleanupScheduler startFailingOnce(SharedMemoryTemplate template, Throwable failure,
            AtomicInteger runs) {
        FastShareCleanup failingOnce = new FastShareCleanup(template, Duration.ofMinutes(1),
                new StaticListableBeanFactory().getBeanProvider(CleanupResultListener.class), Clock.systemUTC()) {
            @Override
            public CleanupResult reclaim() {
                if (runs.incrementAndGet() == 1) {
                    if (failure instanceof Error error) {
                        throw error;
                    }
                    throw (RuntimeException) failure;
                }
                return super.reclaim();
            }
        };
        FastShareCleanupScheduler scheduler = new FastShareCleanupScheduler(failingOnce, Duration.ofMillis(50));
        scheduler.start();
        return scheduler;
    }

    @Test
    void theRetryIntervalIsLoggedAsPropertiesWriteIt() {
        assertThat(FastShareCleanupScheduler.readable(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(FastShareCleanupScheduler.readable(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(FastShareCleanupScheduler.readable(Duration.ofHours(2))).isEqualTo("2h");
    }
}
