package io.fastshare.store.pool;

import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.MutableClock;
import io.fastshare.codec.ArraySources;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockDecoder;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;
import io.fastshare.format.OwnerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Blocks in slots decode like any block; fuzzed segment headers and slot entries fail cleanly. */
class PooledBlockFormatTest {

    @TempDir
    Path tempDir;
    private Path blockDir;
    private Path poolDir;
    private MutableClock clock;
    private BlockPool pool;
    private PoolReader reader;
    private final OwnerId owner = OwnerId.random(new SecureRandom());

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        poolDir = blockDir.resolve(PoolLayout.DIRECTORY);
        clock = MutableClock.atNow();
        pool = new BlockPool(poolDir, PosixFilePermissions.fromString("rw-------"), owner, 1L << 30,
                Duration.ofSeconds(30), clock, new SecureRandom());
        reader = new PoolReader(poolDir, clock);
    }

    @AfterEach
    void tearDown() {
        pool.close();
        PoolReader.trim(Duration.ZERO);
        TestDirs.deleteTree(blockDir);
    }

    private SlotRef writeFloats(float[] values, long expires, boolean crc) {
        BlockPreamble preamble = BlockPreamble.plan("raw", "float[]".getBytes(), List.of(
                BufferSpec.vector(ElementType.FLOAT32, values.length)), owner, 1, clock.millis(), expires, crc);
        SlotWrite write = pool.allocate(preamble.header().totalLength());
        SlotBlockWriter.write(write, preamble, List.of(new PayloadBuffer(
                BufferSpec.vector(ElementType.FLOAT32, values.length), ArraySources.ofArray(values))));
        return write.publish(preamble.header().totalLength());
    }

    @Test
    void blockInASlotDecodesAndReusedSlotsCarryNoOldBytes() {
        float[] big = new float[50_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        SlotRef first = writeFloats(big, 0, true);
        reader.release(first);
        float[] small = {1f, 2f, 3f};
        SlotRef second = writeFloats(small, 0, true);
        try (PinnedBlockContent content = new PinnedBlockContent(reader.open(second))) {
            ByteBuffer all = content.all();
            BlockHeader header = BlockDecoder.decodeHeader(all, all.remaining(), second.key());
            BlockPreamble preamble = BlockDecoder.decodePreamble(header,
                    all.slice(0, (int) header.preambleLength()), second.key());
            ByteBuffer floats = content.view(preamble.buffers().get(0));
            assertThat(floats.getFloat(8)).isEqualTo(3f);
            assertThat(header.totalLength()).isEqualTo(all.remaining());
        }
    }

    @Test
    void expiredBlocksAreFreedByTheJanitor() {
        SlotRef ref = writeFloats(new float[10], clock.millis() + 1000, false);
        assertThat(PoolJanitor.sweep(poolDir, Duration.ofMinutes(1), clock).slotsFreed()).isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(PoolJanitor.sweep(poolDir, Duration.ofMinutes(1), clock).slotsFreed()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.open(ref))
                .isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void fuzzedSegmentHeadersAndSlotEntriesFailCleanly() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            SlotRef ref = writeFloats(new float[100], 0, false);
            Path file = poolDir.resolve(ref.segment());
            boolean header = random.nextBoolean();
            int offset = header ? random.nextInt(64)
                    : (int) PoolLayout.entryOffset(ref.slot()) + random.nextInt(PoolLayout.SLOT_ENTRY_LENGTH);
            // corrupt through this JVM's mapping: a second channel closed here would drop its locks
            Segment segment = SegmentRegistry.use(file);
            ByteBuffer raw = segment.slotBuffer(0).duplicate();
            ByteBuffer whole = rawHeader(segment);
            whole.put(offset, (byte) random.nextInt(256));
            SegmentRegistry.done(segment);
            try (PinnedSlot pinned = reader.open(ref)) {
                assertThat(pinned.length()).isLessThanOrEqualTo(segment.slotSize());
            } catch (FastShareException expected) {
                // not found or corrupt: clean
            }
            reader.release(ref);
            PoolJanitor.list(poolDir);
            PoolJanitor.sweep(poolDir, Duration.ZERO, clock);
            assertThat(raw.capacity()).isPositive();
        }
    }

    private static ByteBuffer rawHeader(Segment segment) {
        // the header precedes slot 0; reach it through a fresh view of this JVM's mapping
        return segment.headerBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
