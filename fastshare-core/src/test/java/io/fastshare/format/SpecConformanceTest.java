package io.fastshare.format;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads blocks with nothing but the numbers written in docs/block-format.md (deliberately not the
 * {@link BlockLayout} constants), so the implementation and the spec cannot drift apart unnoticed.
 */
class SpecConformanceTest {

    @TempDir
    Path temp;

    @Test
    void blockFileMatchesTheSpec() throws Exception {
        Path dir = TestDirs.blockDir(temp);
        float[] vectors = new float[300_000];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = i * 0.5f;
        }
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0)
                .defaultTtl(Duration.ofMinutes(3)).build()) {
            String token = template.write(vectors);
            byte[] block = Files.readAllBytes(dir.resolve(token.substring(9)));
            ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);

            assertThat(new String(block, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("FSHR");
            assertThat(b.getShort(4)).isEqualTo((short) 1);
            assertThat(b.getShort(6)).isEqualTo((short) 128);
            assertThat(new String(block, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("CMIT");
            assertThat(b.getInt(12)).isZero();
            assertThat(b.getLong(16)).isEqualTo(block.length);
            long created = b.getLong(24);
            assertThat(b.getLong(32) - created).isEqualTo(Duration.ofMinutes(3).toMillis());
            assertThat(HexFormat.of().formatHex(block, 40, 56)).isEqualTo(template.ownerId().toHex());
            assertThat(b.getLong(56)).isEqualTo(ProcessHandle.current().pid());
            assertThat(b.getInt(64)).isEqualTo(1);
            int metadataLength = b.getInt(68);
            assertThat(b.getLong(72)).isEqualTo(128 + 64);
            assertThat(new String(block, 192, metadataLength, StandardCharsets.US_ASCII)).isEqualTo("float[]");
            assertThat(new String(block, 88, 16, StandardCharsets.US_ASCII)).isEqualTo("raw" + "\0".repeat(13));

            // header CRC: bytes [0, metadata end) with commit state and the CRC field zeroed
            byte[] preamble = java.util.Arrays.copyOf(block, 192 + metadataLength);
            java.util.Arrays.fill(preamble, 8, 12, (byte) 0);
            java.util.Arrays.fill(preamble, 84, 88, (byte) 0);
            CRC32C crc = new CRC32C();
            crc.update(preamble);
            assertThat(b.getInt(84)).isEqualTo((int) crc.getValue());

            // buffer table entry 0
            long offset = b.getLong(128);
            assertThat(offset % 64).isZero();
            assertThat(b.getLong(136)).isEqualTo(vectors.length * 4L);
            assertThat(block[144]).isEqualTo((byte) 6);
            assertThat(block[145]).isEqualTo((byte) 1);
            assertThat(b.getLong(152)).isEqualTo(vectors.length);
            float[] read = new float[vectors.length];
            b.position((int) offset);
            b.asFloatBuffer().get(read);
            assertThat(read).isEqualTo(vectors);
            assertThat(offset + vectors.length * 4L).isEqualTo(block.length);
            template.release(token);
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void pythonPackageReadsJavaBlocks() throws Exception {
        Path pythonDir = locate("python/fastshare_interop");
        Assumptions.assumeTrue(pythonDir != null, "python/fastshare_interop not found from " + Path.of("").toAbsolutePath());
        Assumptions.assumeTrue(commandWorks("python3", "-c", "import numpy"),
                "python3 with numpy is not installed: Python reader check skipped");
        Path dir = TestDirs.blockDir(temp);
        double[] column = new double[200_000];
        for (int i = 0; i < column.length; i++) {
            column[i] = Math.sqrt(i);
        }
        // The package validates every rule of the spec (header CRC32C included) before it maps anything.
        String script = String.join("\n",
                "import hashlib, sys, fastshare_interop as fs",
                "for token in sys.argv[1:]:",
                "    with fs.open(token) as b:",
                "        v = b.buffers[0]",
                "        print(b.codec, b.metadata.decode(), b.owner, getattr(v, 'dtype', 'str'), getattr(v, 'shape', ''),",
                "              hashlib.sha256(v.tobytes() if hasattr(v, 'tobytes') else v.encode()).hexdigest())");
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build()) {
            String shared = template.write(column);
            String inline = template.write("hello, python");
            assertThat(inline).startsWith("FSHR:inl:");
            assertThat(Base64.getUrlDecoder().decode(inline.substring(9))).startsWith('F', 'S', 'H', 'R');
            String out = run(dir, pythonDir.getParent(), "python3", "-c", script, shared, inline);
            assertThat(out).contains("raw double[] " + template.ownerId().toHex() + " float64 (200000,) " + sha256(column))
                    .contains("raw String " + template.ownerId().toHex() + " str  "
                            + hex(MessageDigest.getInstance("SHA-256").digest("hello, python".getBytes(StandardCharsets.UTF_8))));
            template.release(shared);
        }
        TestDirs.assertNoBlocks(dir);
    }

    private static String sha256(double[] values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return hex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return null;
    }

    private static boolean commandWorks(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(Path blockDir, Path pythonPath, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PYTHONPATH", pythonPath.toString());
        builder.environment().put("FASTSHARE_DIRECTORY", blockDir.toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("python reader output: %s", out).isZero();
        return out;
    }
}
