package io.fastshare.torture;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes token parsing and everything behind it with random and mutated tokens: random ASCII and
 * Unicode, traversal attempts, mutated shared-memory and inline tokens, random inline blocks with a
 * valid magic, oversized tokens. Only {@code FastShareException}s may come out, nothing may hang, no
 * file outside the block directory may change, and real blocks read alongside stay intact.
 */
class TokenFuzzTest {

    private static final int TOKENS = TortureSettings.budget(110_000, 2_000_000);
    private static final String HEX = "0123456789abcdef";
    private static final String NASTY = "/\\.%:_-\u0000\n\r\t FSHRfshr0aAzZ=+~*?$#@!'\"<>|";

    @TempDir
    Path tempDir;

    @Test
    void randomAndMutatedTokensOnlyEverFailWithFastShareExceptions() {
        long seed = TortureSettings.seedFor("token-fuzz");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        OutcomeTally tally = new OutcomeTally();
        Map<String, Integer> byGenerator = new TreeMap<>();
        long started = System.nanoTime();
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .maxInlineSize(256 * 1024).codec(new MultiBufferCodec()).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(20));
                Canary canary = Canary.beside(dir)) {
            List<String> controlTokens = new ArrayList<>();
            List<byte[]> controlPayloads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] payload = (byte[]) Payloads.make("byte[]", 1000 + 977 * i, random.nextLong());
                controlPayloads.add(payload);
                controlTokens.add(template.write(payload, WriteOptions.defaults().shared().checksum(i % 2 == 0)));
            }
            List<String> inlineBases = new ArrayList<>();
            for (byte[] block : BaseBlocks.make(template, random)) {
                if (block.length < 8 * 1024) {
                    inlineBases.add(BaseBlocks.inlineToken(block));
                }
            }
            TokenExerciser exerciser = new TokenExerciser(template, runner, tally);
            String canaryPath = dir.getFileName() + "-canary";
            for (int i = 0; i < TOKENS; i++) {
                int generator = random.nextInt(10);
                String token = generate(generator, random, controlTokens, inlineBases, canaryPath);
                if (random.nextInt(20_000) == 0) {
                    token = "FSHR:inl:" + "A".repeat(400_000 + random.nextInt(1000));
                    generator = 10;
                }
                byGenerator.merge(GENERATORS[generator], 1, Integer::sum);
                TokenExerciser.Finish finish = controlTokens.contains(token) ? TokenExerciser.Finish.NONE
                        : random.nextBoolean() ? TokenExerciser.Finish.TAKE : TokenExerciser.Finish.RELEASE;
                exerciser.exercise(token, "token #" + i + " (" + GENERATORS[generator] + ") "
                        + printable(token), finish);
            }
            for (int i = 0; i < controlTokens.size(); i++) {
                byte[] read = template.read(controlTokens.get(i), byte[].class);
                if (!java.util.Arrays.equals(read, controlPayloads.get(i))) {
                    tally.violation("control block " + i + " changed during the fuzz run");
                }
                template.release(controlTokens.get(i));
            }
            String touched = canary.changes();
            if (touched != null) {
                tally.violation(touched);
            }
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println("TORTURE token-fuzz: " + TOKENS + " random and mutated tokens " + byGenerator
                    + "; calls " + tally.calls() + " " + tally.counts() + "; violations " + tally.violationCount()
                    + "; " + seconds + " s; rejection reasons:" + tally.topReasons(25));
        }
        assertThat(tally.violations()).as("violations").isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    private static final String[] GENERATORS = {"random-ascii", "random-unicode", "shm-garbage", "shm-mutated",
        "traversal", "inline-garbage", "inline-random-block", "inline-mutated", "shm-missing", "prefix-variants",
        "oversized"};

    private static String generate(int generator, SplittableRandom random, List<String> controls,
            List<String> inlineBases, String canary) {
        return switch (generator) {
            case 0 -> randomString(random, 0x20, 0x7f, random.nextInt(100));
            case 1 -> randomUnicode(random, random.nextInt(60));
            case 2 -> "FSHR:shm:" + fromAlphabet(random, HEX + NASTY, random.nextInt(50));
            case 3 -> mutate(random, random.nextBoolean() ? controls.get(random.nextInt(controls.size()))
                    : "FSHR:shm:" + validName(random));
            case 4 -> traversal(random, canary);
            case 5 -> "FSHR:inl:" + fromAlphabet(random,
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", random.nextInt(400));
            case 6 -> BaseBlocks.inlineToken(randomBlockLike(random));
            case 7 -> mutate(random, inlineBases.get(random.nextInt(inlineBases.size())));
            case 8 -> "FSHR:shm:" + validName(random);
            default -> prefixVariant(random, validName(random));
        };
    }

    private static String mutate(SplittableRandom random, String token) {
        StringBuilder s = new StringBuilder(token);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length());
            switch (random.nextInt(7)) {
                case 0 -> { if (s.length() > 0) { s.setCharAt(at, NASTY.charAt(random.nextInt(NASTY.length()))); } }
                case 1 -> { if (s.length() > 0) { s.deleteCharAt(at); } }
                case 2 -> s.insert(at, NASTY.charAt(random.nextInt(NASTY.length())));
                case 3 -> { if (s.length() > 0) { s.setCharAt(at, Character.toUpperCase(s.charAt(at))); } }
                case 4 -> s.setLength(random.nextInt(s.length() + 1));
                case 5 -> { if (s.length() > 0) { s.setCharAt(at, HEX.charAt(random.nextInt(16))); } }
                default -> s.append(randomString(random, 0x20, 0x7f, 1 + random.nextInt(4)));
            }
        }
        return s.toString();
    }

    private static String traversal(SplittableRandom random, String canary) {
        String name = Canary.BLOCK_NAME;
        String[] patterns = {
            "FSHR:shm:../" + canary + "/" + name, "FSHR:shm:../../etc/passwd", "FSHR:shm:/etc/passwd",
            "FSHR:shm:" + name + "/../../" + canary + "/passwd", "FSHR:shm:..%2f" + canary + "%2f" + name,
            "FSHR:shm:FSHR_../../../../../../etc/shadow", "FSHR:shm:./" + name, "FSHR:shm:" + name + "\u0000.lease",
            "FSHR:shm:.owners/" + name, "FSHR:shm:" + name + "/", "FSHR:shm:~/" + name,
            "FSHR:shm:..\\" + canary + "\\" + name, "FSHR:shm:FSHR_" + "0".repeat(31) + "/",
            "FSHR:shm:FSHR_\u0660\u0661" + "0".repeat(30), "FSHR:shm:FSHR_\uff10" + "0".repeat(31),
            "FSHR:shm:" + name.toUpperCase(), "FSHR:shm:" + name + "\n", "FSHR:shm:" + name + " ",
            "FSHR:shm:../" + canary + "/sub/" + name, "FSHR:shm:" + "../".repeat(1 + random.nextInt(40)) + canary,
            "FSHR:shm:FSHR_" + "0123456789abcdef".repeat(2) + "/../" + canary,
        };
        return patterns[random.nextInt(patterns.length)];
    }

    private static String prefixVariant(SplittableRandom random, String name) {
        String[] variants = {"fshr:shm:" + name, "FSHR:SHM:" + name, "FSHR:shm" + name, " FSHR:shm:" + name,
            "FSHR:shm:" + name.substring(0, name.length() - 1), "FSHR:shm:" + name + "0",
            "FSHR:shm:" + name.replace('a', 'A'), "FSHR:pkl:" + name, "FSHR:inl:", "FSHR:inl:=", "FSHR:inl:A",
            "FSHR:inl:AA==", "FSHR:", "FSHR", "", "FSHR:shm:", "FSHR:shm:FSHR_", "FSHR:inl:" + name,
            "FSHR:shm:FSHR:shm:" + name, null};
        return variants[random.nextInt(variants.length)];
    }

    /** Random bytes behind a valid magic, version and header length, so decoding goes past the first checks. */
    private static byte[] randomBlockLike(SplittableRandom random) {
        byte[] block = new byte[random.nextInt(400)];
        random.nextBytes(block);
        if (block.length >= 8 && random.nextInt(4) != 0) {
            ByteBuffer out = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
            out.putInt(0, 0x52485346).putShort(4, (short) 1).putShort(6, (short) 128);
            if (block.length >= 24) {
                out.putInt(8, 0x54494D43);
                out.putInt(12, random.nextInt(2));
                out.putLong(16, block.length);
            }
            if (block.length >= 88 && random.nextBoolean()) {
                out.putInt(64, random.nextInt(3));
                out.putInt(68, random.nextInt(40));
                out.putLong(72, 128 + 64L * out.getInt(64));
                HeaderChecksum.recompute(block);
            }
        }
        return block;
    }

    private static String validName(SplittableRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return "FSHR_" + HexFormat.of().formatHex(bits);
    }

    private static String randomString(SplittableRandom random, int from, int to, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) (from + random.nextInt(to - from)));
        }
        return s.toString();
    }

    private static String fromAlphabet(SplittableRandom random, String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static String randomUnicode(SplittableRandom random, int length) {
        int[][] ranges = {{0, 0x20}, {0x20, 0x7f}, {0x80, 0x800}, {0xD800, 0xE000}, {0xFF00, 0xFFFF},
            {0x10000, 0x10FFFF}, {0x0660, 0x066A}};
        StringBuilder s = new StringBuilder();
        if (random.nextBoolean()) {
            s.append(random.nextBoolean() ? "FSHR:shm:" : "FSHR:inl:");
        }
        for (int i = 0; i < length; i++) {
            int[] range = ranges[random.nextInt(ranges.length)];
            int codePoint = range[0] + random.nextInt(range[1] - range[0]);
            if (Character.isBmpCodePoint(codePoint)) {
                s.append((char) codePoint);
            } else {
                s.appendCodePoint(codePoint);
            }
        }
        return s.toString();
    }

    private static String printable(String token) {
        if (token == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < token.length() && i < 120; i++) {
            char c = token.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.append(token.length() > 120 ? "...'" : "'").toString();
    }
}
