package io.fastshare.crossprocess;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code take} is claim-once: of several takers racing for one token, exactly one gets the exact
 * payload and every other one gets {@link BlockNotFoundException}, whether the takers are processes
 * or threads of one process.
 */
class ClaimOnceTest {

    private static final int TAKERS = 4;
    private static final int ROUNDS = 12;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void exactlyOneOfSeveralProcessesTakesAToken() {
        Path dir = TestDirs.blockDir(temp);
        SplittableRandom random = new SplittableRandom(42);
        List<ChildJvm> takers = new ArrayList<>();
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).threshold(0).build()) {
            for (int i = 0; i < TAKERS; i++) {
                takers.add(ChildJvm.start(List.of("-Xmx256m"), TakerMain.class, dir.toString()));
            }
            for (ChildJvm taker : takers) {
                taker.awaitLine("READY", TIMEOUT);
            }
            for (int round = 0; round < ROUNDS; round++) {
                long[] payload = random.longs(1 + random.nextInt(2 << 20)).toArray();
                String token = writer.write(payload, WriteOptions.defaults().shared());
                for (ChildJvm taker : takers) {
                    taker.send("TAKE " + token);
                }
                List<String> results = new ArrayList<>();
                for (ChildJvm taker : takers) {
                    results.add(taker.awaitLine("RESULT ", TIMEOUT));
                }
                assertThat(results).as("round %d", round).filteredOn(r -> r.startsWith("WON")).hasSize(1)
                        .containsOnly("WON " + Arrays.hashCode(payload));
                assertThat(results).as("round %d", round).filteredOn(r -> !r.startsWith("WON"))
                        .hasSize(TAKERS - 1).containsOnly("LOST");
                assertThat(writer.blocks()).as("nothing left after round %d", round).isEmpty();
            }
        } finally {
            takers.forEach(ChildJvm::close);
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void exactlyOneOfSeveralThreadsTakesAToken() throws Exception {
        Path dir = TestDirs.blockDir(temp);
        SplittableRandom random = new SplittableRandom(7);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).build()) {
            for (int round = 0; round < 50; round++) {
                long[] payload = random.longs(1 + random.nextInt(1 << 16)).toArray();
                String token = template.write(payload, WriteOptions.defaults().shared());
                CountDownLatch start = new CountDownLatch(1);
                List<Future<long[]>> takes = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    takes.add(pool.submit(() -> {
                        start.await();
                        try {
                            return template.take(token, long[].class);
                        } catch (BlockNotFoundException e) {
                            return null;
                        }
                    }));
                }
                start.countDown();
                List<long[]> won = new ArrayList<>();
                for (Future<long[]> take : takes) {
                    long[] value = take.get();
                    if (value != null) {
                        won.add(value);
                    }
                }
                assertThat(won).as("round %d", round).hasSize(1);
                assertThat(won.get(0)).isEqualTo(payload);
            }
        } finally {
            pool.shutdownNow();
        }
        TestDirs.assertNoBlocks(dir);
    }
}
