package io.fastshare.python;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocks written by a Python process, read by Java: numpy arrays of every dtype as Java arrays (n-dimensional
 * ones flattened in C order), bytes, str, a dict read as a Java record, a payload checksum computed by
 * Python's CRC32C and verified by Java's, inline tokens, and untyped reads of nested maps.
 */
class PythonWritesJavaReadsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    @SuppressWarnings("unchecked")
    void javaReadsWhatPythonWrote() {
        Path dir = TestDirs.blockDir(temp);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).allowedTypes("java.util.**")
                .build();
                ChildJvm python = Python.start(dir, Python.peer(), "write")) {
            Map<String, String> tokens = new HashMap<>();
            for (int i = 0; i < 14; i++) {
                String[] line = python.awaitLine("TOKEN ", TIMEOUT).split(" ", 2);
                tokens.put(line[0], line[1]);
            }
            python.awaitLine("READY", TIMEOUT);

            float[] floats = template.read(tokens.get("floats"), float[].class);
            assertThat(floats).hasSize(300_000);
            for (int i = 0; i < floats.length; i++) {
                assertThat(floats[i]).isEqualTo(i * 0.5f);
            }
            double[] doubles = template.read(tokens.get("doubles2d"), double[].class);
            assertThat(doubles).hasSize(60_000);
            for (int i = 0; i < doubles.length; i++) {
                assertThat(doubles[i]).isEqualTo(Math.sqrt(i));
            }
            int[] ints = template.read(tokens.get("ints"), int[].class);
            long[] longs = template.read(tokens.get("longs"), long[].class);
            assertThat(ints).hasSize(100_000);
            for (int i = 0; i < ints.length; i++) {
                assertThat(ints[i]).isEqualTo(i - 50_000);
                assertThat(longs[i]).isEqualTo(i * 3_000_000_000L);
            }
            short[] shorts = template.read(tokens.get("shorts"), short[].class);
            char[] chars = template.read(tokens.get("chars"), char[].class);
            for (int i = 0; i < 60_000; i++) {
                assertThat(shorts[i]).isEqualTo((short) (i - 30_000));
                assertThat(chars[i]).isEqualTo((char) i);
            }
            byte[] unsigned = template.read(tokens.get("ubytes"), byte[].class);
            byte[] signed = template.read(tokens.get("sbytes"), byte[].class);
            for (int i = 0; i < 250_000; i++) {
                assertThat(unsigned[i]).isEqualTo((byte) (i % 256));
                assertThat(signed[i]).isEqualTo((byte) (i % 256 - 128));
            }
            assertThat(template.read(tokens.get("bytes"), byte[].class))
                    .isEqualTo("hello from python ".repeat(20_000).getBytes(StandardCharsets.UTF_8));
            assertThat(template.read(tokens.get("string"), String.class)).isEqualTo("héllo from python ✓ ".repeat(10_000));
            assertThat((Object) template.read(tokens.get("string"))).isInstanceOf(String.class);

            Embeddings embeddings = template.read(tokens.get("embeddings"), Embeddings.class);
            assertThat(embeddings.model()).isEqualTo("minilm");
            assertThat(embeddings.ids()).hasSize(1000).startsWith("id-0").endsWith("id-999");
            assertThat(embeddings.vectors()).hasSize(384_000);
            for (int i = 0; i < embeddings.vectors().length; i++) {
                assertThat(embeddings.vectors()[i]).isEqualTo((i % 1000) * 0.25f);
            }
            // Python computed the payload CRC32C; Java verifies it on every read
            float[] checksummed = template.read(tokens.get("checksummed"), float[].class);
            assertThat(checksummed[299_999]).isEqualTo(299_999f);

            Embeddings inline = template.read(tokens.get("inline"), Embeddings.class);
            assertThat(tokens.get("inline")).startsWith("FSHR:inl:");
            assertThat(inline.model()).isEqualTo("tiny");
            assertThat(inline.vectors()).containsExactly(0f, 1f, 2f, 3f);

            Map<String, Object> map = (Map<String, Object>) template.read(tokens.get("map"));
            assertThat((double[]) map.get("a")).hasSize(5000).startsWith(0, 1, 2);
            List<Object> b = (List<Object>) map.get("b");
            assertThat((int[]) b.get(0)).hasSize(2000).endsWith(1999);
            assertThat(b.subList(1, 3)).containsExactly(7, "x");
            assertThat((short[]) ((Map<?, ?>) map.get("c")).get("d")).hasSize(3000).endsWith((short) 2999);

            // the Python writer is alive: the Java janitor must keep every one of its blocks
            List<BlockInfo> blocks = template.blocks();
            assertThat(blocks).hasSize(13).allMatch(block -> block.state() == BlockState.LIVE && !block.ownedByThisProcess());
            for (String token : tokens.values()) {
                template.release(token);
            }
            python.closeInput();
            assertThat(python.awaitExit(TIMEOUT)).isZero();
        }
        TestDirs.assertNoBlocks(dir);
    }
}
