package io.fastshare.store.pool;

import io.fastshare.BlockLoan;
import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The template with a pool: pooled tokens, reads, views, take, release, fall-through and loans. */
class PooledTemplateTest {

    @TempDir
    Path tempDir;
    private Path dir;
    private SharedMemoryTemplate writer;
    private SharedMemoryTemplate reader;

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tempDir);
        writer = SharedMemoryTemplate.builder().directory(dir).threshold(1024).poolSize(64L << 20).build();
        reader = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build();
    }

    @AfterEach
    void tearDown() {
        writer.close();
        reader.close();
        PoolReader.trim(Duration.ZERO);
        TestDirs.assertNoBlocks(dir);
    }

    private static float[] floats(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.25f;
        }
        return values;
    }

    @Test
    void writeReadOpenTakeThroughThePool() {
        float[] values = floats(250_000);
        String token = writer.write(values);
        assertThat(token).startsWith("FSHR:pool:FSHP_");
        assertThat(Arrays.equals(reader.read(token, float[].class), values)).isTrue();
        try (SharedPayload payload = reader.open(token)) {
            FloatBuffer view = payload.view(0).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            assertThat(view.get(values.length - 1)).isEqualTo(values[values.length - 1]);
            assertThat(Arrays.equals(payload.value(float[].class), values)).isTrue();
        }
        assertThat(Arrays.equals(reader.take(token, float[].class), values)).isTrue();
        assertThatThrownBy(() -> reader.take(token, float[].class)).isInstanceOf(BlockNotFoundException.class);
        assertThatThrownBy(() -> reader.read(token, float[].class)).isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void openViewOutlivesReleaseAndTheSlotIsReusedOnlyAfterwards() {
        String token = writer.write(floats(300_000), WriteOptions.defaults());
        SharedPayload payload = reader.open(token);
        assertThat(writer.release(token)).isTrue();
        assertThat(writer.release(token)).isFalse();
        assertThatThrownBy(() -> reader.read(token, float[].class)).isInstanceOf(BlockNotFoundException.class);
        String second = writer.write(floats(300_000));
        assertThat(slotOf(second)).isNotEqualTo(slotOf(token));
        assertThat(payload.value(float[].class)[299_999]).isEqualTo(299_999 * 0.25f);
        payload.close();
        writer.release(second);
    }

    private static String slotOf(String token) {
        SlotRef ref = SlotRef.parse(token.substring("FSHR:pool:".length()));
        return ref.segment() + "." + ref.slot();
    }

    @Test
    void fullPoolFallsThroughToBlockFiles() {
        // 9 MB blocks: the 10 MiB class, one slot per segment, so a pool of one segment is full after one block
        int size = 9_000_000;
        assertThat(SizeClass.forBlock(size).slotCount()).isEqualTo(1);
        try (SharedMemoryTemplate small = SharedMemoryTemplate.builder().directory(dir).threshold(1024)
                .poolSize(SizeClass.forBlock(size).segmentSize()).build()) {
            String first = small.write(new byte[size]);
            String second = small.write(new byte[size]);
            assertThat(first).startsWith("FSHR:pool:");
            assertThat(second).startsWith("FSHR:shm:FSHR_");
            assertThat(reader.read(second, byte[].class)).hasSize(size);
            PoolBlockStore pool = (PoolBlockStore) small.stores().forKind(PoolBlockStore.KIND).orElseThrow();
            assertThat(pool.pool().orElseThrow().hits()).isEqualTo(1);
            assertThat(pool.pool().orElseThrow().fallThroughs()).isEqualTo(1);
            List<BlockInfo> listed = small.stores().blocks();
            assertThat(listed).extracting(BlockInfo::kind).contains("pool", "shm");
        }
    }

    @Test
    void loanIsWrittenInPlaceAndReadWithoutCopies() {
        String token;
        try (BlockLoan loan = writer.loan(4L * 1_000_000)) {
            assertThat(loan.pooled()).isTrue();
            FloatBuffer out = loan.buffer().asFloatBuffer();
            for (int i = 0; i < 1_000_000; i++) {
                out.put(i, i);
            }
            token = loan.publish();
        }
        assertThat(token).startsWith("FSHR:pool:");
        try (SharedPayload payload = reader.open(token)) {
            ByteBuffer view = payload.view(0).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(view.capacity()).isEqualTo(4_000_000);
            assertThat(view.asFloatBuffer().get(999_999)).isEqualTo(999_999f);
        }
        assertThat(reader.take(token, byte[].class)).hasSize(4_000_000);
    }

    @Test
    void unpublishedLoanGivesItsSlotBack() {
        PoolBlockStore store = (PoolBlockStore) writer.stores().forKind(PoolBlockStore.KIND).orElseThrow();
        try (BlockLoan loan = writer.loan(1_000_000)) {
            loan.buffer().put(0, (byte) 1);
            assertThat(store.pool().orElseThrow().slotsInUse()).isEqualTo(1);
        }
        assertThat(store.pool().orElseThrow().slotsInUse()).isZero();
        assertThatThrownBy(() -> writer.loan(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loanWithoutAPoolIsALocalBufferWrittenAtPublish() {
        try (BlockLoan loan = reader.loan(2_000_000)) {
            assertThat(loan.pooled()).isFalse();
            loan.buffer().put(1_999_999, (byte) 7);
            String token = loan.publish();
            assertThat(token).startsWith("FSHR:shm:");
            assertThat(writer.take(token, byte[].class)[1_999_999]).isEqualTo((byte) 7);
        }
    }

    @Test
    void cleanupGivesIdleSegmentsBack() {
        try (SharedMemoryTemplate quick = SharedMemoryTemplate.builder().directory(dir).threshold(1024)
                .poolSize(64L << 20).poolIdleTimeout(Duration.ZERO).build()) {
            String token = quick.write(new byte[200_000]);
            PoolBlockStore store = (PoolBlockStore) quick.stores().forKind(PoolBlockStore.KIND).orElseThrow();
            quick.cleanup(new CleanupOptions(false, Duration.ofMinutes(1)));
            assertThat(store.pool().orElseThrow().segmentCount()).isEqualTo(1);
            quick.release(token);
            quick.cleanup(new CleanupOptions(false, Duration.ofMinutes(1)));
            assertThat(store.pool().orElseThrow().segmentCount()).isZero();
        }
    }

    @Test
    void aDryRunReportsTheExpiredPooledBlockAndKeepsIt() {
        io.fastshare.cleanup.MutableClock clock = io.fastshare.cleanup.MutableClock.atNow();
        try (SharedMemoryTemplate timed = SharedMemoryTemplate.builder().directory(dir).threshold(1024)
                .poolSize(64L << 20).clock(clock).build()) {
            String token = timed.write(new byte[200_000], io.fastshare.WriteOptions.defaults().ttl(Duration.ofMinutes(1)));
            clock.advance(Duration.ofMinutes(2));
            String key = token.substring("FSHR:pool:".length());

            io.fastshare.cleanup.CleanupResult dry = timed.cleanup(new CleanupOptions(true, Duration.ofMinutes(1)));

            assertThat(dry.dryRun()).isTrue();
            assertThat(dry.cleaned()).extracting(io.fastshare.cleanup.CleanupResult.Reclaimed::name).contains(key);
            assertThat(reader.read(token, byte[].class)).hasSize(200_000);

            io.fastshare.cleanup.CleanupResult real = timed.cleanup(new CleanupOptions(false, Duration.ofMinutes(1)));

            assertThat(real.cleaned()).extracting(io.fastshare.cleanup.CleanupResult.Reclaimed::name).contains(key);
            assertThatThrownBy(() -> reader.read(token, byte[].class)).isInstanceOf(BlockNotFoundException.class);
        }
    }
}
