package io.fastshare.store.pool;

import io.fastshare.BlockNotFoundException;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.MutableClock;
import io.fastshare.format.OwnerId;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool's safety rules across real processes: a pinned slot is never reused, a stale reference
 * never resolves to another block, a claim succeeds once, and a process killed with {@code kill -9}
 * (writer or reader) leaves nothing the janitor does not reclaim.
 */
class PoolCrossProcessTest {

    /** Blocks of 5 MiB use 8 MiB slots, one per segment: a pool limited to 9 MiB holds one slot. */
    // A class with one slot per segment (9 MiB: the 10 MiB class), so the tests can fill the pool with one block.
    private static final int LENGTH = 9 << 20;
    private static final long ONE_SEGMENT = SizeClass.forBlock(LENGTH).segmentSize();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;
    private Path blockDir;
    private Path poolDir;
    private MutableClock clock;
    private BlockPool pool;
    private PoolReader reader;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        poolDir = blockDir.resolve(PoolLayout.DIRECTORY);
        clock = MutableClock.atNow();
        pool = newPool(ONE_SEGMENT);
        reader = new PoolReader(poolDir, clock);
    }

    @AfterEach
    void tearDown() {
        pool.close();
        PoolReader.trim(Duration.ZERO);
        TestDirs.deleteTree(blockDir);
    }

    private BlockPool newPool(long limit) {
        return new BlockPool(poolDir, PosixFilePermissions.fromString("rw-------"), OwnerId.random(new SecureRandom()),
                limit, Duration.ofSeconds(30), clock, new SecureRandom());
    }

    private SlotRef publish(BlockPool into, byte value) {
        SlotWrite write = into.allocate(LENGTH);
        assertThat(write).as("pool slot").isNotNull();
        ByteBuffer buffer = write.buffer();
        for (int i = 0; i < LENGTH; i++) {
            buffer.put(i, value);
        }
        return write.publish(LENGTH);
    }

    private static ChildJvm child() {
        ChildJvm child = ChildJvm.start(List.of("-Xmx64m"), PoolChildMain.class);
        child.awaitLine("READY", WAIT);
        return child;
    }

    @Test
    void slotPinnedByAnotherProcessIsNeverReused() {
        SlotRef ref = publish(pool, (byte) 7);
        try (ChildJvm reader = child()) {
            reader.send("OPEN " + poolDir + " " + ref.key());
            assertThat(reader.awaitLine("PINNED ", WAIT)).isEqualTo("7 " + LENGTH);

            assertThat(this.reader.release(ref)).isTrue();
            assertThat(pool.allocate(LENGTH)).as("slot still pinned by the reader").isNull();
            assertThat(pool.fallThroughs()).isEqualTo(1);

            reader.send("CLOSE");
            reader.awaitLine("CLOSED", WAIT);
            SlotRef reused = publish(pool, (byte) 9);
            assertThat(reused.segment()).isEqualTo(ref.segment());
            assertThat(reused.slot()).isEqualTo(ref.slot());
            assertThat(reused.generation()).isEqualTo(ref.generation() + 1);
        }
    }

    @Test
    void staleReferenceAfterReuseIsNotFoundInAnotherProcess() {
        SlotRef first = publish(pool, (byte) 1);
        assertThat(reader.release(first)).isTrue();
        SlotRef second = publish(pool, (byte) 2);
        assertThat(second.slot()).isEqualTo(first.slot());
        try (ChildJvm reader = child()) {
            reader.send("READ " + poolDir + " " + first.key());
            assertThat(reader.awaitLine("NOTFOUND", WAIT)).contains("reused");
            reader.send("READ " + poolDir + " " + second.key());
            assertThat(reader.awaitLine("READ ", WAIT)).isEqualTo("2 2");
        }
        assertThatThrownBy(() -> reader.open(first)).isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void claimSucceedsOnceAcrossProcesses() {
        SlotRef ref = publish(pool, (byte) 3);
        try (ChildJvm a = child(); ChildJvm b = child()) {
            a.send("CLAIM " + poolDir + " " + ref.key());
            b.send("CLAIM " + poolDir + " " + ref.key());
            String first = a.awaitLine("", WAIT);
            String second = b.awaitLine("", WAIT);
            assertThat(Stream.of(first, second).filter(l -> l.startsWith("CLAIMED 3 "))).hasSize(1);
            assertThat(Stream.of(first, second).filter(l -> l.startsWith("NOTFOUND"))).hasSize(1);
            assertThatThrownBy(() -> reader.claim(ref)).isInstanceOf(BlockNotFoundException.class);
            assertThat(pool.allocate(LENGTH)).as("claimed and still pinned").isNull();

            a.send("CLOSE");
            b.send("CLOSE");
            a.awaitLine("CLOSED", WAIT);
            b.awaitLine("CLOSED", WAIT);
        }
        assertThat(pool.slotsInUse()).isZero();
        assertThat(publish(pool, (byte) 4).generation()).isEqualTo(ref.generation() + 1);
    }

    @Test
    void readerKilledMidReadDropsItsPin() {
        SlotRef ref = publish(pool, (byte) 5);
        try (ChildJvm reader = child()) {
            reader.send("OPEN " + poolDir + " " + ref.key());
            reader.awaitLine("PINNED ", WAIT);
            this.reader.release(ref);
            assertThat(pool.allocate(LENGTH)).isNull();
            reader.kill9();
        }
        assertThat(publish(pool, (byte) 6).generation()).isEqualTo(ref.generation() + 1);
    }

    @Test
    void takerKilledAfterClaimLeavesASlotTheOwnerReuses() {
        SlotRef ref = publish(pool, (byte) 5);
        try (ChildJvm taker = child()) {
            taker.send("CLAIM " + poolDir + " " + ref.key());
            taker.awaitLine("CLAIMED ", WAIT);
            taker.kill9();
        }
        assertThat(pool.slotsInUse()).isEqualTo(1);
        assertThat(PoolJanitor.sweep(poolDir, Duration.ofMinutes(5), clock).slotsFreed()).isEqualTo(1);
        assertThat(pool.slotsInUse()).isZero();
        assertThat(publish(pool, (byte) 6).generation()).isEqualTo(ref.generation() + 1);
    }

    @Test
    void writerKilledMidWriteLeavesNothingAfterTheJanitor() throws Exception {
        String key;
        try (ChildJvm writer = child()) {
            writer.send("WRITE " + poolDir + " " + LENGTH + " 8 false");
            key = writer.awaitLine("WRITING ", WAIT);
            assertThat(listSegments()).hasSize(1);
            writer.kill9();
        }
        SlotRef ref = SlotRef.parse(key);
        assertThatThrownBy(() -> reader.open(ref)).isInstanceOf(BlockNotFoundException.class);
        PoolJanitor.Sweep sweep = PoolJanitor.sweep(poolDir, Duration.ofMinutes(5), clock);
        assertThat(sweep.segmentsRemoved()).isEqualTo(1);
        assertThat(listSegments()).isEmpty();
    }

    @Test
    void publishedBlocksOfAKilledWriterStayForTheGraceThenGo() throws Exception {
        String key;
        try (ChildJvm writer = child()) {
            writer.send("WRITE " + poolDir + " " + LENGTH + " 8 true");
            key = writer.awaitLine("REF ", WAIT);
            writer.kill9();
        }
        SlotRef ref = SlotRef.parse(key);
        pool.close();
        assertThat(PoolJanitor.sweep(poolDir, Duration.ofMinutes(5), clock).segmentsRemoved()).isZero();
        try (PinnedSlot pinned = reader.open(ref)) {
            assertThat(pinned.block().get(LENGTH - 1)).isEqualTo((byte) 8);
            clock.advance(Duration.ofMinutes(6));
            assertThat(PoolJanitor.sweep(poolDir, Duration.ofMinutes(5), clock).segmentsRemoved())
                    .as("pinned by this reader").isZero();
        }
        assertThat(PoolJanitor.sweep(poolDir, Duration.ofMinutes(5), clock).segmentsRemoved()).isEqualTo(1);
        assertThat(listSegments()).isEmpty();
        assertThatThrownBy(() -> reader.open(ref)).isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void crashLoopOfWritersAndReadersLeaksNothing() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 4; round++) {
            SlotRef mine = publish(pool, (byte) round);
            try (ChildJvm writer = child(); ChildJvm reader = child()) {
                writer.send("WRITE " + poolDir + " " + LENGTH + " 1 " + random.nextBoolean());
                reader.send((random.nextBoolean() ? "OPEN " : "CLAIM ") + poolDir + " " + mine.key());
                reader.awaitLine("", WAIT);
                // kill both at once, at whatever point the writer reached
                writer.kill9();
                reader.kill9();
            }
            this.reader.release(mine);
            clock.advance(Duration.ofMinutes(10));
            PoolJanitor.sweep(poolDir, Duration.ofMinutes(5), clock);
            assertThat(listSegments()).as("round " + round + ": only this test's own segment").hasSize(1);
            assertThat(pool.slotsInUse()).isZero();
            assertThat(publish(pool, (byte) 9).slot()).isEqualTo(mine.slot());
            this.reader.release(new SlotRef(mine.segment(), mine.slot(), mine.generation() + 1));
        }
    }

    private List<Path> listSegments() throws Exception {
        try (Stream<Path> files = Files.list(poolDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(PoolLayout.SEGMENT_PREFIX)).toList();
        }
    }
}
