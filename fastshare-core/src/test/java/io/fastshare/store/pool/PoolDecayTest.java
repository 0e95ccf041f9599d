package io.fastshare.store.pool;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.MutableClock;
import io.fastshare.format.OwnerId;
import io.fastshare.store.BlockDirectory;
import io.fastshare.store.StoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle pool memory is given back without a cleanup scheduler (a plain-Java template with the default
 * pool): on the next pool operation after the idle timeout, and by a delayed check while the pool holds
 * segments. Time is a stepped clock; the delayed checks run when the test says so.
 */
class PoolDecayTest {

    private static final Duration IDLE = Duration.ofMinutes(1);

    @TempDir
    Path tempDir;
    private Path dir;
    private MutableClock clock;
    private final ManualScheduler scheduler = new ManualScheduler();

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tempDir);
        clock = MutableClock.atNow();
    }

    @AfterEach
    void tearDown() {
        PoolReader.trim(Duration.ZERO);
        if (Files.exists(dir)) {
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void theNextWriteAfterTheIdleTimeoutGivesIdleSegmentsBack() throws IOException {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).clock(clock)
                .poolIdleTimeout(IDLE).build()) {
            PoolBlockStore store = (PoolBlockStore) template.stores().forKind(PoolBlockStore.KIND).orElseThrow();
            BlockPool pool = store.pool().orElseThrow();
            template.release(template.write(new byte[200_000]));
            List<Path> first = segmentFiles();
            assertThat(first).hasSize(1);
            clock.advance(Duration.ofSeconds(30));
            template.release(template.write(new byte[2_000_000]));
            assertThat(pool.segmentCount()).as("nothing idle for a minute yet").isEqualTo(2);
            assertThat(segmentFiles()).hasSize(2);

            clock.advance(Duration.ofSeconds(31));
            String third = template.write(new byte[600_000]);

            assertThat(pool.segmentCount()).as("the first segment, idle for 61 s, was given back").isEqualTo(2);
            assertThat(segmentFiles()).hasSize(2).doesNotContainAnyElementsOf(first);
            template.release(third);
        }
        assertThat(segmentFiles()).isEmpty();
    }

    @Test
    void anIdleStoreGivesItsSegmentsBackThroughTheDelayedCheck() throws IOException {
        StoreContext context = new StoreContext(BlockDirectory.open(dir, PosixFilePermissions.fromString("rw-------")),
                OwnerId.random(new SecureRandom()), clock, new SecureRandom());
        try (PoolBlockStore store = new PoolBlockStore(context, 64L << 20, IDLE, scheduler)) {
            SlotWrite slot = store.allocate(200_000);
            SlotRef ref = slot.publish(200_000);
            assertThat(scheduler.delays).containsExactly(IDLE);
            assertThat(store.release(ref.key())).isTrue();
            assertThat(scheduler.delays).as("one check pending at a time").hasSize(1);

            clock.advance(Duration.ofSeconds(30));
            scheduler.runPending();
            assertThat(store.pool().orElseThrow().segmentCount()).as("used 30 s ago").isEqualTo(1);
            assertThat(scheduler.delays).as("re-armed while the pool holds a segment").hasSize(2);

            clock.advance(Duration.ofSeconds(31));
            scheduler.runPending();
            assertThat(store.pool().orElseThrow().segmentCount()).isZero();
            assertThat(segmentFiles()).isEmpty();
        }
    }

    @Test
    void checksStopWhenNothingIsHeldOrTheDecayIsClosed() {
        AtomicInteger trims = new AtomicInteger();
        AtomicBoolean holding = new AtomicBoolean(true);
        PoolDecay decay = new PoolDecay(clock, IDLE, trims::incrementAndGet, holding::get, scheduler);

        decay.onActivity();
        decay.onActivity();
        assertThat(trims).as("the last trim is not a minute old").hasValue(0);
        assertThat(scheduler.pending).hasSize(1);
        scheduler.runPending();
        assertThat(trims).hasValue(1);
        assertThat(scheduler.pending).hasSize(1);

        holding.set(false);
        scheduler.runPending();
        assertThat(trims).hasValue(2);
        assertThat(scheduler.pending).isEmpty();

        holding.set(true);
        decay.onActivity();
        decay.close();
        scheduler.runPending();
        assertThat(trims).as("a closed decay does nothing").hasValue(2);
        assertThat(scheduler.pending).isEmpty();
    }

    @Test
    void activityTrimsAtMostOncePerIntervalAndNeverFailsTheCaller() {
        AtomicInteger trims = new AtomicInteger();
        PoolDecay decay = new PoolDecay(clock, Duration.ZERO, () -> {
            trims.incrementAndGet();
            throw new IllegalStateException("broken trim");
        }, () -> false, scheduler);

        decay.onActivity();
        assertThat(trims).as("a zero idle timeout still waits the minimum interval").hasValue(0);
        clock.advance(PoolDecay.MIN_INTERVAL);
        decay.onActivity();
        decay.onActivity();
        assertThat(trims).hasValue(1);
        assertThat(scheduler.pending).as("nothing held: no delayed check").isEmpty();
    }

    private List<Path> segmentFiles() throws IOException {
        Path pool = dir.resolve(PoolLayout.DIRECTORY);
        if (!Files.isDirectory(pool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pool)) {
            return files.filter(f -> f.getFileName().toString().startsWith(PoolLayout.SEGMENT_PREFIX)).toList();
        }
    }

    /** Runs delayed checks only when the test says so. */
    private static final class ManualScheduler implements PoolDecay.Scheduler {
        final List<Runnable> pending = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public void schedule(Runnable task, Duration delay) {
            pending.add(task);
            delays.add(delay);
        }

        void runPending() {
            List<Runnable> due = List.copyOf(pending);
            pending.clear();
            due.forEach(Runnable::run);
        }
    }
}
