package io.fastshare.python;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.store.BlockDirectory;
import io.fastshare.store.pool.BlockPool;
import io.fastshare.store.pool.PinnedSlot;
import io.fastshare.store.pool.PoolReader;
import io.fastshare.store.pool.SlotRef;
import io.fastshare.store.pool.SlotWrite;
import io.fastshare.testing.ChildJvm;
import io.fastshare.token.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pooled blocks published by a Java {@link BlockPool}, used by Python processes through the slot protocol
 * of docs/block-format.md: read (zero-copy, raw and structured), release, take, and take races against a
 * Java claim with exactly one winner per token.
 */
class PooledBlocksTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String POOL_PREFIX = "FSHR:pool:";

    @TempDir
    Path temp;

    @Test
    void pythonReadsTakesAndReleasesBlocksOfAJavaPool() {
        Path dir = TestDirs.blockDir(temp);
        float[] floats = new float[100_000];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = i * 0.5f;
        }
        float[] vectors = new float[10 * 384];
        Arrays.fill(vectors, 0.25f);
        // The template only encodes blocks (forced inline) for the test's own pool: no inline limit, no pool.
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).maxInlineSize(16L << 20)
                .poolSize(0).build();
                BlockPool pool = new BlockPool(dir.resolve(".pool"), BlockDirectory.DEFAULT_FILE_PERMISSIONS,
                        template.ownerId(), 64L << 20, Duration.ofMinutes(5), Clock.systemUTC(), new SecureRandom())) {
            PoolReader reader = new PoolReader(dir.resolve(".pool"), Clock.systemUTC());
            String raw = publish(pool, template, floats);
            String record = publish(pool, template, new Embeddings("pooled", List.of("a"), vectors));
            String text = publish(pool, template, "héllo pool");
            String taken = publish(pool, template, new float[] {1, 2, 3});
            String released = publish(pool, template, new float[] {4, 5});

            List<String> out;
            try (ChildJvm python = Python.start(dir, Python.peer(), "describe", raw, record, text)) {
                assertThat(python.awaitExit(TIMEOUT)).isZero();
                out = python.output();
            }
            assertThat(out.get(0)).contains("\"dtype\": \"float32\", \"shape\": [100000], \"sha256\": \""
                    + Python.sha256(Python.littleEndian(floats)) + "\", \"writeable\": false");
            assertThat(out.get(1)).contains("\"value\": \"pooled\"").contains(Python.sha256(Python.littleEndian(vectors)));
            assertThat(out.get(2)).contains("\"type\": \"str\"");
            // Python's pins are gone with its process: Java can still open every block
            try (PinnedSlot slot = reader.open(SlotRef.parse(raw.substring(POOL_PREFIX.length())))) {
                assertThat(slot).isNotNull();
            }

            try (ChildJvm python = Python.start(dir, Python.peer(), "release", released, released)) {
                assertThat(python.awaitLine("RELEASED ", TIMEOUT)).isEqualTo(released + " True");
                assertThat(python.awaitLine("RELEASED ", TIMEOUT)).isEqualTo(released + " False");
                assertThat(python.awaitExit(TIMEOUT)).isZero();
            }
            assertThatThrownBy(() -> reader.open(SlotRef.parse(released.substring(POOL_PREFIX.length()))))
                    .isInstanceOf(BlockNotFoundException.class);

            try (ChildJvm python = Python.start(dir, Python.peer(), "take")) {
                python.send(taken);
                assertThat(python.awaitLine("WON ", TIMEOUT)).isEqualTo(taken + " 6.0");
                python.send(taken);
                assertThat(python.awaitLine("LOST ", TIMEOUT)).isEqualTo(taken);
                python.closeInput();
                assertThat(python.awaitExit(TIMEOUT)).isZero();
            }
            assertThatThrownBy(() -> reader.claim(SlotRef.parse(taken.substring(POOL_PREFIX.length()))))
                    .isInstanceOf(BlockNotFoundException.class);
            for (String left : List.of(raw, record, text)) {
                assertThat(reader.release(SlotRef.parse(left.substring(POOL_PREFIX.length())))).isTrue();
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void pythonReadsWhatAPoolingTemplateWrote() {
        Path dir = TestDirs.blockDir(temp);
        float[] floats = new float[200_000];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = i;
        }
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(16L << 20).build()) {
            String token = template.write(floats);
            String record = template.write(new Embeddings("via template", List.of("x"), floats));
            assertThat(token).startsWith(POOL_PREFIX);
            assertThat(record).startsWith(POOL_PREFIX);
            try (ChildJvm python = Python.start(dir, Python.peer(), "describe", token, record)) {
                assertThat(python.awaitExit(TIMEOUT)).isZero();
                assertThat(python.output().get(0)).contains("\"sha256\": \"" + Python.sha256(Python.littleEndian(floats))
                        + "\", \"writeable\": false");
                assertThat(python.output().get(1)).contains("\"value\": \"via template\"");
            }
            try (ChildJvm python = Python.start(dir, Python.peer(), "take")) {
                python.send(token);
                assertThat(python.awaitLine("WON ", TIMEOUT)).startsWith(token);
                python.closeInput();
                assertThat(python.awaitExit(TIMEOUT)).isZero();
            }
            assertThatThrownBy(() -> template.read(token, float[].class)).isInstanceOf(BlockNotFoundException.class);
            assertThat(template.release(record)).isTrue();
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void exactlyOneOfJavaAndPythonTakesEachPooledBlock() {
        Path dir = TestDirs.blockDir(temp);
        SplittableRandom random = new SplittableRandom(14);
        int javaWins = 0;
        int pythonWins = 0;
        int rounds = 40;
        // The template only encodes blocks (forced inline) for the test's own pool: no inline limit, no pool.
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).maxInlineSize(16L << 20)
                .poolSize(0).build();
                BlockPool pool = new BlockPool(dir.resolve(".pool"), BlockDirectory.DEFAULT_FILE_PERMISSIONS,
                        template.ownerId(), 64L << 20, Duration.ofMinutes(5), Clock.systemUTC(), new SecureRandom());
                ChildJvm python = Python.start(dir, Python.peer(), "take")) {
            PoolReader reader = new PoolReader(dir.resolve(".pool"), Clock.systemUTC());
            for (int round = 0; round < rounds; round++) {
                float[] payload = new float[1000];
                Arrays.fill(payload, round);
                String token = publish(pool, template, payload);
                python.send(token);
                LockSupport.parkNanos(random.nextLong(0, 3_000_000));
                boolean javaWon;
                try (PinnedSlot claimed = reader.claim(SlotRef.parse(token.substring(POOL_PREFIX.length())))) {
                    javaWon = claimed != null;
                } catch (BlockNotFoundException e) {
                    javaWon = false;
                }
                String answer = python.awaitLine(javaWon ? "LOST " : "WON ", TIMEOUT);
                if (javaWon) {
                    assertThat(answer).isEqualTo(token);
                    javaWins++;
                } else {
                    assertThat(answer).isEqualTo(token + " " + (1000.0 * round));
                    pythonWins++;
                }
            }
            python.closeInput();
            assertThat(python.awaitExit(TIMEOUT)).isZero();
        }
        System.out.println("POOLED TAKE RACE: " + rounds + " tokens, Java won " + javaWins + ", Python won " + pythonWins);
        assertThat(javaWins + pythonWins).isEqualTo(rounds);
        TestDirs.assertNoBlocks(dir);
    }

    /** Publishes a value's block in a pool slot, as the pool's writer side does. */
    private static String publish(BlockPool pool, SharedMemoryTemplate template, Object value) {
        String inline = template.write(value, WriteOptions.defaults().inline());
        byte[] block = ((Token.Inline) Token.parse(inline, 1L << 30)).bytes();
        SlotWrite write = pool.allocate(block.length);
        assertThat(write).isNotNull();
        write.buffer().put(block);
        SlotRef ref = write.publish(block.length);
        return POOL_PREFIX + ref.key();
    }
}
