package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A release racing reads of the same pooled block (found by the pooled crash loop, where writers
 * release their older blocks while other processes read them): every read must give the payload or
 * {@code BlockNotFoundException}, never {@code CorruptBlockException} from a half-changed slot entry.
 * Reader threads and a releasing thread share one JVM, so they share the segment mapping exactly as
 * two processes do.
 */
class PoolReleaseRaceTest {

    private static final int ROUNDS = TortureSettings.budget(5_000, 200_000);

    @TempDir
    Path tempDir;

    @Test
    void aReleaseRacingReadsGivesThePayloadOrNotFound() throws Exception {
        TortureSettings.seedFor("pool-release-race");
        Path dir = TestDirs.blockDir(tempDir);
        Map<String, Long> counts = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(6L << 20).build();
                SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            for (int round = 0; round < ROUNDS; round++) {
                long seed = round;
                String token = writer.write(CheckedPayload.make(1000, seed));
                List<Future<List<String>>> reads = new ArrayList<>();
                CountDownLatch reading = new CountDownLatch(2);
                for (int r = 0; r < 2; r++) {
                    reads.add(readers.submit(() -> readUntilGone(reader, token, seed, reading)));
                }
                reading.await(10, TimeUnit.SECONDS);
                writer.release(token);
                for (Future<List<String>> read : reads) {
                    for (String outcome : read.get()) {
                        counts.merge(outcome, 1L, Long::sum);
                        if (!outcome.equals("OK") && !outcome.equals("NOTFOUND")) {
                            violations.add("round " + round + ": " + token + " -> " + outcome);
                        }
                    }
                }
            }
        } finally {
            readers.shutdownNow();
        }
        System.out.println("TORTURE pool-release-race: " + ROUNDS + " releases, each racing two reader threads; "
                + counts + "; violations " + violations.size());
        assertThat(violations).as("reads racing a release").isEmpty();
        assertThat(counts).as("reads before and after the release").containsKeys("OK", "NOTFOUND");
        TestDirs.assertNoBlocks(dir);
    }

    /** Reads until the block is gone; counts down once reading, so the release lands mid-stream. */
    private static List<String> readUntilGone(SharedMemoryTemplate reader, String token, long seed,
            CountDownLatch reading) {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            if (i == 1) {
                reading.countDown();
            }
            String outcome = PoolPeerMain.outcome(() -> PoolPeerMain.verdict(reader.read(token, byte[].class), seed));
            if (outcomes.isEmpty() || !outcomes.get(outcomes.size() - 1).equals(outcome)) {
                outcomes.add(outcome);
            }
            if (!outcome.equals("OK")) {
                break;
            }
        }
        reading.countDown();
        return outcomes;
    }
}
