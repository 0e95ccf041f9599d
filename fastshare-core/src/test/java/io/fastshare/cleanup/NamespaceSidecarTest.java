package io.fastshare.cleanup;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.store.BlockDirectory;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sidecars in separate PID and mount namespaces (issue 12): a writer and janitors each run in
 * namespaces of their own ({@code unshare --pid --mount --fork}), sharing only the block directory,
 * and each is PID 1 of its namespace. Liveness comes from the kernel lock on the owner's lease, so no
 * live block is reclaimed and a dead owner's blocks are. Needs root: skipped with that reason elsewhere.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NamespaceSidecarTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> UNSHARE = List.of("unshare", "--pid", "--mount", "--fork", "--kill-child");

    @TempDir
    Path tempDir;

    Path dir;
    final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and unshare to run sidecars in PID and mount namespaces of their own");
        Process probe = new ProcessBuilder("unshare", "--pid", "--mount", "--fork", "true").start();
        assumeTrue(probe.waitFor() == 0, "unshare --pid --mount is not permitted here");
        dir = TestDirs.blockDir(tempDir);
        SharedMemoryTemplate.builder().directory(dir).build().close();
    }

    @AfterEach
    void tearDown() {
        children.forEach(ChildJvm::close);
        if (dir != null) {
            TestDirs.assertNoBlocks(dir);
        }
    }

    private ChildJvm sidecar(String... args) {
        ChildJvm child = ChildJvm.startWrapped(UNSHARE, List.of("-Xmx256m"), CleanupChild.class, args);
        children.add(child);
        return child;
    }

    private int clean(long graceMillis) {
        ChildJvm janitor = sidecar("clean", dir.toString(), String.valueOf(graceMillis));
        janitor.awaitLine("WAITING", WAIT);
        janitor.send("GO");
        int cleaned = Integer.parseInt(janitor.awaitLine("CLEANED ", WAIT));
        assertThat(janitor.awaitLine("FAILED ", WAIT)).startsWith("0 ");
        assertThat(janitor.awaitExit(WAIT)).isZero();
        return cleaned;
    }

    @Test
    void sidecarsWithEqualPidsNeverReclaimLiveBlocksAndReclaimDeadOnes() {
        ChildJvm writer = sidecar("write", dir.toString(), "3", "20000");
        for (int i = 0; i < 3; i++) {
            writer.awaitLine("TOKEN ", WAIT);
        }
        writer.awaitLine("READY", WAIT);
        Janitor here = new Janitor(BlockDirectory.existing(dir), null, MutableClock.atNow());
        // The writer is PID 1 of its namespace, as is every janitor below: pids cannot tell them apart.
        assertThat(here.scan()).hasSize(3).allSatisfy(b -> {
            assertThat(b.writerPid()).isEqualTo(1);
            assertThat(b.state()).isEqualTo(BlockState.LIVE);
        });

        assertThat(clean(0)).isZero();
        assertThat(here.scan()).hasSize(3);

        writer.kill9();
        assertThat(clean(0)).isEqualTo(3);
        assertThat(here.scan()).isEmpty();
    }
}
