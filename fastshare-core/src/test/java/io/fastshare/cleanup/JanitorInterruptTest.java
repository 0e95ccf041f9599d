package io.fastshare.cleanup;

import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.store.BlockDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 3: a cleanup interrupted while it runs (the starter's scheduler interrupts a run that
 * outlives its stop timeout, so this happens on every slow shutdown) must not take the interrupted reads
 * for corrupt blocks and delete live ones. The janitor's clock runs an hour ahead, so every block is far
 * past the default grace period: only its state keeps it alive.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JanitorInterruptTest {

    private static final int BLOCKS = 200;
    private static final int ROUNDS = 100;

    @TempDir
    Path tempDir;

    Path dir;
    SharedMemoryTemplate writer;

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tempDir);
        writer = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build();
    }

    @AfterEach
    void tearDown() {
        writer.close();
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void anInterruptedCleanupNeverDeletesALiveBlock() throws InterruptedException {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            tokens.add(writer.write(new byte[4096 + i], WriteOptions.defaults().shared().noTtl()));
        }
        MutableClock clock = MutableClock.atNow();
        clock.advance(Duration.ofHours(1));
        // A janitor without an owner of its own (like the CLI): liveness comes from the lease.
        Janitor janitor = new Janitor(BlockDirectory.existing(dir), null, clock);
        int interruptedRuns = 0;
        for (int round = 0; round < ROUNDS; round++) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<CleanupResult> result = new AtomicReference<>();
            Thread run = new Thread(() -> {
                try {
                    result.set(janitor.cleanup(CleanupOptions.defaults()));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "janitor-" + round);
            run.start();
            Thread.sleep(ThreadLocalRandom.current().nextInt(21));
            run.interrupt();
            run.join();
            if (failure.get() != null) {
                assertThat(failure.get()).isInstanceOf(FastShareException.class).hasMessageContaining("interrupted");
                interruptedRuns++;
            } else {
                assertThat(result.get().cleaned()).as("round %d", round).isEmpty();
            }
            assertThat(janitor.scan()).as("round %d", round).hasSize(BLOCKS)
                    .allSatisfy(block -> assertThat(block.state()).isEqualTo(BlockState.LIVE));
        }
        for (int i = 0; i < BLOCKS; i++) {
            assertThat(writer.read(tokens.get(i), byte[].class)).hasSize(4096 + i);
        }
        System.out.println("JanitorInterruptTest: " + interruptedRuns + " of " + ROUNDS + " runs were interrupted");
    }
}
