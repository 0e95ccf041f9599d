package io.fastshare.torture;

import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer cuts a pool segment file while the owner JVM maps it and has a block of it open: to the
 * segment header page only, into the first slot's block header, into its payload. Every read, open,
 * value, take, release, listing and cleanup in that JVM must give the intact payload or a
 * {@code FastShareException}, never an {@code InternalError} from the vanished pages, and the JVM
 * must live on. Runs in a child JVM, so a crash is a failed test, not a dead build.
 */
class PoolTruncatedSegmentTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @ValueSource(longs = {4096, 4096 + 64, 4096 + 4096, 4096 + 512 * 1024})
    void accessAfterThePeerCutTheSegmentFailsCleanly(long size) {
        Path dir = TestDirs.blockDir(tempDir);
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), PoolTruncatorMain.class, dir.toString(),
                Long.toString(size))) {
            int exit = child.awaitExit(Duration.ofSeconds(60));
            List<String> output = child.output();
            System.out.println("TORTURE pool-truncated-segment at " + size + ": " + output);
            assertThat(output).as("the truncation ran").anySatisfy(line -> assertThat(line).startsWith("TRUNCATED 0"));
            assertThat(output).filteredOn(line -> line.startsWith("OUTCOME "))
                    .as("every call answered with the payload or a FastShareException").hasSize(10)
                    .allSatisfy(line -> assertThat(line).doesNotContain("VIOLATION").doesNotContain("WRONG"));
            assertThat(exit).as("child exit code").isZero();
            assertThat(output).last().isEqualTo("ALIVE");
        } finally {
            TestDirs.deleteTree(dir);
        }
    }
}
