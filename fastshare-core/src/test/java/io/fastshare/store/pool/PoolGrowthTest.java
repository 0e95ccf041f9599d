package io.fastshare.store.pool;

import io.fastshare.AnotherCopyException;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.MutableClock;
import io.fastshare.format.OwnerId;
import io.fastshare.store.MemoryBudget;
import io.fastshare.store.MemoryCgroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11: the pool grows only within its limit, the free space of its filesystem and the writer's
 * memory cgroup budget, checked before a segment is written; refusals stick to the size class for a
 * while; the fall-through reason names the limit that refused; a foreign channel's lock on a segment is
 * a library exception.
 */
class PoolGrowthTest {

    private static final int SMALL = 100_000;
    private static final long MIB = 1 << 20;

    @TempDir
    Path tempDir;
    @TempDir
    Path cgroupRoot;
    private Path blockDir;
    private Path poolDir;
    private MutableClock clock;
    private final List<BlockPool> pools = new ArrayList<>();
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger probes = new AtomicInteger();

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        poolDir = blockDir.resolve(PoolLayout.DIRECTORY);
        clock = MutableClock.atNow();
    }

    @AfterEach
    void tearDown() {
        pools.forEach(BlockPool::close);
        PoolReader.trim(Duration.ZERO);
        TestDirs.deleteTree(blockDir);
    }

    private BlockPool pool(long limit, MemoryBudget memory) {
        LongSupplier usable = () -> {
            probes.incrementAndGet();
            return free.get();
        };
        BlockPool pool = new BlockPool(poolDir, PosixFilePermissions.fromString("rw-------"),
                OwnerId.random(new SecureRandom()), limit, Duration.ofSeconds(30), clock, new SecureRandom(), memory,
                usable);
        pools.add(pool);
        return pool;
    }

    private static MemoryBudget noCgroup() {
        return MemoryBudget.of(null, MemoryBudget.DEFAULT_SHARE);
    }

    private static String allocateRefused(BlockPool pool, long blockLength) {
        String[] why = {null};
        SlotWrite write = pool.allocate(blockLength, reason -> why[0] = reason);
        if (write != null) {
            write.abandon();
            throw new AssertionError("the pool took a " + blockLength + "-byte block");
        }
        assertThat(why[0]).as("reason of the fall-through").isNotNull();
        return why[0];
    }

    private long segmentFiles() throws IOException {
        if (!Files.isDirectory(poolDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(poolDir)) {
            return files.count();
        }
    }

    /** A container on cgroup v2 whose working set already uses nearly all of its 90% share. */
    private MemoryBudget tightCgroup() throws IOException {
        write("proc/self/cgroup", "0::/\n");
        write("proc/self/mountinfo", "30 25 0:26 /kubepods/pod1/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n");
        write("sys/fs/cgroup/memory.max", Long.toString(256 * MIB));
        write("sys/fs/cgroup/memory.current", Long.toString(230 * MIB));
        write("sys/fs/cgroup/memory.stat", "anon 1000\ninactive_file 0\n");
        return MemoryBudget.of(MemoryCgroup.detect(cgroupRoot).orElseThrow(), 0.9);
    }

    private void write(String path, String content) throws IOException {
        Path file = cgroupRoot.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void growthBeyondTheFilesystemsFreeSpaceFallsThroughWithoutWritingASegment() throws IOException {
        BlockPool pool = pool(1L << 30, noCgroup());
        long segment = SizeClass.forBlock(SMALL).segmentSize();
        free.set(segment - 1);

        assertThat(allocateRefused(pool, SMALL)).contains("bytes free").contains(Long.toString(segment));
        assertThat(segmentFiles()).isZero();
        assertThat(pool.capacity()).isZero();
        assertThat(pool.fallThroughs()).isEqualTo(1);
        assertThat(probes).hasValue(1);

        // Sticky: a full tmpfs is not probed again on every write...
        free.set(Long.MAX_VALUE);
        for (int i = 0; i < 5; i++) {
            assertThat(allocateRefused(pool, SMALL)).contains("bytes free");
        }
        assertThat(probes).hasValue(1);
        // ...but again after a while.
        clock.advance(PoolGrowth.RETRY.plusSeconds(1));
        pool.allocate(SMALL).abandon();
        assertThat(probes).hasValue(2);
        assertThat(segmentFiles()).isEqualTo(1);
    }

    @Test
    void growthBeyondTheMemoryCgroupBudgetFallsThroughWithoutWritingASegment() throws IOException {
        BlockPool pool = pool(1L << 30, tightCgroup());

        assertThat(allocateRefused(pool, SMALL)).contains("memory cgroup limit").contains("memory.max");
        assertThat(segmentFiles()).isZero();
        assertThat(pool.capacity()).isZero();
    }

    @Test
    void aSegmentGivenBackLiftsTheStickyRefusal() throws IOException {
        BlockPool pool = pool(1L << 30, noCgroup());
        SlotWrite small = pool.allocate(SMALL);
        long large = 20L << 20;
        free.set(0);
        assertThat(allocateRefused(pool, large)).contains("bytes free");
        free.set(Long.MAX_VALUE);
        small.abandon();
        clock.advance(Duration.ofSeconds(31));
        assertThat(pool.trim()).isEqualTo(1);

        SlotWrite write = pool.allocate(large);
        assertThat(write).as("retried at once after a segment was given back").isNotNull();
        write.abandon();
    }

    @Test
    void aFailedCreationIsNotRetriedOnEveryWrite() throws IOException {
        BlockPool pool = pool(1L << 30, noCgroup());
        // A plain file where the directory was: creating a segment fails, as on a full tmpfs.
        Files.delete(poolDir);
        Files.writeString(poolDir, "in the way");
        assertThat(allocateRefused(pool, SMALL)).contains("creating a").contains("failed");
        Files.delete(poolDir);
        Files.createDirectory(poolDir);
        assertThat(allocateRefused(pool, SMALL)).contains("failed");
        assertThat(segmentFiles()).isZero();

        clock.advance(PoolGrowth.RETRY.plusSeconds(1));
        pool.allocate(SMALL).abandon();
        assertThat(segmentFiles()).isEqualTo(1);
    }

    @Test
    void aSegmentLargerThanThePoolLimitSaysSoInsteadOfFull() {
        long limit = 4 * MIB;
        BlockPool pool = pool(limit, noCgroup());
        assertThat(allocateRefused(pool, SMALL)).contains("more than the pool's limit of " + limit)
                .doesNotContain("pool is full");
        assertThat(allocateRefused(pool, SizeClass.MAX_BLOCK + 1)).contains("largest slot");
    }

    @Test
    void aFullPoolStillSaysFull() {
        BlockPool pool = pool(SizeClass.forBlock(SMALL).segmentSize(), noCgroup());
        List<SlotWrite> writes = new ArrayList<>();
        for (int i = 0; i < SizeClass.forBlock(SMALL).slotCount(); i++) {
            writes.add(pool.allocate(SMALL));
        }
        assertThat(allocateRefused(pool, SMALL)).contains("the pool is full");
        writes.forEach(SlotWrite::abandon);
    }

    @Test
    void aLockThroughAnotherChannelInThisJvmIsALibraryException() throws IOException {
        BlockPool pool = pool(1L << 30, noCgroup());
        SlotRef ref = pool.allocate(SMALL).publish(SMALL);
        Segment segment = SegmentRegistry.useIfMapped(pool.directory().resolve(ref.segment()));
        assertThat(segment).isNotNull();
        // What another copy of the library (another class loader) would hold: its own channel's lock.
        try (FileChannel foreign = FileChannel.open(segment.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = foreign.lock(PoolLayout.pinLock(ref.slot()), 1, false);
            assertThatThrownBy(() -> segment.pin(ref.slot())).isInstanceOf(AnotherCopyException.class)
                    .hasMessageContaining("another channel in this JVM");
            lock.release();
        } finally {
            SegmentRegistry.done(segment);
            new PoolReader(poolDir, clock).release(ref);
        }
    }
}
