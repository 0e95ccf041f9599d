package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.store.pool.PoolLayout;
import io.fastshare.store.pool.PoolReader;
import io.fastshare.store.pool.SizeClass;
import io.fastshare.store.pool.SlotRef;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pooled crash loop: again and again a writer JVM (pooled writes and loans, releasing as it goes) and
 * a reader JVM (reading, taking and holding open the writer's blocks and this JVM's) are killed with
 * SIGKILL at independent random moments, sometimes before they finished starting. This JVM reads the
 * writer's tokens as they come and after the kills: each must resolve to its own payload or to
 * {@code BlockNotFoundException}. After each round the janitor (grace 0) must leave no slot that is
 * not free and no segment of a dead owner, and this JVM's own pool, exactly one segment of 32 slots,
 * must take 32 blocks: no slot stays pinned or claimed by a dead reader. At the end nothing is left.
 */
class PoolCrashLoopTest {

    private static final int ITERATIONS = TortureSettings.budget(20, 300);
    /** Exactly one segment of the smallest class: 32 slots. */
    private static final SizeClass OWN_CLASS = SizeClass.of(0);
    private static final int FILL_SIZE = 60_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> CHILD_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xss512k");
    private static final String POOL = "FSHR:pool:";

    @TempDir
    Path tempDir;

    @Test
    void killedWritersAndReadersLeaveNothingTheJanitorDoesNotReclaim() throws Exception {
        long seed = TortureSettings.seedFor("pool-crash-loop");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        Path pool = dir.resolve(PoolLayout.DIRECTORY);
        Map<String, Long> counts = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        try (SharedMemoryTemplate survivor = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            SharedMemoryTemplate owner = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                    .poolSize(OWN_CLASS.segmentSize()).build();
            try {
                for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                    round(iteration, owner, survivor, dir, random, counts, violations);
                    for (CleanupResult.Reclaimed r : survivor.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO))
                            .cleaned()) {
                        count(counts, "janitor: " + (r.name().startsWith(PoolLayout.SEGMENT_PREFIX)
                                ? r.name().contains(".") ? "pool slots freed" : "segments removed" : "block files removed"));
                    }
                    List<BlockInfo> left = PoolBlockStore.list(pool, Instant.now());
                    if (!left.isEmpty()) {
                        violations.add("iteration " + iteration + ": slots not free after the janitor: " + left);
                    }
                    Set<String> segments = segmentFiles(pool);
                    segments.removeAll(ownSegments(owner, pool));
                    if (!segments.isEmpty()) {
                        violations.add("iteration " + iteration + ": dead owners' segments left: " + segments);
                    }
                    if (!blockFiles(dir).isEmpty()) {
                        violations.add("iteration " + iteration + ": block files left: " + blockFiles(dir));
                    }
                    fill(owner, iteration, counts, violations);
                }
            } finally {
                owner.close();
            }
            survivor.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
            PoolReader.trim(Duration.ZERO);
            if (!segmentFiles(pool).isEmpty() || !blockFiles(dir).isEmpty()) {
                violations.add("left after the last template closed and the janitor ran: " + segmentFiles(pool) + " "
                        + blockFiles(dir));
            }
        }
        long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
        System.out.println("TORTURE pool-crash-loop: " + ITERATIONS + " rounds, writer and reader JVMs killed with SIGKILL; "
                + counts + "; violations " + violations.size() + "; " + seconds + " s");
        assertThat(violations).isEmpty();
        assertThat(counts.getOrDefault("verified by this JVM", 0L)).as("payloads verified").isPositive();
        assertThat(counts.getOrDefault("reader child OK", 0L)).as("payloads verified by reader children").isPositive();
        TestDirs.assertNoBlocks(dir);
    }

    private static void round(int iteration, SharedMemoryTemplate owner, SharedMemoryTemplate survivor, Path dir,
            SplittableRandom random, Map<String, Long> counts, List<String> violations) throws Exception {
        Map<String, Long> ownTokens = new LinkedHashMap<>();
        Map<String, Long> writerTokens = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<SharedPayload> held = new ArrayList<>();
        try (ChildJvm writer = ChildJvm.start(CHILD_OPTIONS, PoolCrashWriterMain.class, dir.toString(),
                Long.toString(random.nextLong()), Long.toString(24L << 20));
                ChildJvm reader = ChildJvm.start(CHILD_OPTIONS, PoolPeerMain.class, dir.toString(), "0", "0")) {
            reader.awaitLine("READY ", WAIT);
            for (int i = 0; i < 1 + random.nextInt(12); i++) {
                long payloadSeed = random.nextLong();
                String token = owner.write(CheckedPayload.make(random.nextInt(FILL_SIZE), payloadSeed));
                ownTokens.put(token, payloadSeed);
                send(reader, token, payloadSeed, random);
            }
            boolean early = random.nextInt(5) == 0;
            if (!early) {
                writer.awaitLine("READY ", WAIT);
            }
            long now = System.nanoTime();
            long killWriter = now + random.nextInt(early ? 700 : 400) * 1_000_000L;
            long killReader = now + random.nextInt(early ? 800 : 500) * 1_000_000L;
            boolean writerAlive = true;
            boolean readerAlive = true;
            while (writerAlive || readerAlive) {
                for (String line : writer.output()) {
                    if (line.startsWith("TOKEN ") && seen.add(line)) {
                        String[] parts = line.split(" ");
                        long payloadSeed = Long.parseLong(parts[2]);
                        writerTokens.put(parts[1], payloadSeed);
                        count(counts, "writer tokens");
                        if (readerAlive) {
                            send(reader, parts[1], payloadSeed, random);
                        }
                        if (random.nextInt(3) == 0) {
                            verify(survivor, parts[1], payloadSeed, random, held, counts, violations);
                        }
                    }
                }
                if (writerAlive && System.nanoTime() > killWriter) {
                    writer.kill9();
                    writerAlive = false;
                    count(counts, "writers killed");
                }
                if (readerAlive && System.nanoTime() > killReader) {
                    reader.kill9();
                    readerAlive = false;
                    count(counts, "readers killed");
                }
                Thread.sleep(1);
            }
            for (String line : reader.output()) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && Set.of("READ", "TAKE", "OPEN").contains(parts[0])) {
                    count(counts, "reader child " + (parts[1].startsWith("VIOLATION") ? "VIOLATION" : parts[1]));
                    if (!parts[1].equals("OK") && !parts[1].equals("NOTFOUND")) {
                        violations.add("iteration " + iteration + ": reader child " + line);
                    }
                }
            }
        }
        // The writer is dead: its blocks stay readable until the janitor runs, or were released by it.
        for (Map.Entry<String, Long> e : writerTokens.entrySet()) {
            verify(survivor, e.getKey(), e.getValue(), random, held, counts, violations);
        }
        for (Map.Entry<String, Long> e : ownTokens.entrySet()) {
            verify(survivor, e.getKey(), e.getValue(), random, held, counts, violations);
            owner.release(e.getKey());
        }
        held.forEach(SharedPayload::close);
    }

    /** Sends a token to the reader child for a read, a take or an open that stays open until it dies. */
    private static void send(ChildJvm reader, String token, long seed, SplittableRandom random) {
        String command = new String[] {"READ", "TAKE", "OPEN"}[random.nextInt(3)];
        try {
            reader.send(command + " " + token + " " + seed);
        } catch (java.io.UncheckedIOException e) {
            // killed meanwhile
        }
    }

    private static void verify(SharedMemoryTemplate survivor, String token, long seed, SplittableRandom random,
            List<SharedPayload> held, Map<String, Long> counts, List<String> violations) {
        String outcome = PoolPeerMain.outcome(() -> switch (random.nextInt(3)) {
            case 0 -> PoolPeerMain.verdict(survivor.read(token, byte[].class), seed);
            case 1 -> PoolPeerMain.verdict(survivor.take(token, byte[].class), seed);
            default -> {
                SharedPayload payload = survivor.open(token);
                held.add(payload);
                ByteBuffer view = payload.value(ByteBuffer.class);
                yield CheckedPayload.verify(view, seed) ? "OK" : CheckedPayload.verify(view) ? "FOREIGN" : "WRONG";
            }
        });
        if (outcome.equals("OK")) {
            count(counts, "verified by this JVM");
        } else if (outcome.equals("NOTFOUND")) {
            count(counts, "not found by this JVM");
        } else {
            violations.add(token + " -> " + outcome);
        }
    }

    /** This JVM's pool must take one block per slot: a pin or claim of a dead reader would block a slot. */
    private static void fill(SharedMemoryTemplate owner, int iteration, Map<String, Long> counts, List<String> violations) {
        List<String> tokens = new ArrayList<>();
        try {
            for (int i = 0; i < OWN_CLASS.slotCount(); i++) {
                String token = owner.write(CheckedPayload.make(FILL_SIZE, i));
                tokens.add(token);
                if (!token.startsWith(POOL)) {
                    violations.add("iteration " + iteration + ": own pool full after " + i + " of "
                            + OWN_CLASS.slotCount() + " slots (a slot is still pinned or claimed): " + token);
                    return;
                }
            }
            String overflow = owner.write(CheckedPayload.make(FILL_SIZE, -1));
            tokens.add(overflow);
            if (overflow.startsWith(POOL)) {
                violations.add("iteration " + iteration + ": the pool took more than its limit");
            }
            count(counts, "own pool filled to its limit");
        } finally {
            tokens.forEach(owner::release);
        }
    }

    /** Segment names of this JVM's own pool, from the blocks it can list as its own. */
    private static Set<String> ownSegments(SharedMemoryTemplate owner, Path pool) {
        String probe = owner.write(CheckedPayload.make(FILL_SIZE, 7));
        try {
            return probe.startsWith(POOL) ? Set.of(SlotRef.parse(probe.substring(POOL.length())).segment()) : Set.of();
        } finally {
            owner.release(probe);
        }
    }

    private static void count(Map<String, Long> counts, String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private static Set<String> segmentFiles(Path pool) throws IOException {
        if (!Files.isDirectory(pool)) {
            return new HashSet<>();
        }
        try (Stream<Path> files = Files.list(pool)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PoolLayout.SEGMENT_PREFIX))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    private static Set<String> blockFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_"))
                    .collect(Collectors.toSet());
        }
    }
}
