package io.fastshare.store.pool;

import io.fastshare.BlockNotFoundException;
import io.fastshare.InvalidTokenException;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.MutableClock;
import io.fastshare.format.OwnerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pool within one JVM: size classes, growth, fall-through, decay, pins shared by threads. */
class BlockPoolTest {

    private static final int SMALL = 100_000;

    @TempDir
    Path tempDir;
    private Path blockDir;
    private Path poolDir;
    private MutableClock clock;
    private final List<BlockPool> pools = new ArrayList<>();
    private PoolReader reader;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        poolDir = blockDir.resolve(PoolLayout.DIRECTORY);
        clock = MutableClock.atNow();
        reader = new PoolReader(poolDir, clock);
    }

    @AfterEach
    void tearDown() {
        pools.forEach(BlockPool::close);
        PoolReader.trim(Duration.ZERO);
        TestDirs.deleteTree(blockDir);
    }

    private BlockPool pool(long limit) {
        BlockPool pool = new BlockPool(poolDir, PosixFilePermissions.fromString("rw-------"),
                OwnerId.random(new SecureRandom()), limit, Duration.ofSeconds(30), clock, new SecureRandom());
        pools.add(pool);
        return pool;
    }

    @Test
    void sizeClassesFitPowersOfTwoWithTheirPreamble() {
        assertThat(SizeClass.forBlock(1).slotSize()).isEqualTo((64 << 10) + (64 << 10));
        assertThat(SizeClass.forBlock((256L << 20) + 4096).slotSize()).isEqualTo((256L << 20) + (64 << 10));
        assertThat(SizeClass.forBlock(100_000_300L).slotSize()).isEqualTo((96L << 20) + (64 << 10));
        // 256 MiB of vectors with 3 MB of ids beside them: the 1.25 step, not a 512 MiB slot
        assertThat(SizeClass.forBlock((256L << 20) + 3_000_000).slotSize()).isEqualTo((320L << 20) + (64 << 10));
        assertThat(SizeClass.of(SizeClass.COUNT - 1).slotSize()).isEqualTo(SizeClass.MAX_BLOCK);
        for (int i = 0; i < SizeClass.COUNT; i++) {
            SizeClass c = SizeClass.of(i);
            assertThat(c.slotSize() % 4096).isZero();
            assertThat(c.segmentSize()).isLessThanOrEqualTo(Integer.MAX_VALUE);
            assertThat(c.slotCount()).isBetween(1, PoolLayout.MAX_SLOTS);
            if (i > 0) {
                long previous = SizeClass.of(i - 1).slotSize();
                assertThat(c.slotSize()).as("class %d grows", i).isGreaterThan(previous);
                // a block just too large for the previous class wastes less than a fifth of this one
                assertThat((double) (c.slotSize() - previous) / c.slotSize()).isLessThan(0.2);
            }
        }
        assertThatThrownBy(() -> SizeClass.forBlock(SizeClass.MAX_BLOCK + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fullPoolFallsThroughAndCountsIt() {
        BlockPool pool = pool(SizeClass.forBlock(SMALL).segmentSize());
        int slots = SizeClass.forBlock(SMALL).slotCount();
        for (int i = 0; i < slots; i++) {
            assertThat(pool.allocate(SMALL).publish(SMALL)).isNotNull();
        }
        assertThat(pool.allocate(SMALL)).isNull();
        assertThat(pool.allocate(SizeClass.MAX_BLOCK + 1)).isNull();
        assertThat(pool.hits()).isEqualTo(slots);
        assertThat(pool.fallThroughs()).isEqualTo(2);
        assertThat(pool.slotsInUse()).isEqualTo(slots);
        assertThat(pool.bytesInUse()).isEqualTo(slots * SizeClass.forBlock(SMALL).slotSize());
        assertThat(pool.capacity()).isEqualTo(SizeClass.forBlock(SMALL).segmentSize());
    }

    @Test
    void growsOnDemandAndGivesIdleSegmentsBack() throws Exception {
        BlockPool pool = pool(1L << 30);
        List<SlotRef> refs = new ArrayList<>();
        int slots = SizeClass.forBlock(SMALL).slotCount();
        for (int i = 0; i < slots + 1; i++) {
            refs.add(pool.allocate(SMALL).publish(SMALL));
        }
        assertThat(pool.segmentCount()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(1));
        assertThat(pool.trim()).as("blocks still published").isZero();
        refs.forEach(reader::release);
        try (PinnedSlot stale = reader.open(refs.get(0))) {
            throw new AssertionError("released block opened: " + stale.ref());
        } catch (BlockNotFoundException expected) {
            // released
        }
        assertThat(pool.trim()).isEqualTo(2);
        assertThat(pool.capacity()).isZero();
        try (var files = Files.list(poolDir)) {
            assertThat(files).isEmpty();
        }
        assertThatThrownBy(() -> reader.open(refs.get(1))).isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void idleSegmentPinnedInThisJvmIsKept() {
        BlockPool pool = pool(1L << 30);
        SlotRef ref = pool.allocate(SMALL).publish(SMALL);
        try (PinnedSlot pinned = reader.open(ref)) {
            reader.release(ref);
            clock.advance(Duration.ofMinutes(1));
            assertThat(pool.trim()).isZero();
            assertThat(pinned.block().remaining()).isEqualTo(SMALL);
        }
        assertThat(pool.trim()).isEqualTo(1);
    }

    @Test
    void pinsOfSeveralReadersInOneJvmAreCounted() {
        BlockPool pool = pool(SizeClass.forBlock(SMALL).segmentSize());
        SlotRef ref = pool.allocate(SMALL).publish(SMALL);
        PinnedSlot first = reader.open(ref);
        PinnedSlot second = new PoolReader(poolDir, clock).open(ref);
        reader.release(ref);
        first.close();
        // the second pin still protects the slot: every other slot is taken, the released one is pinned
        List<SlotWrite> others = new ArrayList<>();
        SlotWrite write;
        while ((write = pool.allocate(SMALL)) != null) {
            assertThat(write.ref().slot()).isNotEqualTo(ref.slot());
            others.add(write);
        }
        second.close();
        SlotWrite reused = pool.allocate(SMALL);
        assertThat(reused.ref().slot()).isEqualTo(ref.slot());
        reused.abandon();
        others.forEach(SlotWrite::abandon);
    }

    @Test
    void abandonedWriteGivesTheSlotBackAndPublishesNothing() {
        BlockPool pool = pool(SizeClass.forBlock(SMALL).segmentSize());
        SlotWrite write = pool.allocate(SMALL);
        SlotRef ref = write.ref();
        assertThatThrownBy(() -> reader.open(ref)).isInstanceOf(BlockNotFoundException.class);
        write.close();
        assertThat(pool.slotsInUse()).isZero();
        assertThatThrownBy(() -> reader.open(ref)).isInstanceOf(BlockNotFoundException.class);
        assertThatThrownBy(() -> write.publish(SMALL)).isInstanceOf(io.fastshare.FastShareException.class);
    }

    @Test
    void interruptedThreadsKeepTheSegmentChannelOpen() {
        BlockPool pool = pool(SizeClass.forBlock(SMALL).segmentSize());
        SlotRef ref = pool.allocate(SMALL).publish(SMALL);
        try (PinnedSlot held = reader.open(ref)) {
            Thread.currentThread().interrupt();
            try {
                reader.open(ref).close();
                assertThat(reader.release(ref)).isTrue();
                SlotWrite write = pool.allocate(SMALL);
                write.publish(SMALL);
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(held.block().remaining()).isEqualTo(SMALL);
            assertThat(pool.allocate(SMALL)).isNotNull();
        }
    }

    @Test
    void keysAreStrict() {
        SlotRef ref = new SlotRef("FSHP_" + "a".repeat(32), 3, 42);
        assertThat(SlotRef.parse(ref.key())).isEqualTo(ref);
        for (String bad : List.of("FSHP_" + "a".repeat(32) + ".3.0", "FSHP_" + "a".repeat(32) + ".03.1",
                "FSHP_" + "A".repeat(32) + ".3.1", "FSHP_" + "a".repeat(32) + ".32.1",
                "../FSHP_" + "a".repeat(32) + ".3.1", "FSHP_" + "a".repeat(32) + ".3.1 ")) {
            assertThatThrownBy(() -> SlotRef.parse(bad)).as(bad).isInstanceOf(InvalidTokenException.class);
        }
    }
}
