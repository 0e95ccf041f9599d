package io.fastshare.torture;

import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash loop: again and again, a writer JVM writes self-verifying payloads of random sizes and is
 * killed with SIGKILL at a random moment (sometimes before it even finished starting). Meanwhile and
 * afterwards this JVM reads, opens and takes every token the writer printed and every block file it
 * left behind. A read may fail with a {@link FastShareException} (a block killed mid-write is not
 * committed) but must never return a payload whose embedded checksum does not match. After each kill
 * the janitor must reclaim every block the dead writer left, and at the end its lease too: the
 * directory ends empty.
 */
class CrashLoopTest {

    private static final int ITERATIONS = TortureSettings.budget(50, 400);

    @TempDir
    Path tempDir;

    @Test
    void killedWritersNeverYieldAWrongPayloadAndTheJanitorReclaimsEverything() throws Exception {
        long seed = TortureSettings.seedFor("crash-loop");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        Map<String, Long> counts = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        try (SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).build()) {
            Janitor janitor = new Janitor(reader.blockDirectory(), reader.ownerId(), Clock.systemUTC());
            for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                boolean early = random.nextInt(5) == 0;
                long killDelayMillis = early ? random.nextInt(600) : random.nextInt(300);
                Set<String> seen = new HashSet<>();
                try (ChildJvm writer = ChildJvm.start(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC", "-Xss512k"), CrashWriterMain.class, dir.toString(),
                        Long.toString(random.nextLong()), Integer.toString(8 << 20))) {
                    long killAt;
                    if (early) {
                        killAt = System.nanoTime() + killDelayMillis * 1_000_000L;
                    } else {
                        writer.awaitLine("READY ", Duration.ofSeconds(60));
                        killAt = System.nanoTime() + killDelayMillis * 1_000_000L;
                    }
                    while (System.nanoTime() < killAt) {
                        readNewTokens(reader, writer, seen, random, counts, violations);
                        Thread.sleep(2);
                    }
                    writer.kill9();
                    count(counts, "writers killed");
                    readNewTokens(reader, writer, seen, random, counts, violations);
                }
                // Block files nobody announced: killed mid-write, or after the commit but before the print.
                for (String name : blockFiles(dir)) {
                    if (!seen.contains(name)) {
                        readAndVerify(reader, "FSHR:shm:" + name, null, random, counts, violations);
                    }
                }
                CleanupResult result = janitor.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
                counts.merge("blocks reclaimed by janitor", (long) result.cleaned().size(), Long::sum);
                counts.merge("leases reclaimed by janitor", (long) result.leasesReclaimed().size(), Long::sum);
                result.cleaned().forEach(r -> count(counts, "reclaimed " + r.state()));
                Set<String> left = blockFiles(dir);
                if (!left.isEmpty()) {
                    violations.add("iteration " + iteration + ": janitor left " + left + "; result " + result);
                }
            }
            // Leases are reclaimed only once they are old enough that no owner can still be creating one.
            long deadline = System.nanoTime() + Janitor.MIN_LEASE_AGE.toNanos() + 15_000_000_000L;
            while (leases(dir).size() > 1 && System.nanoTime() < deadline) {
                CleanupResult sweep = janitor.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
                counts.merge("leases reclaimed by janitor", (long) sweep.leasesReclaimed().size(), Long::sum);
                Thread.sleep(200);
            }
            assertThat(blockFiles(dir)).isEmpty();
            assertThat(leases(dir)).as("only the reader's own lease is left")
                    .containsExactly(reader.ownerId().toHex() + ".lease");
        }
        long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
        System.out.println("TORTURE crash-loop: " + ITERATIONS + " writer JVMs killed with SIGKILL at random moments; "
                + counts + "; wrong payloads accepted: " + violations.size() + "; " + seconds + " s");
        assertThat(violations).isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    private static void readNewTokens(SharedMemoryTemplate reader, ChildJvm writer, Set<String> seen,
            SplittableRandom random, Map<String, Long> counts, List<String> violations) {
        for (String line : writer.output()) {
            if (line.startsWith("TOKEN ")) {
                String[] announced = line.substring("TOKEN ".length()).split(" ");
                String token = announced[0];
                if (seen.add(token.substring(token.lastIndexOf(':') + 1))) {
                    count(counts, "tokens printed");
                    readAndVerify(reader, token, Long.valueOf(announced[1]), random, counts, violations);
                }
            }
        }
    }

    /**
     * Reads a token one of three ways and verifies the payload's own checksum and, for an announced
     * token, that the payload is the one announced with it (not another block's intact payload).
     *
     * @param seed the payload identity announced with the token, {@code null} for a file found unannounced
     */
    private static void readAndVerify(SharedMemoryTemplate reader, String token, Long seed, SplittableRandom random,
            Map<String, Long> counts, List<String> violations) {
        boolean unannounced = seed == null;
        String prefix = unannounced ? "unannounced file: " : "";
        try {
            boolean ok;
            switch (random.nextInt(3)) {
                case 0 -> ok = verified(reader.read(token, byte[].class), seed);
                case 1 -> ok = verified(reader.take(token, byte[].class), seed);
                default -> {
                    try (SharedPayload opened = reader.open(token)) {
                        ByteBuffer view = opened.value(ByteBuffer.class);
                        ok = seed == null ? CheckedPayload.verify(view) : CheckedPayload.verify(view, seed);
                    }
                }
            }
            if (ok) {
                count(counts, prefix + "verified payloads");
            } else {
                violations.add("WRONG PAYLOAD accepted from " + token);
            }
        } catch (CorruptBlockException e) {
            count(counts, prefix + (String.valueOf(e.getMessage()).contains("not committed") ? "uncommitted (rejected)"
                    : "corrupt (rejected)"));
            if (!unannounced) {
                violations.add("a block whose token was printed is corrupt: " + e.getMessage());
            }
        } catch (FastShareException e) {
            count(counts, prefix + e.getClass().getSimpleName());
        } catch (RuntimeException | Error e) {
            violations.add("unexpected " + e + " reading " + token);
        }
    }

    private static boolean verified(byte[] payload, Long seed) {
        return seed == null ? CheckedPayload.verify(payload) : CheckedPayload.verify(payload, seed);
    }

    private static void count(Map<String, Long> counts, String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private static List<String> leases(Path dir) throws IOException {
        try (Stream<Path> leases = Files.list(dir.resolve(".owners"))) {
            return leases.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    private static Set<String> blockFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_"))
                    .collect(Collectors.toSet());
        }
    }
}
