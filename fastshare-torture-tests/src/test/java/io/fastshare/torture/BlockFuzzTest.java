package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.format.BlockName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
 * outside the block directory may change.
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
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .maxInlineSize(1 << 20).codec(new MultiBufferCodec()).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(20));
                Canary canary = Canary.beside(dir)) {
            List<byte[]> bases = BaseBlocks.make(template, random);
            BlockMutator mutator = new BlockMutator(random, bases);
            TokenExerciser files = new TokenExerciser(template, runner, fileTally);
            TokenExerciser inline = new TokenExerciser(template, runner, inlineTally);
            for (int i = 0; i < MUTANTS; i++) {
                BlockMutator.Mutant mutant = mutator.next();
                String input = "mutant #" + i + " " + mutant.description();
                BlockName name = randomName(random);
                Path file = dir.resolve(name.value());
                Files.write(file, mutant.bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                TokenExerciser.Finish finish = random.nextBoolean() ? TokenExerciser.Finish.TAKE
                        : TokenExerciser.Finish.RELEASE;
                if (files.exercise("FSHR:shm:" + name.value(), input + " as file", finish)) {
                    acceptedFiles++;
                }
                if (Files.deleteIfExists(file) && finish == TokenExerciser.Finish.RELEASE) {
                    fileTally.violation("release left the block file of " + input);
                }
                if (inline.exercise(BaseBlocks.inlineToken(mutant.bytes()), input + " inline",
                        TokenExerciser.Finish.TAKE)) {
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
                    + "violations " + (fileTally.violationCount() + inlineTally.violationCount()) + "; " + seconds
                    + " s; rejection reasons, block files:" + fileTally.topReasons(40));
        }
        assertThat(fileTally.violations()).as("violations reading mutated block files").isEmpty();
        assertThat(inlineTally.violations()).as("violations reading mutated inline tokens").isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    private static BlockName randomName(SplittableRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return new BlockName(BlockName.PREFIX + HexFormat.of().formatHex(bits));
    }
}
