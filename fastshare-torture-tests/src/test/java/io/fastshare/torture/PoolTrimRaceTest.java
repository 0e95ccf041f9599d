package io.fastshare.torture;

import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Giving idle pool segments back while another thread does the same (the pool's decay on activity, a
 * delayed decay check, cleanup runs): a segment must be given back once and never touched after it
 * was unmapped (that is a SIGSEGV, a dead JVM). Runs in a child JVM, so a crash fails the test
 * instead of the build; found by the stale-token test's long campaign.
 */
class PoolTrimRaceTest {

    private static final int MILLIS = TortureSettings.budget(6_000, 120_000);

    @TempDir
    Path tempDir;

    @Test
    void concurrentTrimsNeverTouchAnUnmappedSegment() {
        TortureSettings.seedFor("pool-trim-race");
        Path dir = TestDirs.blockDir(tempDir);
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), PoolTrimRaceMain.class, dir.toString(),
                Integer.toString(MILLIS))) {
            int exit = child.awaitExit(Duration.ofMillis(MILLIS).plusSeconds(60));
            System.out.println("TORTURE pool-trim-race: " + MILLIS + " ms, exit " + exit + ", "
                    + child.output().stream().filter(l -> l.startsWith("DONE") || l.startsWith("FAILED")
                            || l.startsWith("# ")).toList());
            assertThat(exit).as("child JVM exit code (134: the JVM crashed)").isZero();
            assertThat(child.output()).anySatisfy(line -> assertThat(line).startsWith("DONE "));
        } finally {
            TestDirs.deleteTree(dir);
        }
    }
}
