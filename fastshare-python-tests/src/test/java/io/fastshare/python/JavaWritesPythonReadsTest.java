package io.fastshare.python;

import io.fastshare.SharedBlock;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocks written by Java, read by Python processes through {@code fastshare_interop}: raw arrays of every
 * element type, strings, structured records with out-of-band arrays, inline tokens, and one shared block
 * loaded by four Python workers, each mapping it once.
 */
class JavaWritesPythonReadsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    void pythonReadsRawStructuredAndInlineBlocksZeroCopy() {
        Path dir = TestDirs.blockDir(temp);
        Map<String, Object> values = new LinkedHashMap<>();
        float[] floats = new float[300_000];
        double[] doubles = new double[200_000];
        int[] ints = new int[100_000];
        long[] longs = new long[100_000];
        short[] shorts = new short[60_000];
        char[] chars = new char[60_000];
        byte[] bytes = new byte[250_000];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = i * 0.5f;
        }
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = Math.sqrt(i);
        }
        for (int i = 0; i < ints.length; i++) {
            ints[i] = i - 50_000;
            longs[i] = i * 3_000_000_000L;
        }
        for (int i = 0; i < shorts.length; i++) {
            shorts[i] = (short) (i - 30_000);
            chars[i] = (char) i;
        }
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        values.put("float32", floats);
        values.put("float64", doubles);
        values.put("int32", ints);
        values.put("int64", longs);
        values.put("int16", shorts);
        values.put("uint16", chars);
        values.put("bytes", bytes);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).build();
                SharedMemoryTemplate inlining = SharedMemoryTemplate.builder().directory(dir).build()) {
            List<String> tokens = new ArrayList<>();
            for (Object value : values.values()) {
                tokens.add(template.write(value));
            }
            String text = "héllo from java ✓ ".repeat(1000);
            tokens.add(template.write(text));
            float[] vectors = new float[1000 * 384];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = (i % 1000) * 0.25f;
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                ids.add("id-" + i);
            }
            tokens.add(template.write(new Embeddings("minilm", ids, vectors)));
            String inline = inlining.write(new float[] {1.5f, 2.5f, 3.5f});
            assertThat(inline).startsWith("FSHR:inl:");
            tokens.add(inline);

            List<String> out = describe(dir, tokens);
            int i = 0;
            for (Map.Entry<String, Object> entry : values.entrySet()) {
                String line = out.get(i++);
                boolean bytesAsMemoryview = entry.getValue() instanceof byte[];
                if (bytesAsMemoryview) {
                    assertThat(line).contains("\"type\": \"memoryview\"").contains("\"length\": 250000");
                } else {
                    assertThat(line).contains("\"type\": \"ndarray\"").contains("\"dtype\": \"" + entry.getKey() + "\"");
                }
                assertThat(line).as(entry.getKey()).contains("\"sha256\": \"" + Python.sha256(Python.littleEndian(entry.getValue())) + "\"")
                        .contains("\"writeable\": false");
            }
            assertThat(out.get(i++)).contains("\"type\": \"str\"").contains(jsonEscapedStart(text));
            String structured = out.get(i++);
            assertThat(structured).startsWith("{\"type\": \"dict\"").contains("\"model\": {\"type\": \"str\", \"value\": \"minilm\"}")
                    .contains("{\"type\": \"str\", \"value\": \"id-999\"}")
                    .contains("\"dtype\": \"float32\", \"shape\": [384000], \"sha256\": \""
                            + Python.sha256(Python.littleEndian(vectors)) + "\", \"writeable\": false");
            assertThat(out.get(i)).contains("\"dtype\": \"float32\"")
                    .contains(Python.sha256(Python.littleEndian(new float[] {1.5f, 2.5f, 3.5f})));
            for (String token : tokens) {
                template.release(token);
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void fourPythonWorkersLoadOneSharedBlockWithOneMappingEach() {
        Path dir = TestDirs.blockDir(temp);
        float[] vectors = new float[1_000_000];
        java.util.Arrays.fill(vectors, 1f);
        // A block file: the workers count their mappings of its file (pooled blocks: PooledBlocksTest).
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build();
                SharedBlock block = template.share(new Embeddings("m", List.of("a"), vectors))) {
            assertThat(block.token()).startsWith("FSHR:shm:");
            List<ChildJvm> workers = new ArrayList<>();
            try {
                for (int w = 0; w < 4; w++) {
                    workers.add(Python.start(dir, Python.peer(), "load", block.token()));
                }
                for (ChildJvm worker : workers) {
                    assertThat(worker.awaitLine("LOADED ", TIMEOUT)).isEqualTo("1000000.0 True 1");
                    assertThat(worker.awaitExit(TIMEOUT)).isZero();
                }
            } finally {
                workers.forEach(ChildJvm::close);
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    private static List<String> describe(Path dir, List<String> tokens) {
        List<String> args = new ArrayList<>();
        args.add("describe");
        args.addAll(tokens);
        try (ChildJvm python = Python.start(dir, Python.peer(), args.toArray(String[]::new))) {
            assertThat(python.awaitExit(TIMEOUT)).as("python output %s", python.output()).isZero();
            assertThat(python.output()).hasSize(tokens.size());
            return python.output();
        }
    }

    private static String jsonEscapedStart(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.substring(0, 20).toCharArray()) {
            out.append(c < 0x80 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return new String(out.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
