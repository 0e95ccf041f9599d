package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.BlockName;
import io.fastshare.format.OwnerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the read side with mutated blocks: each mutant is planted as a block file under a valid
 * {@code FSHR_<hex>} name and also sent as an inline token, then read, opened (value and every view),
 * and taken or released. Only {@code FastShareException}s may come out, nothing may hang, and nothing
 * outside the block directory may change. Values that do come back are checked too (see
 * {@link MutantDamage}): a mutant that changed only fields not describing the payload reads as its
 * base block's value or not at all, and a checksummed block whose buffers changed never reads.
 */
class BlockFuzzTest {

    private static final int MUTANTS = TortureSettings.budget(12_000, 250_000);

    @TempDir
    Path tempDir;

    @Test
    void mutatedBlocksOnlyEverFailWithFastShareExceptions() throws IOException {
        long seed = TortureSettings.seedFor("block-fuzz");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        OutcomeTally fileTally = new OutcomeTally();
        OutcomeTally inlineTally = new OutcomeTally();
        long started = System.nanoTime();
        int acceptedFiles = 0;
        int acceptedInline = 0;
        java.util.Map<MutantDamage, Integer> damages = new java.util.EnumMap<>(MutantDamage.class);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .maxInlineSize(1 << 20).codec(new MultiBufferCodec()).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(20));
                Canary canary = Canary.beside(dir)) {
            List<byte[]> bases = BaseBlocks.make(template, random);
            List<Object> values = BaseBlocks.values(template, bases);
            BlockMutator mutator = new BlockMutator(random, bases);
            TokenExerciser files = new TokenExerciser(template, runner, fileTally);
            TokenExerciser inline = new TokenExerciser(template, runner, inlineTally);
            for (int i = 0; i < MUTANTS; i++) {
                BlockMutator.Mutant mutant = mutator.next();
                String input = "mutant #" + i + " " + mutant.description();
                TokenExerciser.Expectation expectation = new TokenExerciser.Expectation(mutant.damage(),
                        values.get(mutant.base()));
                damages.merge(mutant.damage(), 1, Integer::sum);
                BlockName name = randomName(random);
                Path file = dir.resolve(name.value());
                Files.write(file, mutant.bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                TokenExerciser.Finish finish = random.nextBoolean() ? TokenExerciser.Finish.TAKE
                        : TokenExerciser.Finish.RELEASE;
                if (files.exercise("FSHR:shm:" + name.value(), input + " as file", finish, expectation)) {
                    acceptedFiles++;
                }
                if (Files.deleteIfExists(file) && finish == TokenExerciser.Finish.RELEASE) {
                    fileTally.violation("release left the block file of " + input);
                }
                if (inline.exercise(BaseBlocks.inlineToken(mutant.bytes()), input + " inline",
                        TokenExerciser.Finish.TAKE, expectation)) {
                    acceptedInline++;
                }
            }
            String touched = canary.changes();
            if (touched != null) {
                fileTally.violation(touched);
            }
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println("TORTURE block-fuzz: " + MUTANTS + " mutated blocks (from " + bases.size()
                    + " valid bases), each as a block file and as an inline token; file calls " + fileTally.calls()
                    + " " + fileTally.counts() + "; inline calls " + inlineTally.calls() + " " + inlineTally.counts()
                    + "; still valid after mutation: " + acceptedFiles + " files, " + acceptedInline + " inline; "
                    + "damage classes " + damages + "; "
                    + "violations " + (fileTally.violationCount() + inlineTally.violationCount()) + "; " + seconds
                    + " s; rejection reasons, block files:" + fileTally.topReasons(40));
        }
        assertThat(fileTally.violations()).as("violations reading mutated block files").isEmpty();
        assertThat(inlineTally.violations()).as("violations reading mutated inline tokens").isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    /**
     * The deterministic part: every base block truncated at every boundary, and every header field and
     * the fields of its first four table entries set to 0, 1, -1, 2^31, 2^32, Long.MAX_VALUE, the
     * block length and past it, and the other interesting values, each as a file and inline.
     */
    @Test
    void everyBoundaryAndEveryFieldOfEveryBaseBlock() throws IOException {
        long seed = TortureSettings.seedFor("block-fuzz-systematic");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        OutcomeTally fileTally = new OutcomeTally();
        OutcomeTally inlineTally = new OutcomeTally();
        long started = System.nanoTime();
        int mutants = 0;
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .maxInlineSize(1 << 20).codec(new MultiBufferCodec()).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(20));
                Canary canary = Canary.beside(dir)) {
            List<byte[]> bases = BaseBlocks.make(template, random);
            List<Object> values = BaseBlocks.values(template, bases);
            TokenExerciser files = new TokenExerciser(template, runner, fileTally);
            TokenExerciser inline = new TokenExerciser(template, runner, inlineTally);
            // Candidates: every raw kind at 0 B, 4 KiB and 64 KiB, with and without checksum, and every
            // multi-buffer base; the default run takes every eighth of them, the long run all.
            int candidate = 0;
            int stride = TortureSettings.budget(8, 1);
            for (int b = 0; b < bases.size(); b++) {
                boolean raw = b < bases.size() - 24;
                int size = raw ? (b / 2) % 8 : -1;
                if (raw && size != 0 && size != 6 && size != 7) {
                    continue;
                }
                if (candidate++ % stride != 0) {
                    continue;
                }
                for (BlockMutator.Mutant mutant : BlockMutator.systematic(bases.get(b), "base#" + b)) {
                    mutants++;
                    String name = randomName(random).value();
                    Files.write(dir.resolve(name), mutant.bytes(), StandardOpenOption.CREATE_NEW);
                    TokenExerciser.Expectation expectation = new TokenExerciser.Expectation(mutant.damage(),
                            values.get(b));
                    files.exercise("FSHR:shm:" + name, mutant.description() + " as file", TokenExerciser.Finish.TAKE,
                            expectation);
                    Files.deleteIfExists(dir.resolve(name));
                    inline.exercise(BaseBlocks.inlineToken(mutant.bytes()), mutant.description() + " inline",
                            TokenExerciser.Finish.NONE, expectation);
                }
            }
            String touched = canary.changes();
            if (touched != null) {
                fileTally.violation(touched);
            }
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println("TORTURE block-fuzz-systematic: " + mutants + " deterministic mutants (every boundary, "
                    + "every field x interesting value), each as a file and inline; file calls " + fileTally.calls() + " "
                    + fileTally.counts() + "; inline calls " + inlineTally.calls() + " " + inlineTally.counts()
                    + "; violations " + (fileTally.violationCount() + inlineTally.violationCount()) + "; " + seconds
                    + " s");
        }
        assertThat(fileTally.violations()).isEmpty();
        assertThat(inlineTally.violations()).isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    /**
     * The janitor examines every block file in the directory, so it meets whatever a broken or
     * hostile peer left there. Batches of mutants are scanned, described and cleaned with a zero grace
     * period: no call may throw anything or hang, and no mutant that still reads as a valid, unexpired
     * block of a live owner may be reclaimed.
     */
    @Test
    void janitorSurvivesMutatedBlocksAndNeverReclaimsAValidLiveOne() throws IOException {
        long seed = TortureSettings.seedFor("janitor-fuzz");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        OutcomeTally tally = new OutcomeTally();
        int batches = TortureSettings.budget(100, 2000);
        int perBatch = 50;
        long validLive = 0;
        long reclaimed = 0;
        long started = System.nanoTime();
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .maxInlineSize(1 << 20).codec(new MultiBufferCodec()).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(30))) {
            Janitor janitor = new Janitor(template.blockDirectory(), template.ownerId(), java.time.Clock.systemUTC());
            BlockMutator mutator = new BlockMutator(random, BaseBlocks.make(template, random));
            for (int batch = 0; batch < batches; batch++) {
                java.util.Map<String, String> mustSurvive = new java.util.HashMap<>();
                for (int i = 0; i < perBatch; i++) {
                    BlockMutator.Mutant mutant = mutator.next();
                    String name = randomName(random).value();
                    Files.write(dir.resolve(name), mutant.bytes(), StandardOpenOption.CREATE_NEW);
                    BoundedRunner.Outcome read = runner.run(() -> template.read("FSHR:shm:" + name));
                    if (read.returned() && ownedBy(mutant.bytes(), template.ownerId()) && unexpired(mutant.bytes())) {
                        mustSurvive.put(name, mutant.description());
                    }
                    tally.record("describe", runner.run(() -> janitor.describe(name)), mutant.description());
                }
                tally.record("scan", runner.run(janitor::scan), "batch " + batch);
                tally.record("dry-run", runner.run(() -> janitor.cleanup(
                        CleanupOptions.defaults().withGrace(Duration.ZERO).withDryRun(true))), "batch " + batch);
                BoundedRunner.Outcome cleaned = runner.run(() -> janitor.cleanup(
                        CleanupOptions.defaults().withGrace(Duration.ZERO)));
                tally.record("cleanup", cleaned, "batch " + batch);
                if (cleaned.returned()) {
                    reclaimed += ((CleanupResult) cleaned.value()).cleaned().size();
                }
                validLive += mustSurvive.size();
                for (java.util.Map.Entry<String, String> survivor : mustSurvive.entrySet()) {
                    if (!Files.exists(dir.resolve(survivor.getKey()))) {
                        tally.violation("janitor reclaimed a valid live block: " + survivor.getValue());
                    }
                }
                try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                    for (Path file : (Iterable<Path>) left::iterator) {
                        if (file.getFileName().toString().startsWith("FSHR_")) {
                            Files.delete(file);
                        }
                    }
                }
            }
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println("TORTURE janitor-fuzz: " + batches * perBatch + " mutated blocks in " + batches
                    + " batches; calls " + tally.calls() + " " + tally.counts() + "; " + reclaimed
                    + " reclaimed; " + validLive + " still valid and live, all kept; violations "
                    + tally.violationCount() + "; " + seconds + " s");
        }
        assertThat(tally.violations()).isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    private static boolean ownedBy(byte[] block, OwnerId owner) {
        ByteBuffer in = ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN);
        return in.getLong(BlockLayout.OWNER_OFFSET) == owner.high() && in.getLong(BlockLayout.OWNER_OFFSET + 8) == owner.low();
    }

    private static boolean unexpired(byte[] block) {
        long expires = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).getLong(BlockLayout.EXPIRES_OFFSET);
        return expires == 0 || expires > System.currentTimeMillis() + 60_000;
    }

    private static BlockName randomName(SplittableRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return new BlockName(BlockName.PREFIX + HexFormat.of().formatHex(bits));
    }
}
