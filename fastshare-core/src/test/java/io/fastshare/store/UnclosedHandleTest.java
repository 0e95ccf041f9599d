package io.fastshare.store;

import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 12, item 6: a {@code SharedPayload} that is never closed must not pin shared memory for ever
 * (on JDK 22+ its shared arena was never closed), and its leak is reported with the place that opened
 * it. Runs a child JVM on this JDK and on Temurin 25 where installed.
 */
class UnclosedHandleTest {

    @TempDir
    Path temp;

    @Test
    void unreachableHandlesAreUnmappedAndReportedOnEveryJdk() {
        assumeTrue(ProcMaps.available(), "needs /proc/self/maps (Linux)");
        for (Path java : ChildJvm.javaLaunchers()) {
            Path dir = TestDirs.blockDir(temp);
            try (ChildJvm child = ChildJvm.start(java, List.of("-Xmx256m",
                    "-Dorg.slf4j.simpleLogger.logFile=System.out"), UnclosedHandlesMain.class, dir.toString())) {
                String[] mappings = child.awaitLine("MAPPINGS ", Duration.ofMinutes(2)).split(" ");
                assertThat(child.awaitExit(Duration.ofMinutes(1))).isZero();
                assertThat(Long.parseLong(mappings[0])).as("mappings while the handles live, " + java).isEqualTo(20);
                assertThat(Long.parseLong(mappings[1])).as("mappings after they became unreachable, " + java).isZero();
                List<String> warnings = child.output().stream().filter(line -> line.contains("was never closed")).toList();
                assertThat(warnings).as("leak warnings, " + java).hasSize(20);
                assertThat(warnings.get(0)).contains("WARN", "UnclosedHandlesMain.openAndForget(UnclosedHandlesMain.java:");
            }
            TestDirs.assertNoBlocks(dir);
        }
    }
}
