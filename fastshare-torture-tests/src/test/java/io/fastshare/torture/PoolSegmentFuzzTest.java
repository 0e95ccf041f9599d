package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.store.pool.PoolLayout;
import io.fastshare.store.pool.PoolReader;
import io.fastshare.store.pool.SlotRef;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes pooled blocks where a reader meets them: a real template publishes self-verifying payloads
 * into one pool segment; each mutant is a copy of that segment file under a fresh segment name (so
 * the reader attaches and validates it from scratch) with one header field, slot-table field, the file
 * size or a published slot's block mutated. A second template reads, opens (value and every view),
 * takes or releases the token of one slot, lists the pool and cleans it up; a batch of mutants also
 * goes to a child JVM that never saw the segments. Only {@code FastShareException}s may come out,
 * nothing may hang or crash the JVM (a block length beyond the mapping would be a SIGBUS), a value
 * must be the slot's own payload unless the block bytes themselves were forged, and no token ever
 * yields another slot's payload.
 */
class PoolSegmentFuzzTest {

    private static final int MUTANTS = TortureSettings.budget(1_500, 40_000);
    private static final int CHILD_MUTANTS = TortureSettings.budget(120, 2_000);
    private static final int CHILD_BATCH = 20;
    /** One segment of the smallest size class: 32 slots of 128 KiB. */
    private static final long POOL_SIZE = 6L << 20;
    private static final int PAYLOADS = 32;

    @TempDir
    Path tempDir;

    @Test
    void mutatedSegmentsOnlyEverFailWithFastShareExceptions() throws IOException {
        long seed = TortureSettings.seedFor("pool-segment-fuzz");
        SplittableRandom random = new SplittableRandom(seed);
        Path writerDir = tempDir.resolve("writer");
        Path fuzzDir = TestDirs.blockDir(tempDir);
        Path fuzzPool = poolDirectory(fuzzDir);
        OutcomeTally tally = new OutcomeTally();
        Map<MutantDamage, Integer> damages = new TreeMap<>();
        long started = System.nanoTime();
        int accepted = 0;
        Published published = publish(writerDir, tempDir.resolve("pristine-segment"), random);
        try (SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(fuzzDir).poolSize(0).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(20));
                Canary canary = Canary.beside(fuzzDir)) {
            checkPristine(published, reader, fuzzPool, random, tally);
            PoolSegmentMutator mutator = published.mutator(random);
            TokenExerciser exerciser = new TokenExerciser(reader, runner, tally);
            for (int i = 0; i < MUTANTS; i++) {
                String name = segmentName(random);
                Path copy = fuzzPool.resolve(name);
                Files.copy(published.segment, copy);
                PoolSegmentMutator.Mutation mutation;
                try (FileChannel file = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    mutation = mutator.mutate(file);
                }
                damages.merge(mutation.damage(), 1, Integer::sum);
                PoolSegmentMutator.Target target = published.targets.get(mutation.target());
                String token = token(name, target);
                long payloadSeed = published.seeds.get(target.slot());
                String input = "mutant #" + i + " " + mutation.description();
                BoundedRunner.Outcome read = runner.run(() -> reader.read(token, byte[].class));
                tally.record("read(byte[]) first", read, input);
                if (read.returned()) {
                    accepted++;
                    checkPayload((byte[]) read.value(), payloadSeed, mutation.damage(), input, tally);
                }
                exerciser.exercise(token, input, random.nextBoolean() ? TokenExerciser.Finish.TAKE
                        : TokenExerciser.Finish.RELEASE, new TokenExerciser.Expectation(mutation.damage(),
                        published.payloads.get(target.slot())));
                tally.record("list", runner.run(() -> PoolBlockStore.list(fuzzPool, Instant.now())), input);
                tally.record("blocks", runner.run(reader::blocks), input);
                tally.record("cleanup", runner.run(() -> reader.cleanup(
                        CleanupOptions.defaults().withGrace(Duration.ZERO))), input);
                Files.deleteIfExists(copy);
                PoolReader.trim(Duration.ZERO);
            }
            int childMutants = fuzzInChild(published, random, tally);
            String touched = canary.changes();
            if (touched != null) {
                tally.violation(touched);
            }
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println("TORTURE pool-segment-fuzz: " + MUTANTS + " mutated segment copies in this JVM, "
                    + childMutants + " in a child JVM; damage classes " + damages + "; read returned " + accepted
                    + "; calls " + tally.calls() + " " + tally.counts() + "; violations " + tally.violationCount()
                    + "; " + seconds + " s; rejection reasons:" + tally.topReasons(30));
        }
        assertThat(tally.violations()).as("violations reading mutated pool segments").isEmpty();
        assertThat(tally.counts()).as("some mutants still read as their payload, others were refused")
                .containsKeys("returned", "BlockNotFoundException", "CorruptBlockException");
        assertNoSegments(fuzzPool);
        TestDirs.assertNoBlocks(fuzzDir);
    }

    /**
     * Valid segment files under names the library never gives (upper-case hex, too short, a suffix) sit
     * beside a real one: listing and cleanup must neither fail nor lose the real segment's blocks.
     */
    @Test
    void oddlyNamedSegmentFilesDoNotBreakListingOrCleanup() throws IOException {
        SplittableRandom random = new SplittableRandom(TortureSettings.seedFor("pool-segment-names"));
        Path dir = TestDirs.blockDir(tempDir);
        Path pool = poolDirectory(dir);
        Published published = publish(tempDir.resolve("writer"), tempDir.resolve("pristine-segment"), random);
        String hex = segmentName(random).substring(PoolLayout.SEGMENT_PREFIX.length());
        List<String> odd = List.of(PoolLayout.SEGMENT_PREFIX + hex.toUpperCase(java.util.Locale.ROOT),
                PoolLayout.SEGMENT_PREFIX + hex.substring(1), PoolLayout.SEGMENT_PREFIX + hex + ".bak",
                PoolLayout.SEGMENT_PREFIX + hex + "0", PoolLayout.SEGMENT_PREFIX);
        String real = segmentName(random);
        Files.copy(published.segment, pool.resolve(real));
        for (String name : odd) {
            Files.copy(published.segment, pool.resolve(name));
        }
        OutcomeTally tally = new OutcomeTally();
        try (SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(20))) {
            BoundedRunner.Outcome listed = runner.run(() -> PoolBlockStore.list(pool, Instant.now()));
            tally.record("list", listed, "odd names " + odd);
            if (listed.returned()) {
                assertThat(((List<?>) listed.value())).as("the real segment's blocks are listed")
                        .hasSize(published.targets.size());
            }
            tally.record("blocks", runner.run(reader::blocks), "odd names " + odd);
            tally.record("cleanup", runner.run(() -> reader.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO))),
                    "odd names " + odd);
            assertThat(pool.resolve(real)).as("the dead owner's real segment is reclaimed").doesNotExist();
        } finally {
            PoolReader.trim(Duration.ZERO);
        }
        assertThat(tally.violations()).isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    /** Mutants read by a JVM that never mapped any of them; a JVM crash shows up as a missing line. */
    private int fuzzInChild(Published published, SplittableRandom random, OutcomeTally tally) throws IOException {
        Path childDir = TestDirs.blockDir(tempDir);
        Path childPool = poolDirectory(childDir);
        PoolSegmentMutator mutator = published.mutator(random);
        int done = 0;
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                PoolFuzzReaderMain.class, childDir.toString())) {
            child.awaitLine("READY", Duration.ofSeconds(60));
            while (done < CHILD_MUTANTS) {
                List<String> inputs = new ArrayList<>();
                List<PoolSegmentMutator.Mutation> mutations = new ArrayList<>();
                for (int i = 0; i < CHILD_BATCH && done < CHILD_MUTANTS; i++, done++) {
                    String name = segmentName(random);
                    Path copy = childPool.resolve(name);
                    Files.copy(published.segment, copy);
                    PoolSegmentMutator.Mutation mutation;
                    try (FileChannel file = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        mutation = mutator.mutate(file);
                    }
                    PoolSegmentMutator.Target target = published.targets.get(mutation.target());
                    inputs.add("child mutant #" + done + " " + mutation.description());
                    mutations.add(mutation);
                    child.send("CHECK " + token(name, target) + " " + published.seeds.get(target.slot()));
                }
                for (int i = 0; i < inputs.size(); i++) {
                    String result;
                    try {
                        result = child.awaitLine("RESULT ", Duration.ofSeconds(60));
                    } catch (AssertionError e) {
                        tally.violation("child reader died or hung on " + inputs.subList(i, inputs.size()) + ": " + e);
                        return done;
                    }
                    for (String outcome : result.split(" ")) {
                        childOutcome(outcome, mutations.get(i).damage(), inputs.get(i), tally);
                    }
                }
                child.send("LIST");
                childOutcome(child.awaitLine("LISTED ", Duration.ofSeconds(60)), MutantDamage.OTHER, "child list", tally);
                child.send("CLEANUP");
                childOutcome(child.awaitLine("CLEANED ", Duration.ofSeconds(60)), MutantDamage.OTHER, "child cleanup", tally);
                try (Stream<Path> left = Files.list(childPool)) {
                    for (Path file : (Iterable<Path>) left::iterator) {
                        Files.delete(file);
                    }
                }
            }
            child.send("EXIT");
            assertThat(child.awaitExit(Duration.ofSeconds(60))).as("child reader exit code").isZero();
        } finally {
            TestDirs.assertNoBlocks(childDir);
        }
        return done;
    }

    private static void childOutcome(String outcome, MutantDamage damage, String input, OutcomeTally tally) {
        if (outcome.startsWith("VIOLATION:")) {
            tally.violation("child: " + outcome + " for " + input);
        } else if (outcome.equals("FOREIGN")) {
            tally.violation("child: another slot's payload for " + input);
        } else if (outcome.equals("WRONG") && damage != MutantDamage.OTHER) {
            tally.violation("child: a wrong payload for " + damage + " " + input);
        } else if ((outcome.equals("OK") || outcome.equals("WRONG")) && damage == MutantDamage.CHECKSUMMED_PAYLOAD) {
            tally.violation("child: a value for a block whose checksummed payload changed: " + input);
        }
    }

    private static void checkPayload(byte[] bytes, long seed, MutantDamage damage, String input, OutcomeTally tally) {
        if (CheckedPayload.verify(bytes, seed)) {
            return;
        }
        if (CheckedPayload.verify(bytes)) {
            tally.violation("read returned another slot's payload for " + input);
        } else if (damage != MutantDamage.OTHER) {
            tally.violation("read returned bytes other than the slot's payload for " + damage + " " + input);
        }
    }

    /**
     * A real template fills its one segment: 32 payloads, 8 of them released and their slots reused,
     * so slots hold stale bytes and generations above 1. The template closes without releasing its
     * blocks, and the segment file is copied aside: opening a segment file of a live pool in this JVM
     * and closing the channel would drop the JVM's locks on it.
     */
    private static Published publish(Path dir, Path pristine, SplittableRandom random) throws IOException {
        List<String> tokens = new ArrayList<>();
        Map<String, byte[]> payloadOf = new HashMap<>();
        Map<String, Long> seedOf = new HashMap<>();
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(POOL_SIZE).releaseOnClose(false).build()) {
            for (int i = 0; i < PAYLOADS + 8; i++) {
                if (i == PAYLOADS) {
                    for (int r = 0; r < 8; r++) {
                        String gone = tokens.remove(random.nextInt(tokens.size()));
                        assertThat(writer.release(gone)).isTrue();
                    }
                }
                long seed = random.nextLong();
                int size = random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(60_000);
                byte[] payload = CheckedPayload.make(size, seed);
                String token = writer.write(payload, WriteOptions.defaults().checksum(i % 3 == 0));
                assertThat(token).startsWith("FSHR:pool:");
                tokens.add(token);
                payloadOf.put(token, payload);
                seedOf.put(token, seed);
            }
        }
        PoolReader.trim(Duration.ZERO);
        Published published = null;
        for (String token : tokens) {
            SlotRef ref = SlotRef.parse(token.substring("FSHR:pool:".length()));
            if (published == null) {
                Files.copy(dir.resolve(PoolLayout.DIRECTORY).resolve(ref.segment()), pristine);
                published = new Published(pristine);
            }
            published.add(ref, seedOf.get(token), payloadOf.get(token));
        }
        TestDirs.deleteTree(dir);
        return published;
    }

    /** The unmutated copy reads back every payload: the baseline every mutant is judged against. */
    private static void checkPristine(Published published, SharedMemoryTemplate reader, Path pool,
            SplittableRandom random, OutcomeTally tally) throws IOException {
        String name = segmentName(random);
        Files.copy(published.segment, pool.resolve(name));
        for (PoolSegmentMutator.Target target : published.targets) {
            assertThat(reader.take(token(name, target), byte[].class)).as("slot " + target.slot())
                    .isEqualTo(published.payloads.get(target.slot()));
        }
        reader.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
        assertThat(pool.resolve(name)).as("the janitor removes a dead owner's copy").doesNotExist();
        PoolReader.trim(Duration.ZERO);
    }

    private static String token(String segment, PoolSegmentMutator.Target target) {
        return "FSHR:pool:" + new SlotRef(segment, target.slot(), target.generation()).key();
    }

    private static Path poolDirectory(Path blockDir) throws IOException {
        Path pool = blockDir.resolve(PoolLayout.DIRECTORY);
        Files.createDirectories(pool);
        Files.setPosixFilePermissions(pool, PosixFilePermissions.fromString("rwx------"));
        return pool;
    }

    private static String segmentName(SplittableRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return PoolLayout.SEGMENT_PREFIX + HexFormat.of().formatHex(bits);
    }

    private static void assertNoSegments(Path pool) throws IOException {
        try (Stream<Path> files = Files.list(pool)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("segment copies left").isEmpty();
        }
    }

    /** The writer's segment and what its published slots hold. */
    private static final class Published {
        final Path segment;
        final List<PoolSegmentMutator.Target> targets = new ArrayList<>();
        final Map<Integer, Long> seeds = new HashMap<>();
        final Map<Integer, byte[]> payloads = new HashMap<>();
        private final long slotSize;
        private final int slotCount;

        Published(Path segment) throws IOException {
            this.segment = segment;
            ByteBuffer header = read(0, PoolLayout.DATA_OFFSET);
            this.slotCount = header.getInt(PoolLayout.SLOT_COUNT_OFFSET);
            this.slotSize = header.getLong(PoolLayout.SLOT_SIZE_OFFSET);
        }

        void add(SlotRef ref, long seed, byte[] payload) throws IOException {
            ByteBuffer entry = read(PoolLayout.entryOffset(ref.slot()), PoolLayout.SLOT_ENTRY_LENGTH);
            assertThat(entry.getInt(PoolLayout.SLOT_STATE)).isEqualTo(PoolLayout.PUBLISHED);
            assertThat(entry.getLong(PoolLayout.SLOT_GENERATION)).isEqualTo(ref.generation());
            int length = (int) entry.getLong(PoolLayout.SLOT_BLOCK_LENGTH);
            byte[] block = new byte[length];
            read(PoolLayout.DATA_OFFSET + slotSize * ref.slot(), length).get(block);
            targets.add(new PoolSegmentMutator.Target(ref.slot(), ref.generation(), block));
            seeds.put(ref.slot(), seed);
            payloads.put(ref.slot(), payload);
        }

        PoolSegmentMutator mutator(SplittableRandom random) throws IOException {
            List<byte[]> blocks = targets.stream().map(PoolSegmentMutator.Target::block).toList();
            return new PoolSegmentMutator(random, targets, blocks, slotSize, slotCount, Files.size(segment));
        }

        private ByteBuffer read(long position, int length) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ)) {
                while (bytes.hasRemaining()) {
                    if (file.read(bytes, position + bytes.position()) < 0) {
                        throw new IOException("short segment " + segment);
                    }
                }
            }
            return bytes.flip();
        }
    }
}
