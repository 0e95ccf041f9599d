package io.fastshare.python;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java and a Python process race to take the same tokens: for every token exactly one of them gets
 * the payload and the other {@code BlockNotFoundException} / {@code BlockNotFoundError}.
 */
class TakeRaceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int ROUNDS = 60;

    @TempDir
    Path temp;

    @Test
    void exactlyOneOfJavaAndPythonTakesEachToken() {
        Path dir = TestDirs.blockDir(temp);
        SplittableRandom random = new SplittableRandom(14);
        int javaWins = 0;
        int pythonWins = 0;
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).build();
                ChildJvm python = Python.start(dir, Python.peer(), "take")) {
            for (int round = 0; round < ROUNDS; round++) {
                float[] payload = new float[10_000];
                Arrays.fill(payload, round);
                String token = template.write(payload);
                python.send(token);
                // a varying head start for Python, so both sides get to win some rounds
                LockSupport.parkNanos(random.nextLong(0, 3_000_000));
                boolean javaWon;
                try {
                    float[] taken = template.take(token, float[].class);
                    assertThat(taken[0]).isEqualTo(round);
                    javaWon = true;
                } catch (BlockNotFoundException e) {
                    javaWon = false;
                }
                String answer = python.awaitLine(javaWon ? "LOST " : "WON ", TIMEOUT);
                assertThat(answer).startsWith(token);
                if (javaWon) {
                    javaWins++;
                } else {
                    assertThat(answer).isEqualTo(token + " " + (10_000.0 * round));
                    pythonWins++;
                }
            }
            python.closeInput();
            assertThat(python.awaitExit(TIMEOUT)).isZero();
        }
        System.out.println("TAKE RACE: " + ROUNDS + " tokens, Java won " + javaWins + ", Python won " + pythonWins);
        assertThat(javaWins + pythonWins).isEqualTo(ROUNDS);
        TestDirs.assertNoBlocks(dir);
    }
}
